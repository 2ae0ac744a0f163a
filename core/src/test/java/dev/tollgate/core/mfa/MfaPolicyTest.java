package dev.tollgate.core.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;

class MfaPolicyTest {
    static final LocalDate DAY = LocalDate.of(2026, 6, 30);

    @Test
    void parsesTheThreeForms() {
        assertThat(MfaPolicy.parse("p", " Required ").requiresEnrollment(DAY)).isTrue();
        assertThat(MfaPolicy.parse("p", "optional").requiresEnrollment(DAY)).isFalse();
        MfaPolicy grace = MfaPolicy.parse("p", "grace-until:2026-06-30");
        assertThat(grace.requiresEnrollment(DAY)).as("last day of grace").isFalse();
        assertThat(grace.requiresEnrollment(DAY.plusDays(1))).isTrue();
        assertThat(grace.toString()).isEqualTo("grace-until:2026-06-30");
    }

    @Test
    void rejectsOtherText() {
        assertThatThrownBy(() -> MfaPolicy.parse("policy", "always")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("policy");
        assertThatThrownBy(() -> MfaPolicy.parse("policy", "grace-until:30/06/2026")).isInstanceOf(ConfigException.class);
    }

    @Test
    void tableLooksUpTheUsersDomainCaseInsensitively() {
        MfaPolicy.Table table = MfaPolicy.Table.parse(Parameters.of(Map.of("policy", "optional",
                "domainPolicies", "Example.COM=required, partner.example=grace-until:2026-01-01")), MfaPolicy.REQUIRED);
        assertThat(table.forUser("alice@example.com")).isEqualTo(MfaPolicy.REQUIRED);
        assertThat(table.forUser("bob@PARTNER.example").mode()).isEqualTo(MfaPolicy.Mode.GRACE);
        assertThat(table.forUser("carol@other.example")).isEqualTo(MfaPolicy.OPTIONAL);
        assertThat(table.forUser("localpart")).isEqualTo(MfaPolicy.OPTIONAL);
        assertThat(MfaPolicy.Table.parse(Parameters.empty(), MfaPolicy.REQUIRED).defaultPolicy()).isEqualTo(MfaPolicy.REQUIRED);
    }

    @Test
    void tableRejectsMalformedAndDuplicateEntries() {
        assertThatThrownBy(() -> MfaPolicy.Table.parse(Parameters.of(Map.of("domainPolicies", "example.com")), MfaPolicy.OPTIONAL))
                .hasMessageContaining("domainPolicies");
        assertThatThrownBy(() -> MfaPolicy.Table.parse(Parameters.of(Map.of("domainPolicies",
                "example.com=required,EXAMPLE.com=optional")), MfaPolicy.OPTIONAL)).hasMessageContaining("twice");
    }
}
