package dev.tollgate.core.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostPatternTest {
    @Test
    void exactPatternMatchesOnlyThatHostIgnoringCaseAndTrailingDot() {
        HostPattern p = HostPattern.parse("Example.COM");
        assertThat(p.matches("example.com")).isTrue();
        assertThat(p.matches("EXAMPLE.com.")).isTrue();
        assertThat(p.matches("www.example.com")).isFalse();
        assertThat(p.matches("example.co")).isFalse();
    }

    @Test
    void wildcardMatchesSubdomainsOnly() {
        HostPattern p = HostPattern.parse("*.example.com");
        assertThat(p.matches("a.example.com")).isTrue();
        assertThat(p.matches("a.b.EXAMPLE.com")).isTrue();
        assertThat(p.matches("example.com")).isFalse();
        assertThat(p.matches("example.com.evil.test")).isFalse();
        assertThat(p.matches("badexample.com")).isFalse();
        assertThat(p.matches(".example.com")).isFalse();
        assertThat(p.toString()).isEqualTo("*.example.com");
    }

    @Test
    void comparesAfterIdnaNormalisation() {
        HostPattern p = HostPattern.parse("*.Bücher.example");
        assertThat(p.host()).isEqualTo("xn--bcher-kva.example");
        assertThat(p.matches("shop.xn--bcher-kva.example")).isTrue();
        assertThat(p.matches("shop.BÜCHER.example")).isTrue();
        assertThat(HostPattern.parse("0x7f.1").matches("127.0.0.1")).isTrue();
    }

    @Test
    void rejectsBadPatterns() {
        assertThatThrownBy(() -> HostPattern.parse("ex*ample.com")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostPattern.parse("*.*.example.com")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostPattern.parse("*")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostPattern.parse("*.127.0.0.1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostPattern.parse("a b.example")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listCombinesExactAndWildcard() {
        DoNotRewriteList list = DoNotRewriteList.of(List.of("intranet.example", "*.corp.example", "[::1]"));
        assertThat(list.matches("intranet.example")).isTrue();
        assertThat(list.matches("www.intranet.example")).isFalse();
        assertThat(list.matches("hr.corp.example")).isTrue();
        assertThat(list.matches("corp.example")).isFalse();
        assertThat(list.matches("corp.example.evil.test")).isFalse();
        assertThat(list.matches("[0:0::1]")).isTrue();
        assertThat(list.matchesUrl("https://user@HR.Corp.Example:8443/x")).isTrue();
        assertThat(list.matchesUrl("https://hr.corp.example@evil.test/")).isFalse();
        assertThat(list.matches("not a host")).isFalse();
        assertThat(DoNotRewriteList.empty().matches("intranet.example")).isFalse();
    }

    @Test
    void configErrorsNameTheParameter() {
        Parameters params = Parameters.of(Map.of("doNotRewrite", "ok.example, bad*.example"));
        assertThatThrownBy(() -> DoNotRewriteList.fromParameter(params, "doNotRewrite"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).parameter()).isEqualTo("doNotRewrite"));
        assertThat(DoNotRewriteList.fromParameter(Parameters.of(Map.of("d", "a.example, *.b.example")), "d")
                .patterns()).hasSize(2);
    }
}
