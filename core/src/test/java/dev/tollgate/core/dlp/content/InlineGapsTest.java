package dev.tollgate.core.dlp.content;

import static dev.tollgate.core.dlp.content.TestMessages.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tollgate.core.dlp.TextScanner;

/**
 * HTML whose digits a reader sees side by side, split by elements hidden in ways {@link HtmlHiding} may not know,
 * the reading without inline gaps ({@link InlineGaps}), the CSS hiding added for it, {@code <div>} lines, and
 * direction from style sheets.
 */
class InlineGapsTest {
    private final MimeContentExtractor extractor = MimeContentExtractor.builder().build();
    private final TextScanner scanner = TextScanner.builder().allBuiltInDetectors().build();

    private static final String BASE = "body[1] payment-card";
    private static final String GAPS = "body[1]" + ContentSegment.WITHOUT_INLINE_GAPS + " payment-card";

    private static String html(String body) {
        return TestMessages.html(body);
    }

    private List<String> locations(String body) throws Exception {
        return TestMessages.findingLocations(extractor, scanner, html(body));
    }

    private String gapText(String body) throws Exception {
        org.jsoup.nodes.Document doc = org.jsoup.Jsoup.parse(body);
        return InlineGaps.of(new ExtractionRun.Layout(doc, null, HtmlHiding.sheets(doc), true).run());
    }

    /** CSS this code does not read as hiding (a filter, an SVG mask...): only the reading without gaps sees the card. */
    private static final String UNKNOWN = "filter:opacity(0)";

    @Test
    void hiddenJunkDigitBetweenVisibleDigitsIsLeftOutWhateverHidesIt() throws Exception {
        for (String junk : List.of("<span style=\"" + UNKNOWN + "\">9</span>", "<i class=\"q\">07</i>",
                "<b style=\"" + UNKNOWN + "\"><i>9</i></b>")) {
            assertThat(locations("<p>card 4111 " + junk + "1111 1111 1111</p>")).as(junk).containsExactly(GAPS);
        }
        // digit-free splitters between the groups, any number of them
        String x = "<span style=\"" + UNKNOWN + "\">x</span>";
        assertThat(locations("<p>4111" + x + "1111" + x + "1111" + x + "1111</p>")).containsExactly(GAPS);
        assertThat(gapText("<p>Pay with</p><p>4111 " + x + "1111 " + x + "1111 1111 thanks</p><p>Bye</p><p>x</p>"))
                .isEqualTo("Pay with\n\n4111 1111 1111 1111 thanks\n\nBye");
    }

    @Test
    void aHiddenDigitAmongVisibleDigitElementsIsLeftOutAlone() throws Exception {
        // the card's own groups are short elements between digits too: with all of them left out no card is left,
        // so each digit-holding one is also left out alone
        String body = "<p><span>4111</span> <span>1111</span><span style=\"" + UNKNOWN + "\">9</span> <span>1111</span>"
                + " <span>1111</span></p>";
        assertThat(locations(body)).contains(GAPS).containsOnly(GAPS);
        assertThat(gapText(body)).contains("\n\n4111 1111 1111 1111\n\n");
        // bounded: at most MAX_WINDOWS windows per part
        String many = ("<p><span>12</span> <span>34</span> <span>56</span></p>").repeat(InlineGaps.MAX_WINDOWS + 10);
        assertThat(gapText(many).split("\n\n")).hasSizeLessThanOrEqualTo(2 * (InlineGaps.MAX_WINDOWS + 10) + InlineGaps.MAX_WINDOWS);
        // one long line of digit elements: the line once, and at most MAX_WINDOWS windows of bounded width
        String line = "<p>" + "<b>1</b> ".repeat(20_000) + "</p>";
        String read = gapText(line);
        String[] parts = read.split("\n\n");
        assertThat(parts).hasSize(1 + InlineGaps.MAX_WINDOWS);
        for (int i = 1; i < parts.length; i++) {
            assertThat(parts[i].length()).isLessThanOrEqualTo(2 * InlineGaps.WINDOW_CHARS + 2);
        }
    }

    @Test
    void aCardTheLaidOutTextHoldsIsReportedOnce() throws Exception {
        // a visible card on a line that also has a gap: the second reading finds the same value and adds nothing
        assertThat(locations("<p>card 4111 1111 1111 1111 ref 12<b>x</b>34</p>")).containsExactly(BASE);
        assertThat(locations("<p>card <b>4111</b> <b>1111</b> <b>1111</b> <b>1111</b></p>")).containsExactly(BASE);
        // a plain page has no gap at all: no second reading
        assertThat(gapText("<p>card 4111 1111 1111 1111</p>")).isNull();
    }

    @Test
    void longElementsBetweenDigitsStayInTheReading() throws Exception {
        // more than MAX_GAP_CHARS chars: no gap, as a reader does not run the numbers either side together
        String words = "<span style=\"" + UNKNOWN + "\">see attachment</span>";
        assertThat(locations("<p>4111 1111 " + words + " 1111 1111</p>")).isEmpty();
        assertThat(gapText("<p>4111 1111 " + words + " 1111 1111</p>")).isNull();
    }

