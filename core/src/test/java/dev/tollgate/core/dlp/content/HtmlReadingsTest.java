package dev.tollgate.core.dlp.content;

import static dev.tollgate.core.dlp.content.TestMessages.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tollgate.core.dlp.TextScanner;

/**
 * What a client shows of HTML beyond its text nodes, and the second readings for it ({@link ExtractionRun.Layout}):
 * superscripts and subscripts after digits, ruby annotations, CSS generated content, flex and grid order, and shown
 * attribute values side by side.
 */
class HtmlReadingsTest {
    private final MimeContentExtractor extractor = MimeContentExtractor.builder().build();
    private final TextScanner scanner = TextScanner.builder().allBuiltInDetectors().build();

    private static final String BASE = "body[1] payment-card";
    private static final String APART = "body[1]" + ContentSegment.SUPERSCRIPTS_APART + " payment-card";
    private static final String ORDER = "body[1]" + ContentSegment.CSS_ORDER + " payment-card";
    private static final String JOINED = "body[1]" + ContentSegment.ATTRIBUTES_JOINED + " payment-card";

    private static String html(String body) {
        return TestMessages.html(body);
    }

    private List<String> locations(String body) throws Exception {
        return TestMessages.findingLocations(extractor, scanner, html(body));
    }

    /** The text of the segment at {@code body[1]} + suffix, or null without one. */
    private String segment(String body, String suffix) throws Exception {
        for (ContentSegment s : extractor.extract(parse(html(body))).segments()) {
            if (s.location().equals("body[1]" + suffix)) {
                return s.text().toString();
            }
        }
        return null;
    }

    // ---- superscripts and subscripts ----

    @Test
    void aSuperscriptCompletingTheLastGroupIsReadGlued() throws Exception {
        assertThat(locations("<p>Card 4111 1111 1111 111<sup>1</sup></p>")).containsExactly(BASE);
        assertThat(locations("<p>Card 4111 1111 1111 111<sub>1</sub> thanks</p>")).containsExactly(BASE);
        assertThat(locations("<p>Card 4111 1111 11<sup>11</sup> 1111</p>")).containsExactly(BASE);
        // a group of an Amex (4-6-5) is shorter than the one before
        assertThat(locations("<p>Amex 3782 822463 1000<sup>5</sup></p>")).containsExactly(BASE);
        // and the same line read with the superscript apart, with the line before as its label
        assertThat(segment("<p>Card number</p><p>4111 1111 1111 111<sup>1</sup></p>", ContentSegment.SUPERSCRIPTS_APART))
                .isEqualTo("Card number\n4111 1111 1111 111 1");
    }

    @Test
    void aFootnoteMarkAfterACompleteCardIsReadApart() throws Exception {
        assertThat(locations("<p>Total 4111 1111 1111 1111<sup>1</sup></p>")).containsExactly(BASE);
        assertThat(segment("<p>Total 4111 1111 1111 1111<sup>1</sup></p>", "")).isEqualTo("Total 4111 1111 1111 1111 1");
        // the last Amex group is shorter than the one before, so the glued reading comes first; apart it is a card
        assertThat(locations("<p>Amex 3782 822463 10005<sup>2</sup></p>")).containsExactly(APART);
    }

    @Test
    void aFootnoteOnAnIdDoesNotMakeACard() throws Exception {
        // glued, each of these would read as a valid Visa number (4111 1111 1111 1111)
        assertThat(locations("<p>Order 411111111111111<sup>1</sup></p>")).isEmpty();
        assertThat(locations("<p>Tel 0800 411 111 111 111<sup>1</sup></p>")).isEmpty();
        assertThat(segment("<p>Order 411111111111111<sup>1</sup></p>", ContentSegment.SUPERSCRIPTS_APART)).isNull();
        // digits right after the superscript: inside a number, read as written
        assertThat(segment("<p>x 10<sup>6</sup>1</p>", "")).isEqualTo("x 1061");
        assertThat(segment("<p>E = 10<sup>6</sup> J</p>", "")).isEqualTo("E = 10 6 J");
    }

    // ---- ruby ----

