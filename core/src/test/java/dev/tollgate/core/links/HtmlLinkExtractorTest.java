package dev.tollgate.core.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

class HtmlLinkExtractorTest {
    private final HtmlLinkExtractor extractor = HtmlLinkExtractor.create();

    private List<String> raws(String html) {
        return extractor.extract(html, "").stream().map(HtmlLink::raw).collect(Collectors.toList());
    }

    @Test
    void readsEveryAttributeSyntax() {
        String html = "<a href=\"http://dq.example/\">1</a><a href='http://sq.example/'>2</a>"
                + "<a href=http://uq.example/>3</a><a href = \"http://sp.example/\">4</a>"
                + "<a\nhref\n=\n'http://nl.example/'>5</a><A HREF=\"http://uc.example/\">6</A>";
        assertThat(raws(html)).containsExactly("http://dq.example/", "http://sq.example/", "http://uq.example/",
                "http://sp.example/", "http://nl.example/", "http://uc.example/");
    }

    @Test
    void decodesEntitiesExactlyOnce() {
        assertThat(raws("<a href=\"http://x.example/?a=1&amp;amp;b=2\">t</a>"))
                .containsExactly("http://x.example/?a=1&amp;b=2");
        assertThat(raws("<a href=\"&#104;ttp://x.example/?a=1&amp;b=2\">t</a>"))
                .containsExactly("http://x.example/?a=1&b=2");
    }

    @Test
    void coversLinkBearingElements() {
        String html = "<img src='http://i.example/p.png'><form action='http://f.example/post'></form>"
                + "<map><area href='http://ar.example/' alt='Area text'></map><iframe src='http://fr.example/'></iframe>"
                + "<table background='http://bg.example/b.gif'><tr><td>x</td></tr></table>";
        List<HtmlLink> links = extractor.extract(html, "");
        assertThat(links).extracting(HtmlLink::tagName, l -> l.attribute().orElse(""), HtmlLink::raw)
                .contains(org.assertj.core.groups.Tuple.tuple("img", "src", "http://i.example/p.png"),
                        org.assertj.core.groups.Tuple.tuple("form", "action", "http://f.example/post"),
                        org.assertj.core.groups.Tuple.tuple("area", "href", "http://ar.example/"),
                        org.assertj.core.groups.Tuple.tuple("iframe", "src", "http://fr.example/"),
                        org.assertj.core.groups.Tuple.tuple("table", "background", "http://bg.example/b.gif"));
        assertThat(links.stream().filter(l -> l.tagName().equals("area")).findFirst().get().anchorText())
                .isEqualTo("Area text");
    }

    @Test
    void resolvesAgainstBaseHref() {
        List<HtmlLink> links = extractor.extract("<head><base href='https://base.example/dir/'></head>"
                + "<a href='page?x=1'>rel</a><a href='/root'>root</a><a href='https://abs.example/'>abs</a>"
                + "<a href='javascript:alert(1)'>js</a>", "");
        assertThat(links).extracting(HtmlLink::resolved).containsExactly("https://base.example/dir/page?x=1",
                "https://base.example/root", "https://abs.example/", "javascript:alert(1)");
        assertThat(links.get(0).raw()).isEqualTo("page?x=1");
    }

    @Test
    void withoutBaseRelativeUrlsStayAsWritten() {
        assertThat(extractor.extract("<a href='page'>p</a>", "")).extracting(HtmlLink::resolved)
                .containsExactly("page");
    }

    @Test
    void anchorTextIsVisibleTextNormalised() {
        HtmlLink link = extractor.extract("<a href='http://evil.example/'>  <b>www.bank</b>.example\n </a>", "")
                .get(0);
        assertThat(link.anchorText()).isEqualTo("www.bank.example");
        assertThat(link.source()).isEqualTo(HtmlLink.Source.ATTRIBUTE);
    }

    @Test
    void findsBareUrlsInTextButNotInsideAnchorsOrScripts() {
        List<HtmlLink> links = extractor.extract("<p>Go to https://text.example/a. Or www.w.example</p>"
                + "<a href='http://h.example/'>http://inside.example/</a><script>var u='http://s.example/';</script>"
                + "<style>x{background:url(http://css.example/)}</style>", "");
        assertThat(links).extracting(HtmlLink::resolved).containsExactly("https://text.example/a",
                "http://www.w.example", "http://h.example/");
        HtmlLink text = links.get(0);
        assertThat(text.source()).isEqualTo(HtmlLink.Source.TEXT);
        assertThat(text.attribute()).isEmpty();
        assertThat(text.tagName()).isEqualTo("p");
        assertThat(text.span()).isPresent();
    }

    @Test
    void elementIsLiveForRewriting() {
        Document doc = Jsoup.parse("<a href='http://x.example/'>x</a>");
        HtmlLink link = extractor.extract(doc).get(0);
        link.element().attr(link.attribute().get(), "https://rewriter.example/t");
        assertThat(doc.selectFirst("a").attr("href")).isEqualTo("https://rewriter.example/t");
    }

    @Test
    void boundsTheNumberOfLinks() {
        String html = "<a href='http://a.example/'>a</a>".repeat(50);
        assertThat(extractor.withMaxLinks(10).extract(html, "")).hasSize(10);
    }

    @Test
    void realisticNewsletterSample() throws IOException {
        String html;
        try (InputStream in = getClass().getResourceAsStream("/links/newsletter.html")) {
            html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<HtmlLink> links = extractor.extract(html, "");
        assertThat(links).extracting(HtmlLink::resolved).containsExactly(
                "https://static.shop.example/logo.png",
                "https://shop.example/offers?utm_source=mail&id=42",
                "https://www.shop.example/unsubscribe",
                "https://support.shop.example/help");
        assertThat(links.get(1).anchorText()).isEqualTo("See this week's offers");
    }
}
