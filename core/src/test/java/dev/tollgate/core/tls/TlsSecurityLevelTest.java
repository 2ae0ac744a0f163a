package dev.tollgate.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.config.ConfigException;
import org.junit.jupiter.api.Test;

class TlsSecurityLevelTest {
    @Test
    void parsesEveryPostfixNameIgnoringCaseAndBlanks() {
        assertThat(TlsSecurityLevel.parse("none", "p")).isEqualTo(TlsSecurityLevel.NONE);
        assertThat(TlsSecurityLevel.parse("may", "p")).isEqualTo(TlsSecurityLevel.MAY);
        assertThat(TlsSecurityLevel.parse("encrypt", "p")).isEqualTo(TlsSecurityLevel.ENCRYPT);
        assertThat(TlsSecurityLevel.parse(" Verify ", "p")).isEqualTo(TlsSecurityLevel.VERIFY);
        assertThat(TlsSecurityLevel.parse("dane", "p")).isEqualTo(TlsSecurityLevel.DANE);
        assertThat(TlsSecurityLevel.parse("DANE-ONLY", "p")).isEqualTo(TlsSecurityLevel.DANE_ONLY);
        assertThat(TlsSecurityLevel.parse("mta-sts", "p")).isEqualTo(TlsSecurityLevel.MTA_STS);
    }

    @Test
    void unknownNamesFailNamingTheParameter() {
        for (String bad : new String[] {"secure", "dane_only", "", "  ", null}) {
            assertThatThrownBy(() -> TlsSecurityLevel.parse(bad, "defaultLevel"))
                    .isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertThat(((ConfigException) e).parameter()).isEqualTo("defaultLevel"));
        }
    }

    @Test
    void postfixNamesRoundTrip() {
        for (TlsSecurityLevel level : TlsSecurityLevel.values()) {
            assertThat(TlsSecurityLevel.parse(level.postfixName(), "p")).isEqualTo(level);
            assertThat(level.toString()).isEqualTo(level.postfixName());
        }
    }

    @Test
    void requiresTlsOnlyForMandatoryLevels() {
        assertThat(TlsSecurityLevel.NONE.requiresTls()).isFalse();
        assertThat(TlsSecurityLevel.MAY.requiresTls()).isFalse();
        assertThat(TlsSecurityLevel.DANE.requiresTls()).isFalse();
        assertThat(TlsSecurityLevel.ENCRYPT.requiresTls()).isTrue();
        assertThat(TlsSecurityLevel.VERIFY.requiresTls()).isTrue();
        assertThat(TlsSecurityLevel.DANE_ONLY.requiresTls()).isTrue();
        assertThat(TlsSecurityLevel.MTA_STS.requiresTls()).isTrue();
    }

    @Test
    void verifiesPeerOnlyForAuthenticatedLevels() {
        assertThat(TlsSecurityLevel.ENCRYPT.verifiesPeer()).isFalse();
        assertThat(TlsSecurityLevel.DANE.verifiesPeer()).isFalse();
        assertThat(TlsSecurityLevel.VERIFY.verifiesPeer()).isTrue();
        assertThat(TlsSecurityLevel.DANE_ONLY.verifiesPeer()).isTrue();
        assertThat(TlsSecurityLevel.MTA_STS.verifiesPeer()).isTrue();
        assertThat(TlsSecurityLevel.DANE_ONLY.usesDane()).isTrue();
        assertThat(TlsSecurityLevel.MTA_STS.usesDane()).isFalse();
        assertThat(TlsSecurityLevel.MTA_STS.usesPkix()).isTrue();
        assertThat(TlsSecurityLevel.DANE_ONLY.usesPkix()).isFalse();
    }

    @Test
    void atLeastOrdersByStrength() {
        assertThat(TlsSecurityLevel.VERIFY.atLeast(TlsSecurityLevel.ENCRYPT)).isTrue();
        assertThat(TlsSecurityLevel.ENCRYPT.atLeast(TlsSecurityLevel.VERIFY)).isFalse();
        assertThat(TlsSecurityLevel.MAY.atLeast(TlsSecurityLevel.NONE)).isTrue();
        assertThat(TlsSecurityLevel.NONE.atLeast(TlsSecurityLevel.MAY)).isFalse();
        assertThat(TlsSecurityLevel.DANE.atLeast(TlsSecurityLevel.ENCRYPT)).isFalse();
        assertThat(TlsSecurityLevel.DANE_ONLY.atLeast(TlsSecurityLevel.VERIFY)).isTrue();
        assertThat(TlsSecurityLevel.VERIFY.atLeast(TlsSecurityLevel.MTA_STS)).isTrue();
        assertThat(TlsSecurityLevel.MTA_STS.atLeast(TlsSecurityLevel.DANE_ONLY)).isTrue();
    }
}