    @Test
    void rubyAnnotationsAreReadApartFromTheBaseText() throws Exception {
        assertThat(locations("<p><ruby>4111<rt>x</rt></ruby> 1111 1111 1111</p>")).containsExactly(BASE);
        assertThat(locations("<p><ruby>4111<rp>(</rp><rt>card</rt><rp>)</rp></ruby> <ruby>1111<rt>y</rt></ruby>"
                + " 1111 1111</p>")).containsExactly(BASE);
        // annotations of one line read together: nothing written above the base is lost
        String body = "<p><ruby>a<rt>4111</rt></ruby><ruby>b<rt>1111</rt></ruby><ruby>c<rt>1111</rt></ruby>"
                + "<ruby>d<rt>1111</rt></ruby></p><p><ruby>e<rt>9</rt></ruby></p>";
        assertThat(locations(body)).containsExactly(BASE);
        assertThat(segment(body, "")).isEqualTo("abcd\n\ne\n\n4111 1111 1111 1111\n9");
        assertThat(segment("<p><ruby>4111<rtc>1x</rtc></ruby> 1111</p>", "")).isEqualTo("4111 1111\n\n1x");
    }

    @Test
    void aRubyAnnotationIsNotGluedToTheBase() throws Exception {
        // read as written before, the annotation would complete the group: 4111 1111 1111 1111
        assertThat(locations("<p>Ref <ruby>4111 1111 1111 111<rt>1</rt></ruby></p>")).isEmpty();
        assertThat(locations("<p><ruby>\u6F22<rt>4111</rt></ruby> 1111 1111 1111</p>")).isEmpty();
    }

    // ---- CSS generated content ----

    @Test
    void beforeAndAfterStringsAreReadAtTheElementsStartAndEnd() throws Exception {
        assertThat(locations("<style>.c::before{content:\"4111 1111 \"}</style><p><span class=\"c\">1111 1111</span></p>"))
                .containsExactly(BASE);
        assertThat(locations("<style>p.c:before{content:'4111 1111 '}</style><p class=\"c\">1111 1111</p>"))
                .containsExactly(BASE);
        assertThat(locations("<style>#n::after{content:\" 1111 1111\"}</style><p>Card <b id=\"n\">4111 1111</b></p>"))
                .containsExactly(BASE);
        // CSS escapes, several strings, a selector list
        assertThat(segment("<style>.a::before, .b::after { content: \"\\34 111\" ' 1111' }</style>"
                + "<p><i class=\"a\"></i> 1111 1111 <i class=\"b\"></i>x</p>", ""))
                .isEqualTo("4111 1111 1111 1111 4111 1111x");
        assertThat(HtmlHiding.contentText("color:red; content: 'a;b' \"\\\"c\"")).isEqualTo("a;b\"c");
    }

    @Test
    void contentThatIsNotShownOrNotAStringAddsNothing() throws Exception {
        // hidden pseudo-element, attr() (not read), a rule for other elements, content without a pseudo-element
        for (String sheet : List.of(".c::before{content:\"4111 1111 \";display:none}",
                ".c::before{content:attr(data-n)}", ".d::before{content:\"4111 1111 \"}",
                ".c{content:\"4111 1111 \"}")) {
            assertThat(segment("<style>" + sheet + "</style><p><span class=\"c\" data-n=\"4111 1111 \">1111 1111</span>"
                    + "</p>", "")).as(sheet).isEqualTo("1111 1111");
        }
        assertThat(HtmlHiding.contentText("content:none")).isNull();
        assertThat(HtmlHiding.contentText("content:counter(item) open-quote")).isNull();
    }

    @Test
    void generatedContentIsBoundedAndBeyondItThePartIsUnscannable() throws Exception {
        String sheet = "<style>*::before{content:\"" + "a".repeat(1000) + "\"}</style>";
        ExtractedContent many = extractor.extract(parse(html(sheet + "<i></i>".repeat(1100))));
        assertThat(many.unscannable()).anySatisfy(u -> {
            assertThat(u.location()).isEqualTo("body[1]");
            assertThat(u.reason()).isEqualTo(Unscannable.Reason.SIZE_LIMIT);
        });
        ExtractedContent few = extractor.extract(parse(html(sheet + "<i></i>".repeat(900))));
        assertThat(few.unscannable()).isEmpty();
    }

    // ---- flex and grid order ----

