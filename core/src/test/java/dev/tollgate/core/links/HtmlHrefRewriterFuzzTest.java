package dev.tollgate.core.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.tollgate.core.fuzz.Bounded;
import dev.tollgate.core.fuzz.FuzzSeeds;

/**
 * Any text as HTML through {@link HtmlHrefLexer} and {@link HtmlHrefRewriter}: the lexer's sites are in order,
 * inside the text and never overlap; rewriting every link keeps every other character exactly (the text between
 * two link values is the same before and after); lexing the rewritten text again finds the same links, a
 * single-URL value replaced by the new one, so a rewrite never creates, hides or moves a link. A ping list, a
 * meta refresh and a srcdoc document are rewritten inside their value (each URL, the URL after the delay, each
 * link of the document). No exception.
 */
class HtmlHrefRewriterFuzzTest {
    private static final int MAX_LINKS = 200;
    /** A replacement that needs no escaping in any quoting, so the expected text is a plain splice. */
    private static final String MARK = "https://r.invalid/t";

    static Stream<Arguments> seeds() {
        return FuzzSeeds.files(List.of("src/test/resources/links", "src/test/resources/corpus"), List.of(".html", ".eml", ".msg"),
                "<a href=x>1</a><area href='y'><base href=\"http://b/\"><a href = \"z\">",
                "<!--<a href=a>--><script><a href=b></script><textarea><a href=c><a href=\"d&amp;e\">",
                "<select><a href=s></select><plaintext><a href=p>", "<a\thref=\"q\" href=r>", "<a href=\"&#x68;ttp://e\">");
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "15s")
    void rewritingReplacesOnlyHrefValues(byte[] data) throws Exception {
        if (data == null) {
            return;
        }
        String html = new String(data, StandardCharsets.UTF_8);
        Bounded.run(() -> check(html));
    }

    /** Values rewritten inside rather than replaced whole: URL lists, refresh contents, srcdoc documents. */
    private static boolean replacedWhole(HtmlHrefLexer.Site site) {
        return !site.attribute.equals("ping") && !site.attribute.equals("srcdoc") && !site.attribute.equals("content");
    }

    private static void check(String html) {
        HtmlHrefLexer.Lexed lexed = HtmlHrefLexer.lex(html, MAX_LINKS);
        assertThat(lexed.sites.size()).isLessThanOrEqualTo(MAX_LINKS);
        int previousEnd = 0;
        for (HtmlHrefLexer.Site site : lexed.sites) {
            assertThat(site.start).isGreaterThanOrEqualTo(previousEnd).isGreaterThan(0);
            assertThat(site.end).isGreaterThanOrEqualTo(site.start).isLessThanOrEqualTo(html.length());
            previousEnd = site.end;
        }

        HtmlHrefRewriter.Result result = new HtmlHrefRewriter(MAX_LINKS).rewrite(html, h -> Optional.of(MARK));
        assertThat(result.limitReached()).isEqualTo(lexed.limitReached);
        String out = result.html();
        HtmlHrefLexer.Lexed again = HtmlHrefLexer.lex(out, MAX_LINKS);
        assertThat(again.sites).hasSameSizeAs(lexed.sites);
        int inEnd = 0;
        int outEnd = 0;
        for (int i = 0; i < again.sites.size(); i++) {
            HtmlHrefLexer.Site before = lexed.sites.get(i);
            HtmlHrefLexer.Site after = again.sites.get(i);
            assertThat(withoutAddedQuotes(out.substring(outEnd, after.start), html.substring(inEnd, before.start)))
                    .isEqualTo(html.substring(inEnd, before.start));
            assertThat(after.tag).isEqualTo(before.tag);
            assertThat(after.attribute).isEqualTo(before.attribute);
            if (replacedWhole(before)) {
                assertThat(after.value).isEqualTo(before.value.isEmpty() ? before.value : MARK);
            }
            inEnd = before.end;
            outEnd = after.end;
        }
        assertThat(withoutAddedQuotes(out.substring(outEnd), html.substring(inEnd))).isEqualTo(html.substring(inEnd));
    }

    /**
     * The text between two values of the output, less the quotes the rewriter put around an unquoted value that
     * needs them now (a rewritten URL list holds spaces): the closing one first in the text after the value, the
     * opening one last in the text before it.
     */
    private static String withoutAddedQuotes(String out, String in) {
        if (out.equals(in)) {
            return out;
        }
        String s = out;
        if (s.startsWith("\"") && !in.startsWith("\"")) {
            s = s.substring(1);
        }
        if (s.endsWith("\"") && !in.endsWith("\"")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
