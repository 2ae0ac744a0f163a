package dev.tollgate.core.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.mail.internet.MimeMessage;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

/**
 * What a browser loads or requests beyond a/area hrefs: frame and object sources, the links inside an
 * {@code <iframe srcdoc>} document, {@code ping} lists, MathML {@code href}; and URLs with ASCII tab or newline
 * inside (removed by the browser's URL parser before anything else, with or without {@code <base href>}).
 */
class FramesPingMathLinksTest {
    private static final Function<HtmlHrefRewriter.Href, Optional<String>> WRAP = h -> h.resolved().startsWith("http")
            ? Optional.of("https://r.test/r/" + h.resolved().replace("&", "%26").replace("\"", "%22")
                    .replace("'", "%27").replace(" ", "%20"))
            : Optional.empty();
    private static final String BASE = MessageLinkRewriterTest.BASE;

    private final LinkTokenSigner signer = LinkTokenSigner.builder().signingKey("k1", key()).build();
    private final LinkRewritePolicy policy = LinkRewritePolicy.of(BASE, DoNotRewriteList.of(List.of()), List.of(), signer);
    private final LinkScanner scanner = LinkScanner.builder().defaultChecks()
            .check(LinkChecks.blockList(h -> h.ascii().equals("evil.example"))).build();
    private final MessageLinkRewriter rewriter = MessageLinkRewriter.builder().policy(policy).scanner(scanner).build();

    private static byte[] key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    private static HtmlHrefRewriter.Result rewrite(String html) {
        return new HtmlHrefRewriter(100).rewrite(html, WRAP);
    }

    private static List<String> resolved(HtmlHrefRewriter.Result r) {
        return r.hrefs().stream().map(HtmlHrefRewriter.Href::resolved).collect(Collectors.toList());
    }

    private String original(String redirectorUrl) {
        assertThat(redirectorUrl).startsWith(BASE + "/r/");
        return signer.verify(redirectorUrl.substring((BASE + "/r/").length())).token().orElseThrow().url();
    }