    @Test
    void newsletterFiguresInAdjacentSpansAreNoCard() throws Exception {
        // counter-cases: prices, dates, phone numbers, order numbers and quantities set in adjacent inline elements
        for (String body : List.of(
                "<p>Now <b>$</b><span class=\"p\">1299</span><sup>.99</sup> was <s>1499</s> <span>1599</span></p>",
                "<p>Offer ends <span>12</span>/<span>05</span>/<span>2026</span> at <b>23</b>:<b>59</b></p>",
                "<p>Call <span>+1</span> <span>555</span> <span>0142</span> <span>3867</span> or <span>0800</span> "
                        + "<span>123</span> <span>4567</span></p>",
                "<p>Order <b>4024</b> <i>of</i> <b>2025</b> shipped: <span>2</span> <span>x</span> <span>1499</span> "
                        + "items, tracking <b>4061</b><b>2024</b><b>1234</b><b>5672</b> soon</p>",
                "<table><tr><td>Qty</td><td><span>4</span> <span>111</span></td><td>Ref <span>1111</span> <span>11</span>"
                        + "</td></tr></table>",
                "<p>Save <b>40</b>% on <b>1</b> <i>to</i> <b>11</b> nights, <span>4.8</span> <span>(1,214 reviews)</span></p>")) {
            assertThat(locations(body)).as(body).isEmpty();
        }
    }

    @Test
    void visibleWordsAndMarksBetweenGroupsJoinThemOnlyUnderACardLabel() throws Exception {
        // 4024 0071 0000 0008 passes IIN and Luhn; a reader sees four numbers with words or marks between them
        String[] g = {"4024", "0071", "0000", "0008"};
        java.util.function.BiFunction<String, String, String> join = (open, close) -> "<span>" + g[0] + "</span>"
                + open + "<span>" + g[1] + "</span>" + close + "<span>" + g[2] + "</span>" + close + "<span>" + g[3]
                + "</span>";
        for (String[] between : new String[][] {{" <i>or</i> ", " <i>or</i> "}, {" <b>&#x2013;</b> ", " <b>&#x2013;</b> "},
            {"<sup>&euro;</sup> ", "<sup>&euro;</sup> "}, {"<i> and </i>", "<i> and </i>"}, {" <b>/</b>", " <b>/</b>"},
            {"<b>$</b>", "<b>$</b>"}, {" <span>x</span> ", " <span>x</span> "}}) {
            String body = "<p>Scores " + join.apply(between[0], between[1]) + " this week</p>";
            assertThat(locations(body)).as(body).isEmpty();
            assertThat(gapText(body)).as(body).contains(String.valueOf(dev.tollgate.core.dlp.PaymentCardDetector.GAP_SEPARATOR));
            // the same under a card label: the reading without gaps joins them (a spaced dash, the laid-out text too)
            assertThat(locations("<p>Card number:</p><p>" + join.apply(between[0], between[1]) + "</p>")).as(body)
                    .hasSize(1).containsAnyOf(GAPS, BASE);
        }
        // the en dash between bold groups in the laid-out text itself
        assertThat(locations("<p>Scores <b>4024</b> &#x2013; <b>0071</b> &#x2013; <b>0000</b> &#x2013; <b>0008</b></p>"))
                .isEmpty();
        assertThat(locations("<p>Card: <b>4024</b> &#x2013; <b>0071</b> &#x2013; <b>0000</b> &#x2013; <b>0008</b></p>"))
                .containsExactly(BASE);
        // junk letters glued to a digit are still left out without a label
        String x = "<span style=\"" + UNKNOWN + "\">or</span>";
        assertThat(locations("<p>4024 " + x + "0071 " + x + "0000" + x + " 0008</p>")).containsExactly(GAPS);
    }

    @Test
    void cssHidingAddedForTheReviewIsRecognised() throws Exception {
        for (String style : List.of("position:absolute;left:-9999px", "position: fixed; top: -60em",
                "text-indent:-9999px", "width:0;overflow:hidden", "height:0px; overflow-y: clip", "mso-hide:all",
                "clip-path:inset(50%)", "position:absolute;clip:rect(0 0 0 0)", "clip: rect(1px, 1px, 1px, 1px)",
                "transform:scale(0)", "transform: translateX(2px) scaleY(0.01)", "scale: 0",
                "display:/**/none", "disp\\6c ay:none", "\\64 isplay: n\\6f ne", "vi\\sibility:hidden")) {
            String body = "<p>card 4111<span style=\"" + style + "\">9</span> 1111 1111 1111</p>";
            assertThat(locations(body)).as(style).containsExactly(BASE);
        }
        for (String font : List.of("<font color=\"#ffffff\">", "<font color=\"white\">", "<font color=\"#FFF\">")) {
            assertThat(locations("<p>card 4111" + font + "9</font> 1111 1111 1111</p>")).as(font).containsExactly(BASE);
        }
        assertThat(locations("<table><tr><td bgcolor=\"#000000\"><p>card 4111<font color=\"black\">9</font> 1111 1111 1111"
                + "</p></td></tr></table>")).containsExactly(BASE);
        // the same from a style sheet rule
        assertThat(locations("<style>.o{position:absolute;left:-5000px}</style><p>card 4111<span class=\"o\">9</span>"
                + " 1111 1111 1111</p>")).containsExactly(BASE);
    }

