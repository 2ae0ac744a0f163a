package dev.tollgate.core.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lexer-based {@link HtmlHrefRewriter} must rewrite exactly what the jsoup DOM ({@link JsoupHrefOracle})
 * sees as a/area hrefs, with the same output text: crafted edge cases, the corpus' HTML parts and random
 * documents assembled from tricky fragments.
 */
class HtmlHrefLexerTest {
    private static final Function<String, Optional<String>> WRAP = url -> url.startsWith("http")
            ? Optional.of("https://r.test/r/" + Integer.toHexString(url.hashCode()) + "?q=1&x=\"'") : Optional.empty();

    private static void assertSameAsDom(String html) {
        String expected = new JsoupHrefOracle(HtmlLinkExtractor.create()).rewrite(html, l -> WRAP.apply(l.resolved())).html();
        String actual = new HtmlHrefRewriter(HtmlLinkExtractor.DEFAULT_MAX_LINKS).rewrite(html, h -> WRAP.apply(h.resolved())).html();
        assertThat(actual).as("rewrite of %s", html.replace("\n", "\\n").replace("\r", "\\r")).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<a href=\"https://a.test/\">x</a>",
        "<a href='https://a.test/?a=1&amp;b=2'>x</a><area href=https://b.test/>",
        "<A HREF = \"https://a.test/\" >x</A>",
        "<a/href=\"https://a.test/\">x</a>",
        "<a href>x</a><a href=\"https://b.test/\">",
        "<a title=\"<a href='https://no.test/'>\" href=\"https://a.test/\">",
        "<!-- <a href=\"https://no.test/\"> --><a href=\"https://a.test/\">",
        "<!--><a href=\"https://a.test/\">",
        "<!---><a href=\"https://a.test/\">",
        "<!-- x --!><a href=\"https://a.test/\">",
        "<!-- a -- b --><a href=\"https://a.test/\">",
        "<!-- never closed <a href=\"https://no.test/\">",
        "<!DOCTYPE html><a href=\"https://a.test/\">",
        "<?xml version=\"1.0\"?><a href=\"https://a.test/\">",
        "</ x><a href=\"https://a.test/\">",
        "</a href=\">\"><a href=\"https://a.test/\">",
        "<![CDATA[<a href=\"https://no.test/\">]]><a href=\"https://a.test/\">",
        "<![CDATA[ x > <a href=\"https://live.test/\">]]><a href=\"https://a.test/\">",
        "<script>document.write('<a href=\"https://no.test/\">')</script><a href=\"https://a.test/\">",
        "<script>x</scripty><a href=\"https://no.test/\"></script ><a href=\"https://a.test/\">",
        "<style>a{}</STYLE><a href=\"https://a.test/\">",
        "<title><a href=\"https://no.test/\"></title><a href=\"https://a.test/\">",
        "<textarea><a href=\"https://no.test/\"></textarea><a href=\"https://a.test/\">",
        "<xmp><a href=\"https://no.test/\"></xmp><iframe><a href=x></iframe><noembed><a href=x></noembed>",
        "<noframes><a href=\"https://no.test/\"></noframes><a href=\"https://a.test/\">",
        "<plaintext><a href=\"https://no.test/\">",
        "<select><a href=\"https://no.test/\"><option>o</select><a href=\"https://a.test/\">",
        "<select><textarea></textarea><a href=\"https://a.test/\">",
        "<table><a href=\"https://a.test/\">foster</a><tr><td><a href=https://b.test/>b</a></table>",
        "<base href=\"https://base.test/dir/\"><a href=\"page\">rel</a><a href=\"https://a.test/\">",
        "<a href=\"page\">before</a><base href=\"https://base.test/\">",
        "<base href=\"relative/\"><a href=\"https://a.test/\">",
        "<svg><base href=\"x/\"></svg><template><base href=\"\"></template><base href=\"//real.test/\"><a href=\"rel\">r</a>",
        "<base href><base href=\"https://b2.test/\"><a href=\"rel\">r</a>",
        "<a href=\"  https://a.test/x  \">spaces</a>",
        "<a href=\"https://a.test/&quot;\">q</a><a href=\"&#104;ttps://ent.test/\">e</a>",
        "<a href=\"https://a.test/?a=1&amp;b=2&amp;amp;c&amp\">amp</a><a href=\"https://a.test/?x=1&ampy=2&amp;z\">",
        "<a href=\"https://a.test/?a=1&copy=2&amp;b\">legacy entity without semicolon in an attribute</a>",
        "<a href=\"https://a.test/\"",
        "<a href=\"https://a.test/",
        "x < y <a href=\"https://a.test/\"> 3<4 <1a>",
        "<svg><a href=\"https://svg.test/\"></a></svg><math><a href=https://m.test/>m</a></math>",
        "<a\thref\n=\r\"https://a.test/\"\f>",
        "<a href=\"https://a.test/\"/><a href=https://b.test//>",
        "<a =x href=\"https://a.test/\">",
        "<p>x</p><noscript><a href=\"https://a.test/\"></noscript>",
        "<title>t</title><a href=\"https://a.test/\"><title><a href=\"https://b.test/\">",
        "<a href=\"//evil.test/p\">s</a><a href='\\\\evil.test\\q'>b</a><a href=/\\evil.test/r>m</a>",
        "<base href=\"//base.test/d/\"><a href=\"rel/path\">rel</a><a href=\"#f\">f</a><a href=\"mailto:a@b.test\">m</a>",
        "<meta http-equiv=\"refresh\" content=\"0;url=http://evil.test/x\"><meta http-equiv=refresh content='5; URL=\"//e.test/\"'>",
        "<META HTTP-EQUIV=\"Refresh\" CONTENT=\"1,https://e.test/&amp;x\"><meta content=\"0;url=https://no.test/\">",
        "<meta content=\"0;url=https://c.test/\" http-equiv=\"refresh\" content=\"0;url=https://no.test/\">",
        "<select><meta http-equiv=refresh content=\"0;url=https://no.test/\"></select>",
        "<select><button formaction=https://no.test/><input formaction=https://i.test/><button formaction=https://b.test/>",
        "<table><select><td><a href=https://td.test/><tr><form action=https://f.test/></table>",
        "<svg><a xlink:href=\"http://svg.test/x\"><text>t</text></a><a href=\"https://h.test/\" xlink:href=\"https://x.test/\">",
        "<form action=\"http://form.test/post\"><button formaction=https://b.test/>go</button><input formaction='https://i.test/'>",
        "<form action=\"https://f1.test/\"><form action=\"https://nested.test/\"></form><form action=https://f2.test/>",
        "<table><form action=\"https://t.test/\"><tr><td><button formaction=\"https://b.test/\">b</button></table>",
        "<script><form action=\"https://no.test/\"></script><textarea><meta http-equiv=refresh content=\"0;url=http://no.test/\"></textarea>",
        "<iframe src=\"https://i.test/\"><a href=https://no.test/></iframe><object data=https://o.test/></object><embed src='https://e.test/'>",
        "<iframe SRC = \"ht&#9;tps://i.test/&amp;x\" src=\"https://no.test/\"></iframe><img src=\"https://img.test/\"><video src=https://v.test/>",
        "<math><mi href=\"https://m.test/1\">x</mi><mrow href=https://m.test/2><mtext>t</mtext></mrow></math><mi href=\"https://no.test/\">",
        "<math><a href=\"https://ma.test/\">a</a></math><span href=\"https://no.test/\">s</span><div href=https://no.test/>",
        "<base href=\"https://base.test/d/\"><a href=\"ht&#9;tps://tab.test/\">t</a><a href=\"re&#10;l\">r</a><iframe src=\"fr\"></iframe>",
        "<a href=\"ht&#9;tps://tab.test/\">t</a><a href=\"&#10;//nl.test/\">n</a><a href=\"rel&#13;ative\">r</a>",
    })
    void craftedCasesMatchTheDom(String html) {
        assertSameAsDom(html);
    }

    @Test
    void commentsAndRawTextAreNeverTouched() {
        String html = "<!--[if mso]><v:roundrect href=\"https://vml.test/\"><![endif]--><style>a[href=\"https://s.test/\"]{}</style>"
                + "<a href=\"https://a.test/\">go</a>";
        HtmlHrefRewriter.Result r = new HtmlHrefRewriter(10).rewrite(html, h -> WRAP.apply(h.resolved()));
        assertThat(r.hrefs()).extracting(HtmlHrefRewriter.Href::raw).containsExactly("https://a.test/");
        assertThat(r.html()).startsWith(html.substring(0, html.indexOf("<a href")));
    }

    @Test
    void theLimitStopsRewriting() {
        HtmlHrefRewriter.Result r = new HtmlHrefRewriter(2).rewrite(
                "<a href=https://a.test/>1</a><a href=https://b.test/>2</a><a href=https://c.test/>3</a>",
                h -> WRAP.apply(h.resolved()));
        assertThat(r.rewritten()).isEqualTo(2);
        assertThat(r.limitReached()).isTrue();
        assertThat(r.html()).endsWith("<a href=https://c.test/>3</a>");
    }

    static Stream<Path> corpusHtml() throws IOException, URISyntaxException {
        return MessageLinkRewriterTest.corpus();
    }

    @ParameterizedTest
    @MethodSource("corpusHtml")
    void corpusHtmlPartsMatchTheDom(Path file) throws Exception {
        List<String> htmls = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            collectHtml(new MimeMessage(Session.getInstance(new Properties()), in), htmls, 0);
        } catch (Exception unreadable) {
            return; // not MIME, or malformed beyond JavaMail: nothing to compare
        }
        for (String html : htmls) {
            assertSameAsDom(html);
        }
    }

    private static void collectHtml(Part part, List<String> out, int depth) throws Exception {
        if (depth > 10) {
            return;
        }
        if (part.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) part.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                collectHtml(mp.getBodyPart(i), out, depth + 1);
            }
        } else if (part.isMimeType("message/rfc822")) {
            collectHtml((Part) part.getContent(), out, depth + 1);
        } else if (part.isMimeType("text/html")) {
            out.add(String.valueOf(part.getContent()));
        }
    }

    private static final String[] FRAGMENTS = {
        "<a href=\"https://a.test/1\">", "<a href='https://b.test/2?x=1&amp;y=2'>", "<a href=https://c.test/3>",
        "<area href=\"https://d.test/\">", "<a href>", "<A HREF = \"https://e.test/\">", "</a>", "<a", "href=", "\"",
        "'", ">", "<", "/", "=", " ", "\n", "<!--", "-->", "--!>", "<!-->", "<!DOCTYPE x>", "<?pi?>", "</x y=\">\">",
        "<script>", "</script>", "<style>", "</style>", "<title>", "</title>", "<textarea>", "</textarea>",
        "<noscript>", "</noscript>", "<select>", "</select>", "<option>", "<table>", "<tr>", "<td>", "</table>",
        "<![CDATA[", "]]>", "<base href=\"https://base.test/\">", "<a href=\"rel/x\">", "text", "&amp;", "&quot;",
        "<p>", "</p>", "<br/>", "<img src=\"https://i.test/\">", "<svg>", "</svg>", "<xmp>", "</xmp>", "<iframe>",
        "</iframe>", "<head>", "</head>", "<body>", "<meta x>", "<plaintext>", "</br>", "<p><title>", "<a title=\"x>y\" href=\"https://f.test/\">", "<a/href=https://g.test/>", "<form action=\"https://fa.test/\">", "</form>",
        "<button formaction=//fb.test/>", "<meta http-equiv=refresh content=\"0;url=https://m.test/\">",
        "<a xlink:href=\"https://xl.test/\">", "<base href=\"//b.test/\">", "<a href=\"rel\">",
        "<iframe src=\"https://if.test/\">", "<object data=https://ob.test/>", "<embed src='https://em.test/'>",
        "<a href=\"ht&#9;tps://tab.test/\">",
    };

    @Test
    void randomDocumentsMatchTheDom() {
        Random random = new Random(20261129);
        for (int doc = 0; doc < 20000; doc++) {
            StringBuilder html = new StringBuilder();
            int parts = 1 + random.nextInt(25);
            for (int i = 0; i < parts; i++) {
                html.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
            }
            if (!unclosedRcdata(html.toString()) && !LT_IN_TAG_NAME.matcher(html).find()
                    && !LT_BEFORE_ATTRIBUTE.matcher(html).find()
                    && html.indexOf("<noscript>") < 0 && !rawTextInForeign(html.toString())) {
                assertSameAsDom(html.toString());
            }
        }
    }

    /**
     * jsoup 1.15.3 reads the content of style, script, textarea... as text inside {@code <svg>} and {@code <math>}
     * too; browsers read it as markup there, and so does the lexer (FramesPingMathLinksTest checks those).
     */
    private static boolean rawTextInForeign(String html) {
        String lower = html.toLowerCase(java.util.Locale.ROOT);
        int svg = lower.indexOf("<svg");
        int math = lower.indexOf("<math");
        int from = svg < 0 ? math : math < 0 ? svg : Math.min(svg, math);
        if (from < 0) {
            return false;
        }
        for (String name : new String[] {"<style", "<script", "<textarea", "<title", "<xmp", "<iframe", "<noembed",
            "<noframes"}) {
            if (lower.indexOf(name, from) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** jsoup 1.15.3 ends a tag name at '<' ({@code <a<a href=x>} is two tags); browsers read one tag "a<a". */
    private static final java.util.regex.Pattern LT_IN_TAG_NAME = java.util.regex.Pattern.compile("<[A-Za-z][^\\s/>]*<");

    /**
     * jsoup 1.15.3 also ends a tag at a '<' where an attribute name would start ({@code <a\n<meta ...>} is two
     * tags); browsers read an attribute named "<meta" of the a tag, and so does the lexer.
     */
    private static final java.util.regex.Pattern LT_BEFORE_ATTRIBUTE = java.util.regex.Pattern.compile("<[A-Za-z][^<>\"']*[\\s/]<");

    /**
     * jsoup 1.15.3 reads the content of a title or textarea that is never closed as markup (and then tracks
     * positions only sometimes); browsers read it as text to the end, and so does the lexer.
     */
    private static boolean unclosedRcdata(String html) {
        String lower = html.toLowerCase(java.util.Locale.ROOT);
        for (String name : new String[] {"title", "textarea"}) {
            int open = lower.lastIndexOf("<" + name);
            if (open >= 0 && lower.indexOf("</" + name, open) < 0) {
                return true;
            }
        }
        return false;
    }

    @Test
    void noscriptContentIsMarkupAsInMailClientsWithoutScripting() {
        String html = "<head><noscript><a href=\"https://a.test/\">x</a></noscript></head>";
        assertThat(new HtmlHrefRewriter(10).rewrite(html, h -> WRAP.apply(h.resolved())).rewritten()).isEqualTo(1);
    }

    @Test
    void anUnclosedTextareaIsTextToTheEndAsInBrowsers() {
        String html = "<textarea><a href=\"https://a.test/\">never closed";
        assertThat(new HtmlHrefRewriter(10).rewrite(html, h -> WRAP.apply(h.resolved())).html()).isSameAs(html);
    }

    @Test
    void hrefListIsInSourceOrderWithResolution() {
        HtmlHrefRewriter.Result r = new HtmlHrefRewriter(10).rewrite(
                "<a href=\"x\">1</a><base href=\"https://base.test/d/\"><area href=\"mailto:a@b.test\">",
                h -> Optional.empty());
        assertThat(r.hrefs().stream().map(HtmlHrefRewriter.Href::resolved).collect(Collectors.toList()))
                .containsExactly("https://base.test/d/x", "mailto:a@b.test");
        assertThat(r.rewritten()).isZero();
    }
}