    private String processed(String html) throws Exception {
        MimeMessage m = MessageLinkRewriterTest.parse("Content-Type: text/html; charset=utf-8\n\n" + html);
        MessageLinkRewriter.Outcome o = rewriter.process(m, "", "", true);
        MimeMessage out = o.replacement().orElse(m);
        try (InputStream in = out.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    // ---- tab and newline inside a URL

    @Test
    void aTabOrNewlineInTheSchemeIsRemovedWithAndWithoutBase() {
        for (String base : new String[] {"", "<base href=\"https://base.example/d/\">"}) {
            HtmlHrefRewriter.Result r = rewrite(base + "<a href=\"ht&#9;tps://evil.example/x\">a</a>"
                    + "<a href=\"ht&#10;tp&#13;s://evil.example/y\">b</a><a href=\"https://ev&#9;il.example/z\">c</a>");
            assertThat(resolved(r)).as(base).containsExactly("https://evil.example/x", "https://evil.example/y",
                    "https://evil.example/z");
            assertThat(r.rewritten()).isEqualTo(3);
            assertThat(r.html()).contains("https://r.test/r/https://evil.example/x").doesNotContain("&#9;");
        }
        // the base itself, written with a tab in its scheme, counts as the absolute base it is to a browser
        HtmlHrefRewriter.Result based = rewrite("<base href=\"ht&#9;tps://evil.example/d/\"><a href=\"rel\">r</a>");
        assertThat(resolved(based)).containsExactly("https://evil.example/d/rel");
        List<HtmlLink> links = HtmlLinkExtractor.create().extract(
                "<base href=\"https://base.example/d/\"><a href=\"ht&#9;tps://evil.example/x\">a</a>", "");
        assertThat(links).extracting(HtmlLink::resolved).containsExactly("https://evil.example/x");
    }

    @Test
    void aTabInARelativeOrOtherSchemeLinkLeavesItAsItWasWithoutBase() {
        String html = "<a href=\"re&#9;l/path\">r</a><a href=\"mail&#9;to:a@b.example\">m</a><a href=\"#t&#10;op\">t</a>";
        HtmlHrefRewriter.Result r = rewrite(html);
        assertThat(r.html()).isSameAs(html);
        assertThat(resolved(r)).containsExactly("rel/path", "mailto:a@b.example", "#top");
        // under a base the relative one leads to the base's host, tab removed, as the browser reads it
        assertThat(resolved(rewrite("<base href=\"https://base.example/d/\"><a href=\"re&#9;l/path\">r</a>")))
                .containsExactly("https://base.example/d/rel/path");
    }

    @Test
    void aMailsTabbedSchemeUnderABaseIsScannedAndRewrittenAsTheBrowserReadsIt() throws Exception {
        String html = "<html><head><base href=\"https://base.example/d/\"></head><body>"
                + "<a href=\"ht&#9;tps://evil.example/login\">log in</a></body></html>\n";
        MimeMessage m = MessageLinkRewriterTest.parse("Content-Type: text/html; charset=utf-8\n\n" + html);
        MessageLinkRewriter.Outcome o = rewriter.process(m, "", "", true);
        assertThat(o.links()).singleElement().satisfies(l -> {
            assertThat(l.url()).isEqualTo("https://evil.example/login");
            assertThat(l.rewritten()).isTrue();
            assertThat(l.verdict().reasons()).contains(LinkVerdict.Reason.BLOCKLISTED);
        });
        String out = processed(html);
        String href = Jsoup.parse(out).selectFirst("a").attr("href");
        assertThat(original(href)).isEqualTo("https://evil.example/login");
    }

    // ---- frames and objects

    @Test
    void frameAndObjectSourcesAreRewrittenImagesAndMediaAreNot() {
        String html = "<iframe src=\"https://f.example/i\"></iframe><frame src=https://f.example/f>"
                + "<embed src='https://f.example/e'><object data=\"https://f.example/o\"></object>"
                + "<img src=\"https://img.example/p.png\"><video src=\"https://v.example/v\"></video>"
                + "<iframe src=\"cid:part1\"></iframe><object data=\"#local\"></object>";
        HtmlHrefRewriter.Result r = rewrite(html);
        assertThat(r.rewritten()).isEqualTo(4);
        assertThat(r.html()).contains("<iframe src=\"https://r.test/r/https://f.example/i\">")
                .contains("<frame src=https://r.test/r/https://f.example/f>")
                .contains("<embed src='https://r.test/r/https://f.example/e'>")
                .contains("<object data=\"https://r.test/r/https://f.example/o\">")
                .contains("<img src=\"https://img.example/p.png\">").contains("<video src=\"https://v.example/v\">")
                .contains("<iframe src=\"cid:part1\">").contains("<object data=\"#local\">");
    }

    @Test
    void aScriptFrameOrADataObjectIsNeutralisedAnImageIsNot() throws Exception {
        String image = "<img src=\"data:image/png;base64,iVBORw0KGgo=\">";
        String html = "<iframe src=\"javascript:alert(1)\"></iframe><object data=\"data:text/html;base64,PGI+\"></object>"
                + image + "\n";
        MimeMessage m = MessageLinkRewriterTest.parse("Content-Type: text/html; charset=utf-8\n\n" + html);
        MessageLinkRewriter.Outcome o = rewriter.process(m, "", "", true);
        assertThat(o.neutralised()).isEqualTo(2);
        String out = processed(html);
        Document doc = Jsoup.parse(out);
        assertThat(original(doc.selectFirst("iframe").attr("src"))).isEqualTo("javascript:alert(1)");
        assertThat(original(doc.selectFirst("object").attr("data"))).isEqualTo("data:text/html;base64,PGI+");
        assertThat(out).contains(image).doesNotContain("javascript:");
    }

    // ---- iframe srcdoc

    @Test
    void linksInsideASrcdocDocumentAreRewrittenAndTheDocumentReEscaped() {
        String html = "<p>x</p><iframe srcdoc=\"<p class=&quot;c&quot;>Hi &amp;amp; bye</p>"
                + "<a href=&quot;https://evil.example/x?a=1&amp;amp;b=2&quot;>x</a><a href='mailto:a@b.example'>m</a>\">"
                + "</iframe><a href=\"https://after.example/\">after</a>";
        HtmlHrefRewriter.Result r = rewrite(html);
        assertThat(r.hrefs()).extracting(HtmlHrefRewriter.Href::tag, HtmlHrefRewriter.Href::resolved)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", "https://evil.example/x?a=1&b=2"),
                        org.assertj.core.groups.Tuple.tuple("a", "mailto:a@b.example"),
                        org.assertj.core.groups.Tuple.tuple("a", "https://after.example/"));
        assertThat(r.rewritten()).isEqualTo(2);
        Document outer = Jsoup.parse(r.html());
        String srcdoc = outer.selectFirst("iframe").attr("srcdoc");
        assertThat(srcdoc).isEqualTo("<p class=\"c\">Hi &amp; bye</p>"
                + "<a href=\"https://r.test/r/https://evil.example/x?a=1%26b=2\">x</a><a href='mailto:a@b.example'>m</a>");
        assertThat(r.html()).startsWith("<p>x</p><iframe srcdoc=\"<p class=&quot;c&quot;>Hi &amp;amp; bye</p><a href=&quot;")
                .endsWith("</iframe><a href=\"https://r.test/r/https://after.example/\">after</a>");
    }

    @Test
    void srcdocInEveryQuotingAndAgainstTheRightBase() {
        HtmlHrefRewriter.Result single = rewrite("<iframe srcdoc='<a href=\"https://e.example/\">x</a>'></iframe>");
        assertThat(single.html()).isEqualTo("<iframe srcdoc='<a href=\"https://r.test/r/https://e.example/\">x</a>'></iframe>");
        HtmlHrefRewriter.Result unquoted = rewrite("<iframe srcdoc=&lt;a&#32;href=https://e.example/&gt;x&lt;/a&gt;></iframe>");
        assertThat(Jsoup.parse(unquoted.html()).selectFirst("iframe").attr("srcdoc"))
                .isEqualTo("<a href=https://r.test/r/https://e.example/>x</a>");
        // a srcdoc document without a base of its own resolves against the outer document's base; its own base wins
        HtmlHrefRewriter.Result outerBase = rewrite("<base href=\"https://outer.example/d/\">"
                + "<iframe srcdoc=\"<a href=rel>r</a>\"></iframe>"
                + "<iframe srcdoc=\"<base href=https://inner.example/> <a href=rel>r</a>\"></iframe>");
        assertThat(resolved(outerBase)).containsExactly("https://outer.example/d/rel", "https://inner.example/rel");
    }

    @Test
    void aSrcdocWithoutLinksOrWithOnlyKeptOnesStaysByteForByte() {
        String html = "<iframe srcdoc=\"<p>  Hello &amp;amp; welcome &#39;x&#39;  </p><a href=&quot;#top&quot;>t</a>\n\"></iframe>";
        assertThat(rewrite(html).html()).isSameAs(html);
        String text = "<p>srcdoc=\"&lt;a href=https://no.example/&gt;\"</p><textarea><iframe srcdoc=\"<a href=https://no.example/>\"></textarea>";
        assertThat(rewrite(text).html()).isSameAs(text);
    }

    @Test
    void nestedSrcdocIsReadToItsDepthLimitAndADeeperOneIsEmptied() {
        String level2 = "<iframe srcdoc=\"<a href=&quot;https://deep.example/&quot;>d</a>\"></iframe>";
        String html = "<iframe srcdoc=\"" + level2.replace("&", "&amp;").replace("\"", "&quot;") + "\"></iframe>";
        HtmlHrefRewriter.Result r = rewrite(html);
        assertThat(resolved(r)).containsExactly("https://deep.example/");
        String inner1 = Jsoup.parse(r.html()).selectFirst("iframe").attr("srcdoc");
        String inner2 = Jsoup.parse(inner1).selectFirst("iframe").attr("srcdoc");
        assertThat(inner2).isEqualTo("<a href=\"https://r.test/r/https://deep.example/\">d</a>");

        String doc = "<a href=\"https://deepest.example/\">x</a>";
        for (int i = 0; i <= HtmlHrefRewriter.MAX_SRCDOC_DEPTH; i++) {
            doc = "<iframe srcdoc=\"" + doc.replace("&", "&amp;").replace("\"", "&quot;") + "\"></iframe>";
        }
        HtmlHrefRewriter.Result tooDeep = rewrite(doc);
        assertThat(resolved(tooDeep)).isEmpty();
        String at = tooDeep.html();
        for (int i = 0; i < HtmlHrefRewriter.MAX_SRCDOC_DEPTH; i++) {
            at = Jsoup.parse(at).selectFirst("iframe").attr("srcdoc");
        }
        assertThat(Jsoup.parse(at).selectFirst("iframe").attr("srcdoc")).isEmpty();
        assertThat(tooDeep.html()).doesNotContain("deepest.example");
    }

    @Test
    void aMailsSrcdocLinksAreScannedAndAScriptLinkThereIsNeutralised() throws Exception {
        String html = "<html><body><iframe srcdoc=\"<a href=&quot;https://evil.example/x&quot;>x</a>"
                + "<a href=&quot;javascript:alert(1)&quot;>j</a>\"></iframe></body></html>\n";
        MimeMessage m = MessageLinkRewriterTest.parse("Content-Type: text/html; charset=utf-8\n\n" + html);
        MessageLinkRewriter.Outcome o = rewriter.process(m, "", "", true);
        assertThat(o.links()).extracting(MessageLinkRewriter.FoundLink::url)
                .containsExactly("https://evil.example/x", "javascript:alert(1)");
        assertThat(o.links()).allMatch(MessageLinkRewriter.FoundLink::rewritten);
        assertThat(o.neutralised()).isEqualTo(1);
        String srcdoc = Jsoup.parse(processed(html)).selectFirst("iframe").attr("srcdoc");
        List<String> inner = Jsoup.parse(srcdoc).select("a").eachAttr("href");
        assertThat(inner).hasSize(2);
        assertThat(original(inner.get(0))).isEqualTo("https://evil.example/x");
        assertThat(original(inner.get(1))).isEqualTo("javascript:alert(1)");
        assertThat(srcdoc.toLowerCase(java.util.Locale.ROOT)).doesNotContain("javascript:");
    }

    // ---- ping

    @Test
    void everyUrlOfAPingListIsRewrittenAndOtherSchemesAndRelativeOnesKept() {
        HtmlHrefRewriter.Result r = rewrite("<a href=\"https://shop.example/\" ping=\" https://t1.example/p\n"
                + "https://t2.example/q?a=1&amp;b  /rel mailto:x@y.example\">s</a><area href=#m ping=https://t3.example/>");
        assertThat(r.hrefs()).extracting(HtmlHrefRewriter.Href::attribute, HtmlHrefRewriter.Href::resolved,
                HtmlHrefRewriter.Href::rewritten).containsExactly(
                org.assertj.core.groups.Tuple.tuple("href", "https://shop.example/", true),
                org.assertj.core.groups.Tuple.tuple("ping", "https://t1.example/p", true),
                org.assertj.core.groups.Tuple.tuple("ping", "https://t2.example/q?a=1&b", true),
                org.assertj.core.groups.Tuple.tuple("ping", "/rel", false),
                org.assertj.core.groups.Tuple.tuple("ping", "mailto:x@y.example", false),
                org.assertj.core.groups.Tuple.tuple("href", "#m", false),
                org.assertj.core.groups.Tuple.tuple("ping", "https://t3.example/", true));
        assertThat(r.html()).contains("ping=\"https://r.test/r/https://t1.example/p https://r.test/r/https://t2.example/q?a=1%26b"
                + " /rel mailto:x@y.example\"").contains("<area href=#m ping=https://r.test/r/https://t3.example/>");
        String kept = "<a href=\"#x\" ping=\"/only/relative  mailto:a@b.example\">k</a>";
        assertThat(rewrite(kept).html()).isSameAs(kept);
    }

    @Test
    void aPingBeforeTheHrefInOneTagIsRewrittenInPlace() {
        // the lexer finds href before ping; the rewriter copies the text between sites in source order
        HtmlHrefRewriter.Result r = rewrite("<p>x</p><a ping=\"https://t.example/p\" class=c href=\"https://shop.example/\">s</a>"
                + "<iframe srcdoc=\"<a href=https://in.example/>i</a>\" src=\"https://f.example/\"></iframe>");
        assertThat(r.html()).isEqualTo("<p>x</p><a ping=\"https://r.test/r/https://t.example/p\" class=c "
                + "href=\"https://r.test/r/https://shop.example/\">s</a><iframe srcdoc=\"<a "
                + "href=https://r.test/r/https://in.example/>i</a>\" src=\"https://r.test/r/https://f.example/\"></iframe>");
    }

    @Test
    void aPingUrlIsScannedWithoutTheAnchorTextSoItIsNoDeceptiveAnchor() throws Exception {
        String html = "<a href=\"https://shop.example/\" ping=\"https://tracker.example/p\">https://shop.example/</a>\n";
        MimeMessage m = MessageLinkRewriterTest.parse("Content-Type: text/html; charset=utf-8\n\n" + html);
        MessageLinkRewriter.Outcome o = rewriter.process(m, "", "", true);
        assertThat(o.links()).extracting(MessageLinkRewriter.FoundLink::url)
                .containsExactly("https://shop.example/", "https://tracker.example/p");
        assertThat(o.links()).allMatch(l -> l.rewritten() && l.verdict().level() == LinkVerdict.Level.CLEAN);
        String ping = Jsoup.parse(processed(html)).selectFirst("a").attr("ping");
        assertThat(original(ping)).isEqualTo("https://tracker.example/p");
    }

    // ---- MathML href

    @Test
    void mathmlHrefIsRewrittenOnlyInsideMath() {
        String html = "<math><mrow href=\"https://m.example/1\"><mi href=https://m.example/2>x</mi></mrow>"
                + "<mtext><a href=\"https://m.example/3\">a</a></mtext></math>"
                + "<mi href=\"https://no.example/1\">after</mi><span href=\"https://no.example/2\">s</span>"
                + "<div href=\"https://no.example/3\"></div>";
        HtmlHrefRewriter.Result r = rewrite(html);
        assertThat(resolved(r)).containsExactly("https://m.example/1", "https://m.example/2", "https://m.example/3");
        assertThat(r.html()).endsWith("</math><mi href=\"https://no.example/1\">after</mi>"
                + "<span href=\"https://no.example/2\">s</span><div href=\"https://no.example/3\"></div>");
        List<HtmlLink> links = HtmlLinkExtractor.create().extract(html, "");
        assertThat(links).filteredOn(HtmlHrefRewriter::rewritable).extracting(HtmlLink::resolved)
                .containsExactly("https://m.example/1", "https://m.example/2", "https://m.example/3");
    }

    @Test
    void insideMathTheContentOfStyleAndTitleIsMarkup() {
        // a browser builds <style> and <title> inside <math> as MathML elements whose content is markup
        String html = "<math><style><mi href=\"https://m.example/4\">x</mi></style>"
                + "<title><a href=\"https://m.example/5\">t</a></title></math>"
                + "<style>.x{} <a href=\"https://no.example/4\"></style><title><a href=\"https://no.example/5\"></title>";
        HtmlHrefRewriter.Result r = rewrite(html);
        assertThat(resolved(r)).containsExactly("https://m.example/4", "https://m.example/5");
        assertThat(r.html()).endsWith("<style>.x{} <a href=\"https://no.example/4\"></style>"
                + "<title><a href=\"https://no.example/5\"></title>");
    }

    @Test
    void insideSvgTheContentOfRawTextElementsIsMarkup() {
        // <p> ends the SVG in a browser: the link is a live HTML link
        String html = "<svg><style><p><a href=\"https://s.example/1\">click</a></p></style></svg>"
                + "<svg><textarea><b><a href=https://s.example/2>b</a></b></textarea></svg>"
                + "<textarea><a href=\"https://no.example/6\"></textarea>";
        HtmlHrefRewriter.Result r = rewrite(html);
        assertThat(resolved(r)).containsExactly("https://s.example/1", "https://s.example/2");
        assertThat(r.html()).endsWith("<textarea><a href=\"https://no.example/6\"></textarea>");
    }
}
