package dev.tollgate.core.dlp.content;

import static dev.tollgate.core.dlp.content.TestMessages.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.dlp.TextScanner;
import dev.tollgate.core.dlp.policy.MessageScan;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Text a client could show that is outside the parts' ordinary text. */
class OutsideTextTest {
    private final MimeContentExtractor extractor = MimeContentExtractor.builder().build();
    private final TextScanner scanner = TextScanner.builder().allBuiltInDetectors().withoutDefaultContextRules().build();

    private MessageScan scan(String raw) throws Exception {
        return MessageScan.of(extractor.extract(parse(raw)), scanner);
    }

    private List<String> locations(MessageScan s) {
        return s.findings().stream().map(f -> f.location() + " " + f.finding().detectorId()).collect(Collectors.toList());
    }

    private static final String HEAD = "Subject: s\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n";

    @Test
    void preambleAndEpilogueAreScanned() throws Exception {
        String raw = HEAD + "Card 4111 1111 1111 1111 before the parts\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n"
                + "IBAN DE89 3704 0044 0532 0130 00 after the close delimiter\r\n";
        assertThat(locations(scan(raw))).containsExactly("preamble payment-card", "epilogue iban");
    }

    @Test
    void partsAfterAPrematureCloseDelimiterAreScannedAsEpilogue() throws Exception {
        String raw = HEAD + "--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\nsecret AKIAIOSFODNN7EXAMPLE\r\n--b--\r\n";
        assertThat(locations(scan(raw))).containsExactly("epilogue cloud-credential");
    }

    @Test
    void epilogueOfANestedMultipartIsNamedByItsPath() throws Exception {
        String raw = HEAD + "--b\r\nContent-Type: multipart/alternative; boundary=c\r\n\r\n"
                + "--c\r\nContent-Type: text/plain\r\n\r\nhi\r\n--c--\r\n4111-1111-1111-1111\r\n--b--\r\n";
        assertThat(locations(scan(raw))).containsExactly("epilogue[1] payment-card");
    }

    @Test
    void ordinaryPreambleAndEpilogueGiveNoFinding() throws Exception {
        String raw = HEAD + "This is a multi-part message in MIME format.\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\nhello 2026-05-01\r\n--b--\r\n\r\n";
        MessageScan s = scan(raw);
        assertThat(s.findings()).isEmpty();
        assertThat(s.unscannable()).isEmpty();
    }

    @Test
    void duplicateContentTypeMakesThePartUnscannable() throws Exception {
        String raw = "Subject: s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n"
                + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
                + "4111 1111 1111 1111\r\n--b--\r\n";
        assertThat(scan(raw).unscannable()).singleElement().satisfies(u -> {
            assertThat(u.reason()).isEqualTo(Unscannable.Reason.EXTRACTION_FAILED);
            assertThat(u.detail()).contains("2 Content-Type headers");
        });
        String inner = HEAD + "--b\r\nContent-Type: text/plain\r\nContent-Type: application/octet-stream\r\n\r\n"
                + "x\r\n--b--\r\n";
        assertThat(scan(inner).unscannable()).singleElement().extracting(Unscannable::location).isEqualTo("part[1]");
        // counter-case: one Content-Type per part is no ambiguity
        assertThat(scan(HEAD + "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--\r\n").unscannable()).isEmpty();
    }

    @Test
    void hiddenHtmlIsScanned() throws Exception {
        String html = "<html><head><title>t</title></head><body><p>Hello</p>"
                + "<!-- card 4111 1111 1111 1111 -->"
                + "<div style=\"display:none\">IBAN DE89 3704 0044 0532 0130 00</div>"
                + "<noscript>key AKIAIOSFODNN7EXAMPLE</noscript>"
                + "<img src=\"x.png\" alt=\"5555 5555 5555 4444\" width=\"100\">"
                + "<p title=\"SSN 123-45-6789\">x</p>"
                + "<form><input type=\"hidden\" name=\"n\" value=\"378282246310005\"></form>"
                + "</body></html>";
        String raw = "Subject: s\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html + "\r\n";
        assertThat(scan(raw).findings()).extracting(f -> f.finding().detectorId()).containsExactlyInAnyOrder(
                "payment-card", "iban", "cloud-credential", "payment-card", "us-ssn", "payment-card");
        // counter-case: ordinary attributes and styles are not findings
        String plain = "<p style=\"width:100.5px\" title=\"Order 2026-0501\"><img alt=\"logo 1200x630\"></p>";
        assertThat(scan("Subject: s\r\nContent-Type: text/html\r\n\r\n" + plain + "\r\n").findings()).isEmpty();
    }
}
