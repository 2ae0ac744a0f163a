package dev.tollgate.core.links;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RefreshContentTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0;url=http://evil.example/x|0;url=|http://evil.example/x",
        "0; URL = 'http://evil.example/x' trailing|0;url=|http://evil.example/x",
        "5 , url=\"//evil.example/q\"x|5;url=|//evil.example/q",
        "  3.5;http://evil.example/|3.5;url=|http://evil.example/",
        ".5 http://evil.example/|.5;url=|http://evil.example/",
        // 'u' not followed by 'rl=': the whole rest is the URL (the standard's "parse" step)
        "0;uri=http://evil.example/|0;url=|uri=http://evil.example/",
        "0;url http://evil.example/|0;url=|url http://evil.example/",
    })
    void theUrlIsReadAsBrowsersReadIt(String content, String prefix, String url) {
        RefreshContent r = RefreshContent.parse(content);
        assertThat(r).isNotNull();
        assertThat(r.prefix()).isEqualTo(prefix);
        assertThat(r.url()).isEqualTo(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "30", "5;", "5; url=", "x;url=http://evil.example/", "5x;url=http://evil.example/",
        "-1;url=http://evil.example/", "0;url=''"})
    void noUrlOrNoRefreshGivesNothing(String content) {
        assertThat(RefreshContent.parse(content)).isNull();
    }
}
