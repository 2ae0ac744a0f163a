package dev.tollgate.james.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.tollgate.core.config.Parameters;

/** The rules of {@link BrowserRequestGuard} on header values; the HTTP side is BrowserRequestGuardServerTest. */
class BrowserRequestGuardRulesTest {
    private static final BrowserRequestGuardConfig DEFAULTS = BrowserRequestGuardConfig.defaults();
    private static final BrowserRequestGuardConfig LISTED = BrowserRequestGuardConfig.parse(
            Parameters.of(Map.of(BrowserRequestGuardConfig.ALLOWED_HOSTS, "admin.example.com")));

    private static Optional<String> check(BrowserRequestGuardConfig config, String method, String... headers) {
        return checkScheme(config, "http", method, headers);
    }

    private static Optional<String> checkScheme(BrowserRequestGuardConfig config, String scheme, String method,
                                                String... headers) {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < headers.length; i += 2) {
            map.computeIfAbsent(headers[i], k -> new ArrayList<>()).add(headers[i + 1]);
        }
        return BrowserRequestGuard.refusal(config, method, scheme, name -> map.getOrDefault(name, List.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:8000", "127.0.0.1", "localhost:8000", "LOCALHOST", "[::1]:8000", "[::1]",
        "192.0.2.7:49153", "[2001:db8::1]:8000"})
    void ipLiteralsAndLocalhostAreAcceptedHosts(String host) {
        assertThat(check(DEFAULTS, "PUT", "Host", host, "Content-Type", "application/x-www-form-urlencoded")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example", "evil.example:8000", "127.0.0.1.nip.io:8000", "localhost.evil.example",
        "admin.example.com", "2130706433:8000", "0x7f.0.0.1"})
    void otherNamesAreRefusedAsDnsRebinding(String host) {
        assertThat(check(DEFAULTS, "GET", "Host", host)).hasValueSatisfying(r -> assertThat(r).contains("Host header"));
    }

    @ParameterizedTest
    @CsvSource({"Forwarded,host=127.0.0.1", "X-Forwarded-Host,127.0.0.1:8000", "x-forwarded-server,127.0.0.1",
        "X-HTTP-Method-Override,DELETE"})
    void headersThatChangeHostOrMethodBehindTheGuardAreRefused(String name, String value) {
        assertThat(check(DEFAULTS, "GET", "Host", "127.0.0.1:8000", name, value))
                .hasValueSatisfying(r -> assertThat(r).contains(" is refused"));
        assertThat(check(DEFAULTS, "GET", "Host", "127.0.0.1:8000", "X-Forwarded-For", "192.0.2.1")).isEmpty();
    }

    @Test
    void listedNamesAreAcceptedIgnoringCase() {
        assertThat(check(LISTED, "GET", "Host", "Admin.Example.COM:8000")).isEmpty();
        assertThat(check(LISTED, "GET", "Host", "www.admin.example.com:8000")).isPresent();
    }

