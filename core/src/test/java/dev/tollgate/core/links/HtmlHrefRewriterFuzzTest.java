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
 * inside the text and never overlap; rewriting every link keeps every other character exactly (the output is
 * the input with each href value replaced at its offsets); lexing the rewritten text again finds the same links
 * with the new value, so a rewrite never creates, hides or moves a link. No exception.
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

    private static void check(String html) {
        HtmlHrefLexer.Lexed lexed = HtmlHrefLexer.lex(html, MAX_LINKS);
        assertThat(lexed.sites.size()).isLessThanOrEqualTo(MAX_LINKS);
        int previousEnd = 0;
        StringBuilder expected = new StringBuilder();
        for (HtmlHrefLexer.Site site : lexed.sites) {
            assertThat(site.start).isGreaterThanOrEqualTo(previousEnd).isGreaterThan(0);
            assertThat(site.end).isGreaterThanOrEqualTo(site.start).isLessThanOrEqualTo(html.length());
            assertThat(site.tag).isIn("a", "area");
            expected.append(html, previousEnd, site.start);
            expected.append(site.value.isEmpty() ? html.substring(site.start, site.end) : MARK);
            previousEnd = site.end;
        }
        expected.append(html, previousEnd, html.length());

        HtmlHrefRewriter.Result result = new HtmlHrefRewriter(MAX_LINKS).rewrite(html, h -> Optional.of(MARK));
        assertThat(result.html()).isEqualTo(expected.toString());
        long nonEmpty = lexed.sites.stream().filter(s -> !s.value.isEmpty()).count();
        assertThat(result.rewritten()).isEqualTo((int) nonEmpty);
        assertThat(result.limitReached()).isEqualTo(lexed.limitReached);

        HtmlHrefLexer.Lexed again = HtmlHrefLexer.lex(result.html(), MAX_LINKS);
        assertThat(again.sites).hasSameSizeAs(lexed.sites);
        for (int i = 0; i < again.sites.size(); i++) {
            HtmlHrefLexer.Site before = lexed.sites.get(i);
            HtmlHrefLexer.Site after = again.sites.get(i);
            assertThat(after.tag).isEqualTo(before.tag);
            assertThat(after.value).isEqualTo(before.value.isEmpty() ? before.value : MARK);
        }
    }
}
