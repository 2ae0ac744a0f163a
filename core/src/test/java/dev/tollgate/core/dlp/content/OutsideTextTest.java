package dev.tollgate.core.dlp.content;

import static dev.tollgate.core.dlp.content.TestMessages.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.dlp.TextScanner;
import dev.tollgate.core.dlp.policy.MessageScan;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
    void onlyADelimiterAtALineStartEndsTheParts() throws Exception {
        // dashes and the close delimiter inside lines, and a line starting with the boundary and more, are part text
        String raw = HEAD + "--b\r\nContent-Type: text/plain\r\n\r\nsee x--b-- and -- --b--\r\n- item\r\n--bb--\r\n"
                + "IBAN DE89 3704 0044 0532 0130 00 in the part\r\n--b--\r\n"
                + "Card 4111 1111 1111 1111 after the close delimiter\r\n";
        assertThat(locations(scan(raw))).containsExactly("epilogue payment-card", "body[1] iban");
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

    private static String html(String body) {
        return "Subject: s\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body>" + body
                + "</body></html>\r\n";
    }

    @Test
    void aBlockFollowedByAnInlineElementReadsAsTwoWordsAsTheBrowserShowsIt() throws Exception {
        for (String body : List.of("<div>Details</div><b>4111 1111 1111 1111</b>", "<h3>Details</h3><span>4111 1111 1111 1111</span>",
                "<p>Order 2026</p><span>4111 1111 1111 1111</span>", "<div>Access key</div><b>AKIAIOSFODNN7EXAMPLE</b>")) {
            assertThat(scan(html(body)).findings()).as(body).isNotEmpty();
        }
        // counter-case: inline elements side by side are one word, as shown: a hex id, no card
        assertThat(scan(html("<p>id <b>9f3a</b><i>4111111111111111</i>c2</p>")).findings()).isEmpty();
    }

    @Test
    void htmlTablesAndParagraphsAreLaidOutAsLinesAndCells() throws Exception {
        org.jsoup.nodes.Document doc = org.jsoup.Jsoup.parse("<p>Intro <b>x</b></p><table><tr><th>Region</th>"
                + "<th>Q1</th></tr>\n <tr> <td>North</td> <td> 4000 </td></tr></table>a<br>b<br><br><br>c<div>d</div>");
        assertThat(ExtractionRun.visibleText(doc, new StringBuilder()))
                .isEqualTo("Intro x\n\nRegion\tQ1\nNorth\t4000\n\na\nb\n\nc\nd");
    }

    @Test
    void htmlTableRowsOfFiguresNeedACardLabel() throws Exception {
        // a row of figures that passes IIN and Luhn, in table cells: columns, no card without a label
        String row = "<tr><td>North</td><td>4000</td><td>1200</td><td>1300</td><td>1407</td></tr>";
        assertThat(scan(html("<table>" + row + "</table>")).findings()).isEmpty();
        assertThat(scan(html("<table><tr><th>Region</th><th>Cash</th><th>Visa</th><th>Amex</th><th>Total</th></tr>"
                + row + row + "</table>")).findings()).isEmpty();
        // a card label far above, in another paragraph, is no context
        String far = "<p>Please book it on the corporate card.</p>" + "<p>Some news.</p>".repeat(20);
        assertThat(scan(html(far + "<p>4000; 1200; 1300; 1407</p>")).findings()).isEmpty();
        // with a card label in the row, the header row, or the paragraph right before: a card
        assertThat(locations(scan(html("<table><tr><td>Card</td><td>4111</td><td>1111</td><td>1111</td><td>1111</td>"
                + "</tr></table>")))).containsExactly("body[1] payment-card");
        assertThat(scan(html("<table><tr><th>Name</th><th>Card number</th></tr>" + row + row + "</table>"))
                .findings()).hasSize(2);
        assertThat(locations(scan(html("<p>Here is the card:</p><p>4111; 1111; 1111; 1111</p>"))))
                .containsExactly("body[1] payment-card");
        // a number with single spaces in one cell needs no label
        assertThat(locations(scan(html("<table><tr><td>Ann</td><td>4111 1111 1111 1111</td></tr></table>"))))
                .containsExactly("body[1] payment-card");
    }

    @Test
    void textHiddenInsideAVisibleNumberDoesNotSplitIt() throws Exception {
        for (String decoy : List.of("<span style=\"display:none\">0</span>", "<span hidden>0</span>",
                "<span style=\"font-size: 0px;\">0</span>", "<span style=\"VISIBILITY:hidden\">7</span>",
                "<noscript>9</noscript>")) {
            String body = "<p>card 4111" + decoy + " 1111 1111 1111</p>";
            assertThat(locations(scan(html(body)))).as(decoy).containsExactly("body[1] payment-card");
        }
        // the hidden text is still read, on its own
        assertThat(locations(scan(html("<p>Hello</p><div style=\"display: none\">4111 1111 1111 1111</div>"))))
                .containsExactly("body[1] payment-card");
        // a visible font size with a zero in it hides nothing: the laid-out text holds no card, but the reading
        // without the short element between two digits does (its CSS could hide it in a way not known here)
        assertThat(locations(scan(html("<p>card 4111<span style=\"font-size:10px\">0</span> 1111 1111 1111</p>"))))
                .containsExactly(GAPS);
    }

    /** A card found only in the reading without the short inline elements between digits. */
    private static final String GAPS = "body[1]" + ContentSegment.WITHOUT_INLINE_GAPS + " payment-card";

    private static String splitBy(String open, String close) {
        return "<p>4111" + open + "x" + close + "1111" + open + "x" + close + "1111" + open + "x" + close + "1111</p>";
    }

    @Test
    void junkHiddenByOpacityTinyFontsColourOrStyleSheetsDoesNotSplitANumber() throws Exception {
        for (String style : List.of("opacity:0", "opacity: 0.05", "opacity:4%", "font-size:0.01px", "font-size:0.5pt",
                "font-size:.05em", "font-size:0.06rem", "font-size:5%", "color:transparent", "color:rgba(0,0,0,0)",
                "color:#fff", "color:WHITE !important", "color:#ffffff", "color:rgb(255, 255, 255)", "color:#0000")) {
            String body = splitBy("<span style=\"" + style + "\">", "</span>");
            assertThat(locations(scan(html(body)))).as(style).containsExactly("body[1] payment-card");
        }
        // the colour of the nearest background set inline or by bgcolor
        for (String body : List.of("<div style=\"background:#000 url(x.png)\">" + splitBy("<span style=\"color:black\">",
                "</span>") + "</div>", "<table><tr><td bgcolor=\"#336699\">" + splitBy("<font style=\"color:#369\">",
                "</font>") + "</td></tr></table>")) {
            assertThat(locations(scan(html(body)))).as(body).containsExactly("body[1] payment-card");
        }
        // rules of <style> sheets, also inside @media; a rule jsoup cannot read is left out, the others still apply
        for (String sheet : List.of(".h{display:none}", "/* c */ @media screen { span.h { visibility : hidden } }",
                "a:hover{color:red} p::first-letter{font-weight:bold} .h{font-size:0}", "@import url(x.css); p > .h {opacity:0}",
                "#x{} [data-h], .h{color:transparent!important}")) {
            String body = "<style>" + sheet + "</style>" + splitBy("<span class=\"h\" data-h>", "</span>");
            assertThat(locations(scan(html(body)))).as(sheet).containsExactly("body[1] payment-card");
        }
    }

    @Test
    void visibleStyledTextIsReadInTheFlowAndHiddenTextOnItsOwn() throws Exception {
        // counter-cases: visible styles keep the junk in the number, so the laid-out text holds no card (only the
        // reading without the short elements between digits does)
        for (String style : List.of("opacity:0.5", "opacity:0.06", "font-size:1px", "font-size:0.8em", "font-size:10%",
                "color:#000", "color:rgba(255,255,255,0.9); background:#000", "color:red",
                "color:#fff;background-color:transparent;display:inline")) {
            String body = "<div style=\"background-color:#000\">" + splitBy("<span style=\"" + style + "\">", "</span>")
                    + "</div>";
            if (style.startsWith("color:#000") || style.startsWith("color:rgba")) {
                body = splitBy("<span style=\"" + style + "\">", "</span>");
            }
            assertThat(locations(scan(html(body)))).as(style).containsExactly(GAPS);
        }
        // a background set by a style sheet is not known: white text is then read as visible
        assertThat(locations(scan(html("<style>body{background:#222}</style>" + splitBy("<span style=\"color:#fff\">", "</span>")))))
                .containsExactly(GAPS);
        // a sheet rule that does not hide (or hides something else) leaves the junk in the flow
        assertThat(locations(scan(html("<style>.h{color:red;font-size:12px} .other{display:none}</style>"
                + splitBy("<span class=\"h\">", "</span>"))))).containsExactly(GAPS);
        // bounded: rules after the first 200, and selectors longer than 256 chars, are not applied
        String many = ".a{color:red}".repeat(HtmlHiding.MAX_RULES) + ".h{display:none}";
        assertThat(locations(scan(html("<style>" + many + "</style>" + splitBy("<span class=\"h\">", "</span>"))))).containsExactly(GAPS);
        String longSelector = "span" + ":not(.z)".repeat(40) + ".h{display:none}";
        assertThat(locations(scan(html("<style>" + longSelector + "</style>" + splitBy("<span class=\"h\">", "</span>")))))
                .containsExactly(GAPS);
        assertThat(locations(scan(html("<style>" + ".a{color:red}".repeat(HtmlHiding.MAX_RULES - 1) + ".h{display:none}"
                + "</style>" + splitBy("<span class=\"h\">", "</span>"))))).containsExactly("body[1] payment-card");
        // white text deeper than 64 levels below a black background is read as visible, not assumed on white
        String deep = "<div style=\"background:black\">" + "<span>".repeat(70) + splitBy("<span style=\"color:#fff\">",
                "</span>") + "</span>".repeat(70) + "</div>";
        assertThat(locations(scan(html(deep)))).containsExactly(GAPS);
        // a hidden element's own content is still read, as its own paragraph
        for (String hidden : List.of("<div style=\"opacity:0\">4111 1111 1111 1111</div>",
                "<style>.h{display:none}</style><div class=\"h\">4111 1111 1111 1111</div>",
                "<div style=\"color:#fff\">4111 1111 1111 1111</div>")) {
            ExtractedContent c = extractor.extract(parse(html("<p>Hello</p>" + hidden)));
            assertThat(MimeContentExtractorTest.textAt(c, "body[1]")).as(hidden).isEqualTo("Hello\n\n4111 1111 1111 1111");
        }
    }

    @Test
    void cardInALinkQueryStringIsFoundAtHrefPlainOrPercentEncoded() throws Exception {
        assertThat(locations(scan(html("<a href=\"https://x.example/p?card=4111111111111111\">pay</a>"))))
                .containsExactly("body[1]#href payment-card");
        assertThat(locations(scan(html("<a href=\"https://x.example/p?card=4111%201111%201111%201111\">pay</a>"))))
                .containsExactly("body[1]#href \u2192 percent payment-card");
        assertThat(locations(scan(html("<a href=\"https://x.example/p?c=%34%31%31%31%31%31%31%31%31%31%31%31%31%31%31%31\">"
                + "pay</a>")))).containsExactly("body[1]#href \u2192 percent payment-card");
        assertThat(locations(scan(html("<a href=\"https://x.example/p?k=AKIAIOSFODNN7EXAMPLE&amp;x=1\">x</a>"))))
                .containsExactly("body[1]#href cloud-credential");
        // one escape in a URL is enough to hide a value's start
        assertThat(locations(scan(html("<a href=\"mailto:b@x.example?subject=IBAN%20DE89370400440532013000\">m</a>"))))
                .containsExactly("body[1]#href \u2192 percent iban");
    }

    @Test
    void linkTargetsOfAnHtmlAttachmentAreNamedByTheAttachment() throws Exception {
        byte[] page = "<html><body><a href=\"https://x.example/?n=5555555555554444\">x</a></body></html>"
                .getBytes(StandardCharsets.UTF_8);
        MessageScan s = MessageScan.of(extractor.extract(TestMessages.withAttachment("see", page, "page.html",
                "text/html")), scanner);
        assertThat(locations(s)).containsExactly("attachment:page.html#href payment-card");
    }

    @Test
    void trackingIdsInLinksAreNoFinding() throws Exception {
        MessageScan s = scan(html("<a href=\"https://t.example/c?id=4111111111111112&amp;ts=1733260000000"
                + "&amp;utm_source=news%20letter&amp;u=https%3A%2F%2Fshop.example%2Fitem%2F99881234\">shop</a>"
                + "<img src=\"https://t.example/o.gif?r=5500000000000005&amp;h=9f86d081884c7d659a2feaa0c55ad015\">"));
        assertThat(s.findings()).isEmpty();
        assertThat(s.unscannable()).isEmpty();
    }

    @Test
    void textInStyleAndScriptElementsIsFoundAtStyleAndScript() throws Exception {
        MessageScan s = scan(html("<style>/* card 4111 1111 1111 1111 */ p { color: red }</style>"
                + "<p>Hello</p><script>var key = \"AKIAIOSFODNN7EXAMPLE\";</script>"
                + "<p style=\"font-family: 'IBAN DE89 3704 0044 0532 0130 00'\">x</p>"));
        assertThat(locations(s)).containsExactlyInAnyOrder("body[1]#style payment-card",
                "body[1]#script cloud-credential", "body[1]#style iban");
    }

    @Test
    void cssDecimalsAndScriptNumericConstantsAreNoFinding() throws Exception {
        MessageScan s = scan(html("<style>.a { width: 33.333333333333336%; margin: 0.41421356237309515em; "
                + "line-height: 1.6180339887498949 } @media (max-width: 600px) { .b { top: -12.5px } }</style>"
                + "<script>var M = [1073741824, 2147483647, 4294967295, 9007199254740991, 0x7fffffff];"
                + "var t = 1733260000000; var pi = 3.141592653589793;</script><p>Hello</p>"));
        assertThat(s.findings()).isEmpty();
    }

    @Test
    void binaryDataUriPayloadsAreLeftOutButTextOnesAreDecoded() throws Exception {
        byte[] png = new byte[2000];
        new java.util.Random(3).nextBytes(png);
        String img = Base64.getEncoder().encodeToString(png);
        ExtractedContent c = extractor.extract(parse(html("<img src=\"data:image/png;base64," + img + "\" id=\"logo\">"
                + "<style>@font-face { src: url(data:font/woff2;base64," + img + ") }</style>")));
        assertThat(c.segments()).filteredOn(s -> s.location().equals("body[1]#attributes")).singleElement()
                .satisfies(s -> assertThat(s.text().toString()).isEqualTo("data:image/png;base64,\n\nlogo"));
        assertThat(c.segments()).filteredOn(s -> s.location().equals("body[1]#style")).singleElement()
                .satisfies(s -> assertThat(s.text().toString()).isEqualTo("@font-face { src: url(data:font/woff2;base64,) }"));
        String text = Base64.getEncoder().encodeToString("card 4111 1111 1111 1111".getBytes(StandardCharsets.UTF_8));
        assertThat(locations(scan(html("<img src=\"data:text/plain;base64," + text + "\">"))))
                .containsExactly("body[1]#attributes \u2192 base64 payment-card");
    }

    private static final String PLAIN = "Content-Type: text/plain\r\n\r\nhello\r\n";

    @Test
    void cardInAnyHeaderIsFoundAndNamedByTheHeader() throws Exception {
        assertThat(locations(scan("Subject: s\r\nX-Comment: card 4111 1111 1111 1111\r\n" + PLAIN)))
                .containsExactly("header:X-Comment payment-card");
        assertThat(locations(scan("Subject: s\r\nContent-Description: AKIAIOSFODNN7EXAMPLE\r\n" + PLAIN)))
                .containsExactly("header:Content-Description cloud-credential");
        assertThat(locations(scan(HEAD + "--b\r\nContent-Type: text/plain\r\n"
                + "Content-Description: card 4111-1111-1111-1111\r\n\r\nhello\r\n--b--\r\n")))
                .containsExactly("body[1] header:Content-Description payment-card");
        assertThat(locations(scan("Subject: card 4111 1111 1111 1111\r\n" + PLAIN))).containsExactly("subject payment-card");
        // a second Subject field is read too (clients differ in which one they show)
        assertThat(locations(scan("Subject: hello\r\nSubject: card 4111 1111 1111 1111\r\n" + PLAIN)))
                .containsExactly("subject payment-card");
    }

    @Test
    void foldedCalendarAndVcardLinesAreJoinedBeforeScanning() throws Exception {
        String ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDESCRIPTION:card 4111 11\r\n 11 1111 1111\r\nEND:VEVENT\r\n"
                + "END:VCALENDAR\r\n";
        String part = HEAD + "--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b\r\nContent-Type: text/calendar; charset=utf-8"
                + "\r\n\r\n" + ics + "--b--\r\n";
        assertThat(scan(part).findings()).extracting(f -> f.finding().detectorId()).containsExactly("payment-card");
        String vcf = "BEGIN:VCARD\r\nVERSION:4.0\r\nNOTE:key AKIAIOSF\r\n\tODNN7EXAMPLE\r\nEND:VCARD\r\n";
        String attached = HEAD + "--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b\r\nContent-Type: application/octet-stream;"
                + " name=bob.vcf\r\nContent-Disposition: attachment; filename=bob.vcf\r\n\r\n" + vcf + "--b--\r\n";
        assertThat(scan(attached).findings()).extracting(f -> f.finding().detectorId()).containsExactly("cloud-credential");
        // counter-case: an ordinary folded description is no finding
        String plain = ics.replace("card 4111 11\r\n 11 1111 1111", "Quarterly review, room 4\r\n 12, 10:00 to 11:30");
        assertThat(scan(part.replace(ics, plain)).findings()).isEmpty();
    }

    @Test
    void encodedWordsInHeadersAreDecodedAlsoWhenGlued() throws Exception {
        String b = Base64.getEncoder().encodeToString("Karte 4111 1111 1111 1111".getBytes(StandardCharsets.UTF_8));
        assertThat(locations(scan("Subject: s\r\nX-Note: =?UTF-8?B?" + b + "?=\r\n" + PLAIN)))
                .containsExactly("header:X-Note payment-card");
        // glued encoded words (no white space between them) are decoded by lenient clients
        assertThat(locations(scan("Subject: =?UTF-8?Q?4111_1111?==?UTF-8?Q?_1111_1111?=\r\n"
                + "X-Info: =?UTF-8?Q?4111?= =?UTF-8?Q?1111?=\r\n  =?UTF-8?Q?11111111?=\r\n" + PLAIN)))
                .containsExactly("subject payment-card", "header:X-Info payment-card");
    }

    @Test
    void headersOfAnAttachedMessageAreFoundUnderItsLocation() throws Exception {
        String inner = "Subject: fwd\r\nX-Comment: 4111 1111 1111 1111\r\n" + PLAIN;
        String raw = HEAD + "--b\r\nContent-Type: text/plain\r\n\r\nsee\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n"
                + inner + "--b--\r\n";
        assertThat(locations(scan(raw))).containsExactly("message[1]/header:X-Comment payment-card");
    }

    @Test
    void traceIdentifierAndSignatureHeadersWithDigitRunsAreNoFinding() throws Exception {
        String raw = "Received: from mail.example ([192.0.2.7]) by mx.example with ESMTPS id 4111111111111111\r\n"
                + "\tfor <a@example.com>; Thu, 3 Dec 2026 21:56:23 +0000\r\n"
                + "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s1; t=1733260000; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\r\n"
                + "\tb=" + Base64.getEncoder().encodeToString(new byte[128]) + "\r\n"
                + "Message-ID: <4111111111111111.1733260000123@mail.example>\r\n"
                + "In-Reply-To: <5555555555554444@mail.example>\r\nReferences: <5555555555554444@mail.example>\r\n"
                + "Date: Thu, 3 Dec 2026 21:56:23 +0000\r\nSubject: s\r\n"
                + "X-Mailer: Mailer 16.0.18025.20160\r\nX-Campaign: 20261203-4481-9921-0007\r\n"
                + "From: 4111111111111111@example.com\r\n" + PLAIN;
        MessageScan s = scan(raw);
        assertThat(s.findings()).isEmpty();
        assertThat(s.unscannable()).isEmpty();
    }
}
