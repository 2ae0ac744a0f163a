package dev.tollgate.core.links;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.links.LinkVerdict.Level;
import dev.tollgate.core.links.LinkVerdict.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkScannerTest {
    private final LinkScanner scanner = LinkScanner.builder().defaultChecks()
            .check(LinkChecks.homographs(List.of("paypal.example", "bank.co.uk"))).build();

    @Test
    void ordinaryLinkIsClean() {
        LinkVerdict v = scanner.scan("https://www.example.com/path?q=1", "our website");
        assertThat(v.level()).isEqualTo(Level.CLEAN);
        assertThat(v.findings()).isEmpty();
    }

    @Test
    void userinfoThatLooksLikeAHostIsMalicious() {
        LinkVerdict v = scanner.scan("https://paypal.com@evil.test/login");
        assertThat(v.level()).isEqualTo(Level.MALICIOUS);
        assertThat(v.reasons()).contains(Reason.USERINFO);
        assertThat(scanner.scan("https://bank.example%2F@evil.test/").level()).isEqualTo(Level.MALICIOUS);
        assertThat(scanner.scan("https://bank.example\\@evil.test/").level()).isEqualTo(Level.CLEAN);
        assertThat(scanner.scan("ftp://anonymous@files.example/").level()).isEqualTo(Level.SUSPICIOUS);
        assertThat(scanner.scan("https://user:hunter2@files.example/").findings().toString())
                .doesNotContain("hunter2");
    }

    @Test
    void ipLiteralHosts() {
        assertThat(scanner.scan("http://192.0.2.10/x").level()).isEqualTo(Level.SUSPICIOUS);
        assertThat(scanner.scan("http://192.0.2.10/x").reasons()).containsExactly(Reason.IP_LITERAL_HOST);
        assertThat(scanner.scan("http://[2001:db8::1]/").reasons()).containsExactly(Reason.IP_LITERAL_HOST);
        LinkVerdict hex = scanner.scan("http://0x7f.1/");
        assertThat(hex.level()).isEqualTo(Level.MALICIOUS);
        assertThat(hex.reasons()).containsExactly(Reason.OBFUSCATED_IP);
    }

    @Test
    void dangerousSchemesEvenWhenDisguised() {
        for (String url : new String[] {"javascript:alert(1)", "JaVaScRiPt:alert(1)", " java\tscript:alert(1)",
                "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)"}) {
            LinkVerdict v = scanner.scan(url);
            assertThat(v.level()).as(url).isEqualTo(Level.MALICIOUS);
            assertThat(v.reasons()).as(url).contains(Reason.DANGEROUS_SCHEME);
        }
        assertThat(scanner.scan("mailto:someone@example.com").level()).isEqualTo(Level.CLEAN);
    }

    @Test
    void bidiAndZeroWidthCharacters() {
        assertThat(scanner.scan("https://example.com/\u202Efdp.exe").reasons()).contains(Reason.BIDI_CONTROL);
        assertThat(scanner.scan("https://example.com/%E2%80%AEfdp.exe").reasons()).contains(Reason.BIDI_CONTROL);
        assertThat(scanner.scan("https://example.com/", "Click\u2066 here").level()).isEqualTo(Level.MALICIOUS);
        LinkVerdict zw = scanner.scan("https://exa\u200Bmple.com/");
        assertThat(zw.reasons()).contains(Reason.INVISIBLE_CHARACTER);
        assertThat(scanner.scan("https://example.com/", "pay\uFEFFpal").reasons())
                .contains(Reason.INVISIBLE_CHARACTER);
        assertThat(scanner.scan("https://example.com/%E2%80%8B").reasons()).contains(Reason.INVISIBLE_CHARACTER);
        assertThat(scanner.scan("https://example.com/%C3%A9t%C3%A9").findings()).isEmpty();
    }

    @Test
    void homographOfProtectedDomainIsMalicious() {
        LinkVerdict v = scanner.scan("https://p\u0430ypal.example/login"); // Cyrillic a
        assertThat(v.level()).isEqualTo(Level.MALICIOUS);
        assertThat(v.reasons()).contains(Reason.HOMOGRAPH, Reason.MIXED_SCRIPT);
        assertThat(scanner.scan("https://secure.p\u0430ypal.example/").reasons()).contains(Reason.HOMOGRAPH);
        assertThat(scanner.scan("https://xn--pypal-4ve.example/").reasons()).contains(Reason.HOMOGRAPH);
        // An all-Cyrillic look-alike passes the mixed-script test but not the skeleton test.
        assertThat(scanner.scan("https://\u0440\u0430\u0443\u0440\u0430l.example/").reasons())
                .contains(Reason.HOMOGRAPH);
        // The real domain and unrelated IDNs are fine.
        assertThat(scanner.scan("https://paypal.example/").findings()).isEmpty();
        assertThat(scanner.scan("https://www.paypal.example/").findings()).isEmpty();
        assertThat(scanner.scan("https://bücher.example/").findings()).isEmpty();
        assertThat(scanner.scan("https://пример.рф/").findings()).isEmpty();
    }

    @Test
    void mixedScriptWithoutProtectedDomainIsSuspicious() {
        LinkVerdict v = LinkScanner.withDefaultChecks().scan("https://g\u043Eogle.com/"); // Cyrillic o
        assertThat(v.level()).isEqualTo(Level.SUSPICIOUS);
        assertThat(v.reasons()).containsExactly(Reason.MIXED_SCRIPT);
    }

    @Test
    void deceptiveAnchors() {
        LinkVerdict v = scanner.scan("https://login.evil.test/", "https://www.bank.co.uk/login");
        assertThat(v.reasons()).containsExactly(Reason.DECEPTIVE_ANCHOR);
        assertThat(v.level()).isEqualTo(Level.SUSPICIOUS);
        assertThat(scanner.scan("https://evil.test/", "Log in at www.bank.co.uk now").reasons())
                .containsExactly(Reason.DECEPTIVE_ANCHOR);
        assertThat(scanner.scan("https://evil.test/", "bank.co.uk").reasons())
                .containsExactly(Reason.DECEPTIVE_ANCHOR);
        // Same registrable domain: fine.
        assertThat(scanner.scan("https://login.example.co.uk/a", "www.example.co.uk").findings()).isEmpty();
        assertThat(scanner.scan("https://login.example.co.uk/a", "https://example.co.uk/").findings()).isEmpty();
        assertThat(scanner.scan("https://a.shop.test/", "www.shop.test").findings()).isEmpty();
        // Private PSL section: different blogs are different owners.
        assertThat(scanner.scan("https://evil.blogspot.com/", "good.blogspot.com").reasons())
                .containsExactly(Reason.DECEPTIVE_ANCHOR);
        // Anchor texts that show no domain are not judged.
        assertThat(scanner.scan("https://evil.test/", "Click here, e.g. now. Version 1.2").findings()).isEmpty();
    }

    @Test
    void allowListShortCircuits() {
        LinkScanner withAllow = LinkScanner.builder().defaultChecks()
                .allowList(DoNotRewriteList.of(List.of("*.corp.example"))).build();
        LinkVerdict v = withAllow.scan("http://intranet.corp.example/", "http://other.test/");
        assertThat(v.level()).isEqualTo(Level.CLEAN);
        assertThat(v.reasons()).containsExactly(Reason.ALLOWLISTED);
        assertThat(withAllow.scan("https://corp.example@evil.test/").level()).isEqualTo(Level.MALICIOUS);
    }

    @Test
    void blockList() {
        LinkScanner withBlock = LinkScanner.builder()
                .check(LinkChecks.blockList(DoNotRewriteList.of(List.of("bad.test", "*.worse.test")))).build();
        assertThat(withBlock.scan("https://BAD.test./x").reasons()).containsExactly(Reason.BLOCKLISTED);
        assertThat(withBlock.scan("https://a.worse.test/").level()).isEqualTo(Level.MALICIOUS);
        assertThat(withBlock.scan("https://worse.test/").level()).isEqualTo(Level.CLEAN);
    }

    @Test
    void invalidHostsAndOverlongUrls() {
        assertThat(scanner.scan("http://exa mple.com/").reasons()).contains(Reason.INVALID_HOST);
        LinkVerdict overlong = scanner.scan("https://example.com/" + "a".repeat(10_000));
        assertThat(overlong.reasons()).containsExactly(Reason.OVERLONG);
        assertThat(overlong.level()).isEqualTo(Level.SUSPICIOUS);
    }

    @Test
    void paddingDoesNotHideADangerousScheme() {
        for (String url : new String[] {"javascript:alert(1)//", " Data:text/html,", "vb\tscript:x"}) {
            LinkVerdict padded = scanner.scan(url + "a".repeat(10_000));
            assertThat(padded.level()).as(url).isEqualTo(Level.MALICIOUS);
            assertThat(padded.reasons()).as(url).containsExactlyInAnyOrder(Reason.OVERLONG, Reason.DANGEROUS_SCHEME);
        }
    }

    @Test
    void failingCheckFailsClosed() {
        LinkScanner broken = LinkScanner.builder().check(link -> {
            throw new IllegalStateException("boom " + link.url());
        }).build();
        LinkVerdict v = broken.scan("https://secret.example/?token=abc");
        assertThat(v.reasons()).containsExactly(Reason.CHECK_FAILED);
        assertThat(v.level()).isEqualTo(Level.SUSPICIOUS);
        assertThat(v.toString()).doesNotContain("token=abc");
    }

    @Test
    void scansExtractedHtmlLinks() {
        List<HtmlLink> links = HtmlLinkExtractor.create().extract(
                "<a href='https://evil.test/'>www.bank.co.uk</a><a href='javascript:void(0)'>x</a>", "");
        assertThat(scanner.scan(links.get(0)).reasons()).containsExactly(Reason.DECEPTIVE_ANCHOR);
        assertThat(scanner.scan(links.get(1)).reasons()).containsExactly(Reason.DANGEROUS_SCHEME);
    }
}