    @Test
    void childrenOfAReorderingFlexContainerAreAlsoReadInTheOrderShown() throws Exception {
        assertThat(locations("<div style=\"display:flex;flex-direction:row-reverse\"><span>1111 1111</span> "
                + "<span>4111 1111</span></div>")).containsExactly(ORDER);
        assertThat(locations("<div style=\"display:flex\"><span style=\"order:2\">1111 1111</span>"
                + "<span style=\"order:1\">4111 1111</span></div>")).containsExactly(ORDER);
        String sheet = "<style>.f{display:inline-flex;flex-flow:column-reverse wrap}.a{order:-1}</style>";
        assertThat(locations(sheet + "<p>Card <span class=\"f\"><b>1111</b><b class=\"a\">1111</b><b>1111</b>"
                + "<b>4111</b></span></p>")).containsExactly(ORDER);
        assertThat(segment(sheet + "<p>Card <span class=\"f\"><b>1111</b><b class=\"a\">1111</b><b>1111</b>"
                + "<b>4111</b></span></p>", ContentSegment.CSS_ORDER)).isEqualTo("Card 4111 1111 1111 1111");
        // a grid sorts by order too
        assertThat(locations("<div style=\"display:grid\"><i style=\"order:9\">1111 1111</i><i>4111 1111</i></div>"))
                .containsExactly(ORDER);
    }

    @Test
    void childrenFloatedRightAreReadAfterTheOthersLastFirst() throws Exception {
        assertThat(locations("<div><span style=\"float:right\">1111 1111</span><span style=\"float:right\">4111 1111"
                + "</span></div>")).containsExactly(ORDER);
        String sheet = "<style>.r{float:right}</style>";
        assertThat(segment(sheet + "<div>Card <b class=\"r\">1111</b> <b class=\"r\">1111</b> 4111 1111</div>",
                ContentSegment.CSS_ORDER)).isEqualTo("Card 4111 1111 1111 1111");
        // counter-cases: floated images (no text), a float already last, a floated phone number beside a date
        for (String body : List.of("<div><img style=\"float:right\" alt=\"\" src=\"cid:a\"> 4111 1111</div>",
                "<div>Card 4111 1111 1111 1111 <span style=\"float:right\">Total</span></div>")) {
            assertThat(segment(body, ContentSegment.CSS_ORDER)).as(body).isNull();
        }
        assertThat(locations("<div><span style=\"float:right\">Tel 0800 4111 1111</span> Updated 2026 12 04</div>"))
                .isEmpty();
    }

    @Test
    void noReorderingNoSecondReading() throws Exception {
        // order on children of a block, a flex row in stored order, the same order everywhere
        for (String body : List.of("<div><span style=\"order:2\">1111 1111</span><span style=\"order:1\">4111 1111</span></div>",
                "<div style=\"display:flex;flex-direction:row\"><span>1111 1111</span> <span>4111 1111</span></div>",
                "<div style=\"display:flex\"><span style=\"order:1\">1111 1111</span><span style=\"order:1\">4111 1111</span></div>",
                "<div style=\"display:flex;flex-wrap:wrap-reverse\"><span>1111 1111</span><span>4111 1111</span></div>")) {
            assertThat(segment(body, ContentSegment.CSS_ORDER)).as(body).isNull();
            assertThat(locations(body)).as(body).isEmpty();
        }
        // reordered, but no card in either order
        assertThat(locations("<div style=\"display:flex;flex-direction:row-reverse\"><span>Tel 0800 4111</span>"
                + "<span>Fax 1111 1111</span></div>")).isEmpty();
    }

    // ---- shown attributes side by side ----

    @Test
    void adjacentShownAttributeValuesAreAlsoReadAsOneLine() throws Exception {
        assertThat(locations("<p>Card <input value=\"4111\"><input value=\"1111\"><input value=\"1111\">"
                + "<input value=\"1111\"></p>")).containsExactly(JOINED);
        assertThat(locations("<p><img alt=\"4111\"> <img alt=\"1111\">\n<img alt=\"1111\"><img alt=\"1111\"></p>"))
                .containsExactly(JOINED);
        assertThat(segment("<p>a</p><p><img alt=\"1\"><input placeholder=\"2\"></p><p><img alt=\"3\"></p>",
                ContentSegment.ATTRIBUTES_JOINED)).isEqualTo("1 2");
    }

    @Test
    void attributeValuesWithTextOrBreaksBetweenThemAreNotJoined() throws Exception {
        for (String body : List.of(
                "<p>Qty <input value=\"4111\"> of <input value=\"1111\"> at <input value=\"1111\"> on <input value=\"1111\"></p>",
                "<p><img alt=\"4111\"></p><p><img alt=\"1111\"></p><p><img alt=\"1111\"></p><p><img alt=\"1111\"></p>",
                "<table><tr><td><input value=\"4111\"></td><td><input value=\"1111\"></td><td><input value=\"1111\"></td>"
                        + "<td><input value=\"1111\"></td></tr></table>",
                "<form><input type=\"hidden\" value=\"4111\"><input type=\"HIDDEN\" value=\"1111\"><input type=\"hidden\""
                        + " value=\"1111\"><input type=\"hidden\" value=\"1111\"></form>")) {
            assertThat(locations(body)).as(body).isEmpty();
            assertThat(segment(body, ContentSegment.ATTRIBUTES_JOINED)).as(body).isNull();
        }
    }