    @Test
    void missingDuplicateOrMalformedHostIsRefused() {
        assertThat(check(DEFAULTS, "GET")).isPresent();
        assertThat(check(DEFAULTS, "GET", "Host", " ")).isPresent();
        assertThat(check(DEFAULTS, "GET", "Host", "127.0.0.1", "Host", "127.0.0.1")).isPresent();
        assertThat(check(DEFAULTS, "GET", "Host", "localhost:http")).hasValue("malformed Host header");
        assertThat(check(DEFAULTS, "GET", "Host", "[::1")).hasValue("malformed Host header");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example", "null", "http://127.0.0.1:8001", "https://127.0.0.1:8000",
        "http://localhost:8000", "http://127.0.0.1:8000/", "http://user@127.0.0.1:8000", "not a uri", ""})
    void anyOriginButWebAdminsOwnIsRefused(String origin) {
        for (String method : new String[] {"GET", "PUT", "DELETE", "OPTIONS", "POST"}) {
            assertThat(check(DEFAULTS, method, "Host", "127.0.0.1:8000", "Origin", origin))
                    .as(method + " with Origin " + origin).hasValue("cross-origin requests are refused");
        }
    }

    @Test
    void webAdminsOwnOriginIsAccepted() {
        assertThat(check(DEFAULTS, "GET", "Host", "127.0.0.1:8000", "Origin", "http://127.0.0.1:8000")).isEmpty();
        assertThat(check(DEFAULTS, "PUT", "Host", "localhost", "Origin", "http://LOCALHOST:80",
                "Content-Type", "application/json")).isEmpty();
        assertThat(check(DEFAULTS, "GET", "Host", "[::1]:8000", "Origin", "http://[::1]:8000")).isEmpty();
        assertThat(checkScheme(DEFAULTS, "https", "GET", "Host", "localhost", "Origin", "https://localhost:443")).isEmpty();
        // Same origin, but one of two Origin values is foreign.
        assertThat(check(DEFAULTS, "GET", "Host", "127.0.0.1:8000", "Origin", "http://127.0.0.1:8000",
                "Origin", "https://evil.example")).isPresent();
    }

    @ParameterizedTest
    @CsvSource({"cross-site,true", "same-site,true", "Cross-Site,true", "something-new,true", "same-origin,false",
        "none,false"})
    void fetchMetadataSiteOtherThanSameOriginOrNoneIsRefused(String site, boolean refused) {
        Optional<String> r = check(DEFAULTS, "GET", "Host", "127.0.0.1:8000", "Sec-Fetch-Site", site);
        assertThat(r.isPresent()).isEqualTo(refused);
        r.ifPresent(reason -> assertThat(reason).isEqualTo("cross-site requests are refused"));
    }

    @ParameterizedTest
    @CsvSource({"POST,application/x-www-form-urlencoded", "PUT,multipart/form-data; boundary=x",
        "PATCH,text/plain;charset=UTF-8", "DELETE,TEXT/PLAIN", "PROPPATCH,text/plain"})
    void formTypesFromABrowserAreRefusedOnStateChangingMethods(String method, String type) {
        String reason = "browser form submissions are refused; send application/json";
        for (BrowserHeader browser : List.of(new BrowserHeader("Origin", "http://127.0.0.1:8000"),
                new BrowserHeader("Sec-Fetch-Site", "same-origin"), new BrowserHeader("Sec-Fetch-Mode", "navigate"),
                new BrowserHeader("Sec-Fetch-Dest", "document"), new BrowserHeader("Sec-Fetch-User", "?1"),
                new BrowserHeader("Referer", "http://127.0.0.1:8000/"))) {
            assertThat(check(DEFAULTS, method, "Host", "127.0.0.1:8000", "Content-Type", type, browser.name,
                    browser.value)).as(method + " " + type + " with " + browser.name).hasValue(reason);
        }
    }

    /** A header only browsers send, which marks a request as coming from a web page. */
    private static final class BrowserHeader {
        final String name;
        final String value;

        BrowserHeader(String name, String value) {
            this.name = name;
            this.value = value;
        }
    }

    @Test
    void withoutBrowserHeadersAnyContentTypePassesAsCurlSendsIt() {
        // curl -XPUT URL -d '{...}' sends application/x-www-form-urlencoded, no Origin, no Sec-Fetch-*, no Referer.
        assertThat(check(DEFAULTS, "PUT", "Host", "127.0.0.1:8000", "Content-Type", "application/x-www-form-urlencoded",
                "User-Agent", "curl/7.88.1", "Accept", "*/*")).isEmpty();
        assertThat(check(DEFAULTS, "POST", "Host", "localhost:8000", "Content-Type", "text/plain")).isEmpty();
        assertThat(check(DEFAULTS, "DELETE", "Host", "localhost:8000")).isEmpty();
    }

    @Test
    void jsonAndSafeMethodsFromTheOwnOriginPass() {
        assertThat(check(DEFAULTS, "POST", "Host", "127.0.0.1:8000", "Origin", "http://127.0.0.1:8000",
                "Sec-Fetch-Site", "same-origin", "Content-Type", "application/json")).isEmpty();
        assertThat(check(DEFAULTS, "GET", "Host", "127.0.0.1:8000", "Sec-Fetch-Site", "none",
                "Content-Type", "text/plain")).isEmpty();
    }
}
