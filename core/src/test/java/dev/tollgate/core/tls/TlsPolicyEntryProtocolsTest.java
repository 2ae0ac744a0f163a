package dev.tollgate.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Per-entry {@code protocols=} can only narrow what the global minimum allows. */
class TlsPolicyEntryProtocolsTest {
    private static TlsPolicyEntry entry(String attributes) {
        return TlsPolicyMap.parse("example.com encrypt " + attributes, "policyMap").lookup("example.com").orElseThrow();
    }

    @Test
    void postfixExclusionsOfSslNeverLowerTheGlobalMinimum() {
        TlsPolicyEntry e = entry("protocols=!SSLv2:!SSLv3");
        assertThat(e.allowedProtocols("TLSv1.2")).containsExactly("TLSv1.2", "TLSv1.3");
        assertThat(e.allowedProtocols("TLSv1.3")).containsExactly("TLSv1.3");
        assertThat(e.allowedProtocols("TLSv1")).containsExactly("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    }

    @Test
    void singleSslv3ExclusionIsAcceptedAsTheErrorTextSays() {
        TlsPolicyEntry e = entry("protocols=!SSLv3");
        assertThat(e.excludedProtocols()).containsExactly("SSLv3");
        assertThat(e.allowedProtocols("TLSv1.2")).containsExactly("TLSv1.2", "TLSv1.3");
        assertThatThrownBy(() -> entry("protocols=SSLv3"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("exclusions such as '!SSLv2:!SSLv3'");
    }

    @Test
    void exclusionsNarrowTheGlobalSet() {
        assertThat(entry("protocols=!TLSv1:!TLSv1.1").allowedProtocols("TLSv1")).containsExactly("TLSv1.2", "TLSv1.3");
        assertThat(entry("protocols=!TLSv1:!TLSv1.1").allowedProtocols("TLSv1.2")).containsExactly("TLSv1.2", "TLSv1.3");
        assertThat(entry("protocols=!SSLv2,!SSLv3,!TLSv1,!TLSv1.1,!TLSv1.2").allowedProtocols("TLSv1.2"))
                .containsExactly("TLSv1.3");
        assertThat(entry("protocols=!TLSv1.3").allowedProtocols("TLSv1.2")).containsExactly("TLSv1.2");
    }

    @Test
    void minimumCanOnlyRaiseTheFloor() {
        assertThat(entry("protocols=>=TLSv1.3").allowedProtocols("TLSv1.2")).containsExactly("TLSv1.3");
        assertThat(entry("protocols=>=TLSv1.2").allowedProtocols("TLSv1")).containsExactly("TLSv1.2", "TLSv1.3");
        assertThat(entry("protocols=>=TLSv1").allowedProtocols("TLSv1.2")).as("never below the global minimum")
                .containsExactly("TLSv1.2", "TLSv1.3");
        assertThat(entry("ciphers=high").allowedProtocols("TLSv1.2")).containsExactly("TLSv1.2", "TLSv1.3");
    }

    @Test
    void startupCheckRefusesAMinimumBelowTheGlobalOne() {
        TlsPolicyMap map = TlsPolicyMap.parse("ok.example encrypt protocols=!SSLv2:!SSLv3\n"
                + "legacy.example encrypt protocols=>=TLSv1", "policyMapFile");
        assertThatThrownBy(() -> map.checkProtocols("TLSv1.2", "policyMapFile"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> {
                    ConfigException ce = (ConfigException) e;
                    assertThat(ce.parameter()).isEqualTo("policyMapFile");
                    assertThat(ce.reason()).isEqualTo("entry legacy.example: protocols=>=TLSv1 is below minimumProtocol "
                            + "TLSv1.2; an entry can only raise the floor (lower minimumProtocol to allow TLSv1)");
                });
        map.checkProtocols("TLSv1", "policyMapFile");
    }

    @Test
    void startupCheckRefusesExclusionsLeavingNothingAboveTheGlobalMinimum() {
        TlsPolicyMap map = TlsPolicyMap.parse("old.example encrypt protocols=!TLSv1.2:!TLSv1.3", "policyMap");
        assertThatThrownBy(() -> map.checkProtocols("TLSv1.2", "policyMap"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("entry old.example: protocols=!TLSv1.2:!TLSv1.3 excludes every version allowed by "
                        + "minimumProtocol TLSv1.2");
        map.checkProtocols("TLSv1.1", "policyMap");
        assertThat(map.lookup("old.example").orElseThrow().allowedProtocols("TLSv1.1")).containsExactly("TLSv1.1");
    }

    @Test
    void unknownGlobalMinimumIsAProgrammingError() {
        assertThatThrownBy(() -> entry("protocols=!SSLv3").allowedProtocols("SSLv3"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
