package dev.tollgate.core.links;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostNormalizerTest {
    private static NormalizedHost n(String host) {
        return HostNormalizer.normalize(host);
    }

    @Test
    void lowerCasesAndStripsTrailingDot() {
        NormalizedHost h = n("WWW.Example.COM.");
        assertThat(h.kind()).isEqualTo(NormalizedHost.Kind.DNS_NAME);
        assertThat(h.ascii()).isEqualTo("www.example.com");
    }

    @Test
    void mapsUnicodeToALabels() {
        NormalizedHost h = n("Bücher.Example");
        assertThat(h.ascii()).isEqualTo("xn--bcher-kva.example");
        assertThat(h.unicode()).isEqualTo("bücher.example");
        assertThat(n("xn--bcher-kva.example").unicode()).isEqualTo("bücher.example");
    }

    @Test
    void usesNontransitionalProcessing() {
        // UTS #46: transitional processing would map ß to ss; nontransitional keeps it.
        assertThat(n("faß.de").ascii()).isEqualTo("xn--fa-hia.de");
    }

    @Test
    void acceptsHyphensWhereBrowsersDo() {
        assertThat(n("r3---sn-ab5l6n7s.googlevideo.com").ascii()).isEqualTo("r3---sn-ab5l6n7s.googlevideo.com");
        assertThat(n("-foo-.example").isValid()).isTrue();
        assertThat(n("xn--zz--.example").isValid()).isFalse();
    }

    @Test
    void decodesPercentEscapes() {
        assertThat(n("%65xample.com").ascii()).isEqualTo("example.com");
        assertThat(n("ex%zzample.com").isValid()).isFalse();
    }

    @Test
    void invalidHostsAreResultsNotExceptions() {
        assertThat(n("").isValid()).isFalse();
        assertThat(n(null).isValid()).isFalse();
        assertThat(n("a..b").isValid()).isFalse();
        assertThat(n("exa mple.com").isValid()).isFalse();
        assertThat(n("a".repeat(64) + ".example").isValid()).isFalse();
        assertThat(n("x".repeat(5000)).error()).hasValueSatisfying(e -> assertThat(e).contains("longer"));
        assertThat(n("xn--a.example").isValid()).isFalse();
        assertThat(n("a.b<c").isValid()).isFalse();
    }

    @Test
    void recognisesIpv4InAllBrowserForms() {
        assertThat(n("127.0.0.1").ascii()).isEqualTo("127.0.0.1");
        assertThat(n("127.0.0.1").obfuscated()).isFalse();
        for (String form : new String[] {"0x7f.1", "0x7F.0.0.1", "0177.0.0.1", "2130706433", "127.1", "0x7f000001"}) {
            NormalizedHost h = n(form);
            assertThat(h.kind()).as(form).isEqualTo(NormalizedHost.Kind.IPV4);
            assertThat(h.ascii()).as(form).isEqualTo("127.0.0.1");
            assertThat(h.obfuscated()).as(form).isTrue();
        }
        assertThat(n("192.168.0.1.").ascii()).isEqualTo("192.168.0.1");
    }

    @Test
    void rejectsOutOfRangeIpv4AndNamesEndingInNumbers() {
        assertThat(n("256.0.0.1").isValid()).isFalse();
        assertThat(n("1.2.3.4.5").isValid()).isFalse();
        assertThat(n("4294967296").isValid()).isFalse();
        assertThat(n("example.123").isValid()).isFalse();
        assertThat(n("123.example").kind()).isEqualTo(NormalizedHost.Kind.DNS_NAME);
    }

    @Test
    void recognisesIpv6InBrackets() {
        NormalizedHost h = n("[2001:DB8:0:0:0:0:0:1]");
        assertThat(h.kind()).isEqualTo(NormalizedHost.Kind.IPV6);
        assertThat(h.ascii()).isEqualTo("[2001:db8::1]");
        assertThat(n("[::ffff:127.0.0.1]").ascii()).isEqualTo("[::ffff:127.0.0.1]");
        assertThat(n("[::1").isValid()).isFalse();
        assertThat(n("[zz::1]").isValid()).isFalse();
        assertThat(n("[127.0.0.1]").isValid()).isFalse();
    }

    @Test
    void hostOfUrl() {
        assertThat(HostNormalizer.hostOfUrl("https://paypal.com@EVIL.test:443/x").ascii()).isEqualTo("evil.test");
        assertThat(HostNormalizer.hostOfUrl("http://0x7f.1/").ascii()).isEqualTo("127.0.0.1");
        assertThat(HostNormalizer.hostOfUrl("http://[::1]:8080/").ascii()).isEqualTo("[::1]");
        assertThat(HostNormalizer.hostOfUrl("HTTP:\\\\Example.com\\x").ascii()).isEqualTo("example.com");
        assertThat(HostNormalizer.hostOfUrl("mailto:a@b.example").isValid()).isFalse();
    }
}
