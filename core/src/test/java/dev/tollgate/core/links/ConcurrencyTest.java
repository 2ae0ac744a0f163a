package dev.tollgate.core.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Shared engines give the same answers from many threads as from one (spooler threads share them). */
class ConcurrencyTest {
    private static final List<String> URLS = List.of("https://paypal.com@evil.test/", "http://0x7f.1/",
            "https://p\u0430ypal.example/", "https://www.example.co.uk/", "javascript:alert(1)",
            "https://exa\u200Bmple.com/", "https://bücher.example/a");

    @Test
    void scannerAndSignerAreSafeToShare() throws Exception {
        LinkScanner scanner = LinkScanner.builder().defaultChecks()
                .check(LinkChecks.homographs(List.of("paypal.example"))).build();
        LinkTokenSigner signer = LinkTokenSigner.builder().signingKey("k1", new byte[32])
                .clock(Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC)).build();
        List<LinkVerdict> expected = new ArrayList<>();
        List<String> expectedTokens = new ArrayList<>();
        for (String url : URLS) {
            expected.add(scanner.scan(url, "www.example.co.uk"));
            expectedTokens.add(signer.sign(url, "r", "m"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                results.add(pool.submit((Callable<Boolean>) () -> {
                    for (int round = 0; round < 5; round++) {
                        for (int i = 0; i < URLS.size(); i++) {
                            LinkVerdict v = scanner.scan(URLS.get(i), "www.example.co.uk");
                            if (!v.findings().equals(expected.get(i).findings())) {
                                return false;
                            }
                            String token = signer.sign(URLS.get(i), "r", "m");
                            if (!token.equals(expectedTokens.get(i)) || !signer.verify(token).isValid()) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
