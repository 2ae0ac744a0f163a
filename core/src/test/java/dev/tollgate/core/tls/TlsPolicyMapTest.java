package dev.tollgate.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.config.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TlsPolicyMapTest {
    private static final String TABLE = "# outbound TLS policy\n"
            + "\n"
            + "example.com verify\n"
            + ".example.org   encrypt protocols=>=TLSv1.3 match=mx.example.org:.example.org\n"
            + "  .sub.example.org dane-only\n"
            + "   # indented comment\n"
            + "sub.example.org may\n"
            + "Bücher.example\tmta-sts ciphers=HIGH\r\n"
            + "legacy.example encrypt protocols=!SSLv2:!SSLv3\n"
            + "trailing.example. none\n";

    private final TlsPolicyMap map = TlsPolicyMap.parse(TABLE, "policyMap");

    @Test
    void exactEntryMatchesOnlyThatDomain() {
        assertThat(map.lookup("example.com")).get().extracting(TlsPolicyEntry::level).isEqualTo(TlsSecurityLevel.VERIFY);
        assertThat(map.lookup("mx.example.com")).isEmpty();
        assertThat(map.lookup("other.com")).isEmpty();
    }

    @Test
    void dotParentMatchesSubdomainsButNotTheParent() {
        assertThat(map.lookup("a.example.org")).get().extracting(TlsPolicyEntry::level).isEqualTo(TlsSecurityLevel.ENCRYPT);
        assertThat(map.lookup("a.b.c.example.org")).get().extracting(TlsPolicyEntry::pattern).isEqualTo(".example.org");
        assertThat(map.lookup("example.org")).isEmpty();
        assertThat(map.lookup("badexample.org")).isEmpty();
    }

    @Test
    void exactBeatsWildcardAndLongestWildcardWins() {
        assertThat(map.lookup("sub.example.org")).get().extracting(TlsPolicyEntry::level).isEqualTo(TlsSecurityLevel.MAY);
        assertThat(map.lookup("x.sub.example.org")).get().extracting(TlsPolicyEntry::level).isEqualTo(TlsSecurityLevel.DANE_ONLY);
        assertThat(map.lookup("x.y.sub.example.org")).get().extracting(TlsPolicyEntry::pattern).isEqualTo(".sub.example.org");
    }

    @Test
    void lookupIsCaseInsensitiveAndIgnoresTrailingDot() {
        assertThat(map.lookup("EXAMPLE.Com.")).get().extracting(TlsPolicyEntry::level).isEqualTo(TlsSecurityLevel.VERIFY);
        assertThat(map.lookup("trailing.example")).get().extracting(TlsPolicyEntry::level).isEqualTo(TlsSecurityLevel.NONE);
    }

    @Test
    void idnDomainsAreNormalisedToALabels() {
        TlsPolicyEntry entry = map.lookup("xn--bcher-kva.example").orElseThrow();
        assertThat(entry.pattern()).isEqualTo("xn--bcher-kva.example");
        assertThat(map.lookup("BÜCHER.example")).contains(entry);
        assertThat(entry.ciphers()).contains(TlsCipherGrade.HIGH);
    }

    @Test
    void attributesAreParsed() {
        TlsPolicyEntry entry = map.lookup("mx.example.org").orElseThrow();
        assertThat(entry.minimumProtocol()).contains("TLSv1.3");
        assertThat(entry.matchNames()).containsExactly("mx.example.org", ".example.org");
        assertThat(entry.isWildcard()).isTrue();
        TlsPolicyEntry legacy = map.lookup("legacy.example").orElseThrow();
        assertThat(legacy.minimumProtocol()).isEmpty();
        assertThat(legacy.excludedProtocols()).containsExactly("SSLv2", "SSLv3");
        assertThat(legacy).hasToString("legacy.example encrypt protocols=!SSLv2:!SSLv3");
        TlsPolicyEntry plain = map.lookup("example.com").orElseThrow();
        assertThat(plain.minimumProtocol()).isEmpty();
        assertThat(plain.ciphers()).isEmpty();
        assertThat(plain.matchNames()).isEmpty();
        assertThat(map.size()).isEqualTo(7);
    }

    @Test
    void invalidLookupInputIsEmptyNotAnError() {
        assertThat(map.lookup("")).isEmpty();
        assertThat(map.lookup(null)).isEmpty();
        assertThat(map.lookup("bad..name")).isEmpty();
    }

    @Test
    void badLinesNameParameterAndLineNumber() {
        List<String> bad = List.of(
                "example.com",
                "example.com secure",
                "example.com verify foo=bar",
                "example.com verify protocols=TLSv1.2",
                "example.com verify protocols=>=TLSv9",
                "example.com verify protocols=!TLSv9",
                "example.com verify protocols=!",
                "example.com verify protocols=!TLSv1:!TLSv1.1:!TLSv1.2:!TLSv1.3",
                "example.com verify ciphers=strong",
                "example.com verify ciphers=null",
                "example.com verify match=",
                "example.com verify match=bad..name",
                "example.com verify ciphers=high ciphers=low",
                "exa mple.com verify",
                "bad..com verify",
                "..com verify",
                "a.example verify\na.example may",
                "a.example verify # trailing comments are not Postfix syntax");
        for (String text : bad) {
            String numbered = "# header\n" + text;
            int expectedLine = numbered.split("\n").length;
            assertThatThrownBy(() -> TlsPolicyMap.parse(numbered, "policyMap"))
                    .as(text)
                    .isInstanceOf(ConfigException.class)
                    .satisfies(e -> {
                        ConfigException ce = (ConfigException) e;
                        assertThat(ce.parameter()).isEqualTo("policyMap");
                        assertThat(ce.reason()).startsWith("line " + expectedLine + ":");
                    });
        }
    }

    @Test
    void overlongLineIsRefused() {
        String text = "example.com verify match=" + "a".repeat(TlsPolicyMap.MAX_LINE_LENGTH);
        assertThatThrownBy(() -> TlsPolicyMap.parse(text, "policyMap")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 1");
    }

    @Test
    void emptyMapMatchesNothing() {
        assertThat(TlsPolicyMap.parse("# nothing\n\n", "p").size()).isZero();
        assertThat(TlsPolicyMap.empty().lookup("example.com")).isEmpty();
    }
}