    @Test
    void visibleLayoutsLikeTheHidingOnesHideNothing() throws Exception {
        // counter-cases: the junk stays in the laid-out text (the reading without gaps still reads around it)
        for (String style : List.of("position:absolute;left:-20px", "position:static;left:-9999px", "text-indent:2em",
                "width:0", "overflow:hidden;width:10px", "mso-hide:none", "clip-path:none",
                "clip:rect(0 10px 10px 0)", "clip:rect(auto auto auto auto)", "transform:scale(1)", "scale:0.5 1",
                "display:/**/inline", "disp\\6c ay:block")) {
            String body = "<p>card 4111<span style=\"" + style + "\">9</span> 1111 1111 1111</p>";
            assertThat(locations(body)).as(style).containsExactly(GAPS);
        }
        assertThat(locations("<p>card 4111<font color=\"black\">9</font> 1111 1111 1111</p>")).containsExactly(GAPS);
        assertThat(HtmlHiding.unescape("a\\62 c\\\\d\\")).isEqualTo("abc\\d\\");
    }

    @Test
    void collapsedDetailsContentIsScanned() throws Exception {
        // a client shows it when the reader opens the summary
        assertThat(locations("<details><summary>Order</summary>Card 4111 1111 1111 1111</details>"))
                .containsExactly(BASE);
        assertThat(locations("<details><summary>Order</summary><p>Ref 2024-05-12, 3 items</p></details>")).isEmpty();
    }

    @Test
    void divsAreLinesAndParagraphsAreApart() throws Exception {
        // a card written in two <div>s reads as one number wrapped across two lines, as a client shows it
        assertThat(locations("<div>4111 1111</div><div>1111 1111</div>")).containsExactly(BASE);
        assertThat(locations("<div><div>Card:</div><div>4111 1111</div><div>1111 1111</div></div>")).containsExactly(BASE);
        // counter-cases: <p> paragraphs are set apart; figures in <div> lines with words between are no card;
        // table cells stay cells
        assertThat(locations("<p>4111 1111</p><p>1111 1111</p>")).isEmpty();
        assertThat(locations("<div>Tel 0800 4111</div><div>Fax 1111 1111</div><div>Updated 2026 05 01</div>"))
                .isEmpty();
        assertThat(locations("<div>Invoice 4024 0071</div><div>Customer 5301 2255</div>")).isEmpty();
        org.jsoup.nodes.Document doc = org.jsoup.Jsoup.parse("<div>a</div><div>b<div>c</div></div><p>d</p>"
                + "<table><tr><td>e</td><td>f</td></tr></table>");
        assertThat(ExtractionRun.visibleText(doc, new StringBuilder())).isEqualTo("a\nb\nc\n\nd\n\ne\tf");
    }

    @Test
    void directionFromStyleSheetsAndDirAutoIsLaidOut() throws Exception {
        String display = "body[1] \u2192 display order payment-card";
        assertThat(locations("<style>.x{direction:rtl;unicode-bidi:bidi-override}</style>"
                + "<p>Card <span class=\"x\">1111 1111 1111 1114</span></p>")).containsExactly(display);
        // the inline style wins over the sheet
        assertThat(locations("<style>.x{direction:rtl;unicode-bidi:bidi-override}</style>"
                + "<p>Card <span class=\"x\" style=\"direction:ltr\">1111 1111 1111 1114</span></p>")).isEmpty();
        // a sheet direction that reorders nothing, and a rule for other elements: no finding
        assertThat(locations("<style>.x{direction:ltr} .y{unicode-bidi:bidi-override;direction:rtl}</style>"
                + "<p>Card <span class=\"x\">1111 1111 1111 1114</span></p>")).isEmpty();
        // dir="auto" and <bdi> isolate by their first strong letter: digits alone inside stay left to right in a
        // Hebrew line, where without the isolate they would show reversed
        String hebrew = "&#x5D0;&#x5D1; ";
        assertThat(locations("<p>" + hebrew + "1111 1111 1111 4111</p>")).containsExactly(display);
        assertThat(locations("<p>" + hebrew + "<span dir=\"auto\">1111 1111 1111 4111</span></p>")).isEmpty();
        assertThat(locations("<p>" + hebrew + "<bdi>1111 1111 1111 4111</bdi></p>")).isEmpty();
    }
}
