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
}
