package dev.tollgate.core.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class HtmlHrefRewriterTest {
    private final HtmlHrefRewriter rewriter = new HtmlHrefRewriter(HtmlLinkExtractor.DEFAULT_MAX_LINKS);

    private String rewrite(String html) {
        return rewriter.rewrite(html, link -> link.resolved().startsWith("http")
                ? Optional.of("https://r.test/r/T?" + link.resolved().length()) : Optional.empty()).html();
    }

    @Test
    void everyAttributeSyntaxIsRewrittenInPlace() {
        assertThat(rewrite("<a href=\"https://a.test/\">x</a>")).isEqualTo("<a href=\"https://r.test/r/T?15\">x</a>");
        assertThat(rewrite("<a href='https://a.test/'>x</a>")).isEqualTo("<a href='https://r.test/r/T?15'>x</a>");
        assertThat(rewrite("<a href=https://a.test/>x</a>")).isEqualTo("<a href=https://r.test/r/T?15>x</a>");
        assertThat(rewrite("<A class=b HREF = \"https://a.test/\" id=c>x</A>"))
                .isEqualTo("<A class=b HREF = \"https://r.test/r/T?15\" id=c>x</A>");
        assertThat(rewrite("<area alt=x href=\"https://a.test/\">")).isEqualTo("<area alt=x href=\"https://r.test/r/T?15\">");
    }

    @Test
    void entitiesAreDecodedOnceBeforeDeciding() {
        HtmlHrefRewriter.Result r = rewriter.rewrite("<a href=\"https://a.test/?a=1&amp;b=2\">x</a>",
                link -> Optional.of("https://r.test/r/" + (link.resolved().equals("https://a.test/?a=1&b=2") ? "OK" : "BAD")));
        assertThat(r.html()).isEqualTo("<a href=\"https://r.test/r/OK\">x</a>");
    }

    @Test
    void replacementIsHtmlEscaped() {
        String out = rewriter.rewrite("<a href=\"https://a.test/\">x</a>", link -> Optional.of("https://r.test/?a=1&b=\"")).html();
        assertThat(out).isEqualTo("<a href=\"https://r.test/?a=1&amp;b=&quot;\">x</a>");
    }

    @Test
    void conditionalCommentsVmlScriptsAndStylesAreKeptByteForByte() {
        String html = "<html><head><style>a[href=\"https://s.test/\"]{}</style></head><body>\r\n"
                + "<!--[if mso]><v:roundrect xmlns:v=\"urn:schemas-microsoft-com:vml\" href=\"https://vml.test/\" "
                + "style=\"height:40px\"><w:anchorlock/><center>Go</center></v:roundrect><![endif]-->\r\n"
                + "<!--[if !mso]><!-- --><a href=\"https://a.test/\" style=\"x\">Go</a><!--<![endif]-->\r\n"
                + "<script>var u = '<a href=\"https://js.test/\">';</script>\r\n"
                + "<p>Text &nbsp; &copy; <b>bold</b><br/></p></body></html>";
        String out = rewrite(html);
        assertThat(out).isEqualTo(html.replace("<a href=\"https://a.test/\"", "<a href=\"https://r.test/r/T?15\""));
    }

    @Test
    void declinedLinksAreUntouched() {
        String html = "<a href=\"mailto:a@b.test\">m</a><a href=\"tel:+1\">t</a><a href=\"#top\">a</a>";
        assertThat(rewrite(html)).isSameAs(html);
    }

    @Test
    void onlyTheFirstHrefCounts() {
        assertThat(rewrite("<a href=\"https://a.test/\" href=\"https://b.test/\">x</a>"))
                .isEqualTo("<a href=\"https://r.test/r/T?15\" href=\"https://b.test/\">x</a>");
    }

    @Test
    void hrefLookalikeAttributesAreNotConfused() {
        assertThat(rewrite("<a data-href=\"no\" title='href=\"x\"' href=\"https://a.test/\">x</a>"))
                .isEqualTo("<a data-href=\"no\" title='href=\"x\"' href=\"https://r.test/r/T?15\">x</a>");
    }

    private HtmlHrefRewriter.Result listed(String html) {
        return rewriter.rewrite(html, link -> link.resolved().startsWith("http")
                ? Optional.of("https://r.test/r/T") : Optional.empty());
    }

    @Test
    void schemeRelativeHrefsAreReadAsHttpsAndRewritten() {
        // browsers read \\host and /\host like //host after a special scheme (WHATWG URL Standard)
        HtmlHrefRewriter.Result r = listed("<a href=\"//evil.example/p\">1</a><a href='\\\\evil.example\\q'>2</a>"
                + "<a href=\"/\\evil.example/r\">3</a><a href=\" \t//evil.example/s\">4</a>");
        assertThat(r.hrefs()).extracting(HtmlHrefRewriter.Href::resolved).containsExactly("https://evil.example/p",
                "https://evil.example/q", "https://evil.example/r", "https://evil.example/s");
        assertThat(r.rewritten()).isEqualTo(4);
        assertThat(r.html()).isEqualTo("<a href=\"https://r.test/r/T\">1</a><a href='https://r.test/r/T'>2</a>"
                + "<a href=\"https://r.test/r/T\">3</a><a href=\"https://r.test/r/T\">4</a>");
    }

    @Test
    void relativeHrefsUnderABaseAreResolvedAndRewritten() {
        HtmlHrefRewriter.Result r = listed("<base href=\"//evil2.example/d/\"><a href=\"rel/path\">r</a>"
                + "<a href=\"//other.example/x\">o</a><a href=\"#top\">t</a><a href=\"mailto:a@b.test\">m</a>");
        assertThat(r.hrefs()).extracting(HtmlHrefRewriter.Href::resolved).containsExactly(
                "https://evil2.example/d/rel/path", "https://other.example/x", "https://evil2.example/d/#top",
                "mailto:a@b.test");
        // an http base gives scheme-relative links its scheme
        assertThat(listed("<base href=\"http://b.example/\"><a href=\"//o.example/\">o</a>").hrefs())
                .extracting(HtmlHrefRewriter.Href::resolved).containsExactly("http://o.example/");
    }

    @Test
    void anEarlierRelativeOrInertBaseCannotHideTheBaseThatGivesAUrl() {
        // a browser ignores a base inside svg or template; a relative one gives no URL outside the webmail's site
        assertThat(listed("<svg><base href=\"x/\"></svg><template><base href=\"y/\"></template>"
                + "<base href=\"//evil.example/\"><a href=\"rel\">r</a>").hrefs())
                .extracting(HtmlHrefRewriter.Href::resolved).containsExactly("https://evil.example/rel");
    }

    @Test
    void withoutABaseRelativeLinksFragmentsAndOtherSchemesStayAsTheyAre() {
        String html = "<a href=\"rel/path\">r</a><a href=\"/abs\">a</a><a href=\"#top\">t</a>"
                + "<a href=\"mailto:a@b.test\">m</a><a href=\"cid:img1\">c</a><a href=\"/\">root</a>"
                + "<base href=\"relative/\"><a href=\"x\">x</a>";
        HtmlHrefRewriter.Result r = listed(html);
        assertThat(r.html()).isSameAs(html);
        assertThat(r.hrefs()).extracting(HtmlHrefRewriter.Href::resolved)
                .containsExactly("rel/path", "/abs", "#top", "mailto:a@b.test", "cid:img1", "/", "x");
    }

    @Test
    void metaRefreshUrlIsRewrittenKeepingItsDelay() {
        HtmlHrefRewriter.Result r = listed("<head><META HTTP-EQUIV=Refresh content=\"5; URL='http://evil.example/x'\">"
                + "<meta http-equiv=\"refresh\" content=\"0;url=//evil.example/y\"></head>");
        assertThat(r.html()).isEqualTo("<head><META HTTP-EQUIV=Refresh content=\"5;url=https://r.test/r/T\">"
                + "<meta http-equiv=\"refresh\" content=\"0;url=https://r.test/r/T\"></head>");
        assertThat(r.hrefs()).extracting(HtmlHrefRewriter.Href::tag, HtmlHrefRewriter.Href::attribute,
                HtmlHrefRewriter.Href::resolved).containsExactly(
                org.assertj.core.groups.Tuple.tuple("meta", "content", "http://evil.example/x"),
                org.assertj.core.groups.Tuple.tuple("meta", "content", "https://evil.example/y"));
    }

    @Test
    void metaElementsThatAreNoRefreshOrHaveNoUrlAreUntouched() {
        String html = "<meta http-equiv=\"content-type\" content=\"text/html; url=http://x.example/\">"
                + "<meta http-equiv=\"refresh\" content=\"30\"><meta name=\"refresh\" content=\"0;url=http://x.example/\">"
                + "<meta content=\"0;url=http://x.example/\">";
        assertThat(listed(html).html()).isSameAs(html);
        assertThat(listed(html).hrefs()).isEmpty();
    }

    @Test
    void svgLinksAreRewritten() {
        assertThat(rewrite("<svg><a xlink:href=\"http://svg.example/x\"><text>t</text></a>"
                + "<a href=\"https://svg.example/y\" xlink:href=\"http://svg.example/z\">u</a></svg>"))
                .isEqualTo("<svg><a xlink:href=\"https://r.test/r/T?20\"><text>t</text></a>"
                        + "<a href=\"https://r.test/r/T?21\" xlink:href=\"https://r.test/r/T?20\">u</a></svg>");
    }

    @Test
    void formActionsAndFormactionsAreRewritten() {
        assertThat(rewrite("<form method=post action=\"http://form.example/post\"><input name=p>"
                + "<button formaction='https://form.example/b'>go</button><input type=submit formaction=https://f.example/>"
                + "</form>"))
                .isEqualTo("<form method=post action=\"https://r.test/r/T?24\"><input name=p>"
                        + "<button formaction='https://r.test/r/T?22'>go</button>"
                        + "<input type=submit formaction=https://r.test/r/T?18></form>");
    }

    @Test
    void aFormInsideAnOpenFormIsIgnoredAsTheTreeBuilderIgnoresIt() {
        HtmlHrefRewriter.Result r = listed("<form action=\"https://a.example/\"><form action=\"https://nested.example/\">"
                + "</form><form action=\"https://b.example/\"></form>");
        assertThat(r.hrefs()).extracting(HtmlHrefRewriter.Href::resolved)
                .containsExactly("https://a.example/", "https://b.example/");
    }

    @Test
    void linksInRawTextAndCommentsStayText() {
        String html = "<script>document.write('<meta http-equiv=\"refresh\" content=\"0;url=http://no.example/\">"
                + "<form action=\"http://no.example/\">')</script><textarea><a xlink:href=\"http://no.example/\"></textarea>"
                + "<!-- <button formaction=\"http://no.example/\"> --><style>a{}</style><title><form action=x></title>";
        assertThat(rewrite(html)).isSameAs(html);
    }
}