    @Test
    void markupInsideSvgOrMathRawTextIsReadWhereABrowserShowsIt() throws Exception {
        // inside <svg> and <math> a <style> or <textarea> holds markup; <b> ends the foreign content and is shown
        assertThat(locations("Card: <svg><style><b>4111 1111 </b></style></svg>1111 1111")).contains(BASE);
        assertThat(locations("<p>4111 <svg><textarea><b>1111 1111 </b></textarea></svg>1111</p>")).contains(BASE);
        assertThat(locations("Card: <math><style><b>4111 1111 </b></style></math>1111 1111")).contains(BASE);
        // counter-cases: CSS in an SVG style sheet, and a style element outside SVG, whose content is never shown
        assertThat(locations("<svg><style>.a{fill:#4111}</style><text>Total 1111 1111</text></svg>")).isEmpty();
        assertThat(locations("<style><b>4111 1111 </b></style><p>Card 1111 1111</p>")).doesNotContain(BASE);
    }

    @Test
    void styleSheetsAreReadPastCdoCdcLongSelectorListsAndManyRules() throws Exception {
        // <!-- and --> around a sheet are CSS tokens to ignore, not part of the first selector
        assertThat(locations("<style><!-- .c::before{content:'4111 1111 '} --></style><p>Card <span class=c>1111 1111"
                + "</span></p>")).contains(BASE);
        // the 256-char limit is per selector: a long list of short ones is read
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            list.append(".a").append(i).append("::before, ");
        }
        assertThat(locations("<style>" + list + ".c::before{content:'4111 1111 '}</style><p>Card <span class=c>"
                + "1111 1111</span></p>")).contains(BASE);
        // 300 rules before the one that generates text
        StringBuilder filler = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            filler.append(".x").append(i).append("{color:red}");
        }
        assertThat(locations("<style>" + filler + ".c::before{content:'4111 1111 '}</style><p>Card <span class=c>"
                + "1111 1111</span></p>")).contains(BASE);
    }

    @Test
    void beyondTheRuleLimitTextMovingCssMakesThePartUnscannable() throws Exception {
        StringBuilder filler = new StringBuilder();
        for (int i = 0; i < HtmlHiding.MAX_RULES + 10; i++) {
            filler.append(".x").append(i).append("{color:red}");
        }
        ExtractedContent moved = extractor.extract(parse(html("<style>" + filler
                + ".c::before{content:'4111 1111 '}</style><p>Card <span class=c>1111 1111</span></p>")));
        assertThat(moved.unscannable()).extracting(Unscannable::reason).containsExactly(Unscannable.Reason.SIZE_LIMIT);
        // counter-case: what is past the limit only colours text: nothing is lost, the part is read as usual
        ExtractedContent colours = extractor.extract(parse(html("<style>" + filler + ".y{color:blue}</style><p>Hi</p>")));
        assertThat(colours.isComplete()).isTrue();
    }

    @Test
    void aHugeFlexOrderIsClampedAsBrowsersDo() throws Exception {
        assertThat(locations("<div style='display:flex'><span style='order:1000000000'>1111 1111</span>"
                + "<span>4111 1111</span></div>")).contains(ORDER);
        assertThat(locations("<div style='display:flex'><span style='order:99999999999999999999'>1111 1111</span>"
                + "<span style='order:-99999999999999'>4111 1111</span></div>")).contains(ORDER);
    }

    @Test
    void htmlTextThatCannotFitTheSizeLimitIsNotLaidOut() throws Exception {
        MimeContentExtractor small = MimeContentExtractor.builder()
                .limits(ExtractionLimits.builder().maxExpandedBytes(200_000).build()).build();
        String big = "<p>" + "lorem ipsum dolor sit amet ".repeat(3_000) + "</p>"; // 81,000 chars of text
        ExtractedContent c = small.extract(parse(html(big)));
        assertThat(c.unscannable()).extracting(Unscannable::reason).containsExactly(Unscannable.Reason.SIZE_LIMIT);
        assertThat(c.segments()).noneMatch(s -> s.location().startsWith("body[1]"));
        // counter-case: the same text under the limit is read
        ExtractedContent fits = small.extract(parse(html("<p>" + "lorem ipsum dolor sit amet ".repeat(1_000) + "</p>")));
        assertThat(fits.isComplete()).isTrue();
    }
}
