package dev.tollgate.core.links;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DnsblTest {
    /** Answers from a map; records every query. */
    static final class FakeLookup implements DnsblLookup {
        final Map<String, List<Inet4Address>> answers = new HashMap<>();
        final List<String> queries = new ArrayList<>();
        boolean fail;

        FakeLookup answer(String name, String... ips) {
            List<Inet4Address> list = new ArrayList<>();
            for (String ip : ips) {
                list.add(ipv4(ip));
            }
            answers.put(name, list);
            return this;
        }

        @Override
        public synchronized List<Inet4Address> lookupA(String queryName) throws IOException {
            queries.add(queryName);
            if (fail) {
                throw new IOException("timeout");
            }
            return answers.getOrDefault(queryName, List.of());
        }
    }

    static final class FakeTicker implements Ticker {
        final AtomicLong nanos = new AtomicLong();

        @Override
        public long read() {
            return nanos.get();
        }

        void advance(Duration d) {
            nanos.addAndGet(d.toNanos());
        }
    }

    static Inet4Address ipv4(String dotted) {
        try {
            return (Inet4Address) InetAddress.getByAddress(com.google.common.net.InetAddresses.forString(dotted)
                    .getAddress());
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private final FakeLookup lookup = new FakeLookup();
    private final FakeTicker ticker = new FakeTicker();
    private final Dnsbl dbl = Dnsbl.builder("dbl.spamhaus.org", lookup).ttl(Duration.ofMinutes(5)).ticker(ticker)
            .build();

    @Test
    void nxdomainIsNotListed() {
        DnsblResult r = dbl.check("clean.test");
        assertThat(r.status()).isEqualTo(DnsblResult.Status.NOT_LISTED);
        assertThat(r.queryName()).isEqualTo("clean.test.dbl.spamhaus.org");
        assertThat(r.categories()).isEmpty();
        assertThat(r.error()).isEmpty();
    }

    @Test
    void listingCodesMapToCategories() {
        lookup.answer("spam.test.dbl.spamhaus.org", "127.0.1.2")
                .answer("phish.test.dbl.spamhaus.org", "127.0.1.4")
                .answer("malware.test.dbl.spamhaus.org", "127.0.1.5")
                .answer("cc.test.dbl.spamhaus.org", "127.0.1.6")
                .answer("redir.test.dbl.spamhaus.org", "127.0.1.103")
                .answer("multi.test.dbl.spamhaus.org", "127.0.1.2", "127.0.1.104")
                .answer("future.test.dbl.spamhaus.org", "127.0.1.200");
        assertThat(dbl.check("spam.test").categories()).containsExactly(DnsblResult.Category.SPAM);
        assertThat(dbl.check("phish.test").categories()).containsExactly(DnsblResult.Category.PHISH);
        assertThat(dbl.check("malware.test").categories()).containsExactly(DnsblResult.Category.MALWARE);
        assertThat(dbl.check("cc.test").categories()).containsExactly(DnsblResult.Category.BOTNET_CC);
        assertThat(dbl.check("redir.test").categories()).containsExactly(DnsblResult.Category.ABUSED_REDIRECTOR);
        assertThat(dbl.check("multi.test").categories()).containsExactlyInAnyOrder(DnsblResult.Category.SPAM,
                DnsblResult.Category.ABUSED_LEGIT_PHISH);
        assertThat(dbl.check("future.test").categories()).containsExactly(DnsblResult.Category.OTHER);
        assertThat(dbl.check("phish.test").isListed()).isTrue();
    }

    @Test
    void errorCodesAreNeverListings() {
        lookup.answer("typo.test.dbl.spamhaus.org", "127.255.255.252")
                .answer("public.test.dbl.spamhaus.org", "127.255.255.254")
                .answer("excess.test.dbl.spamhaus.org", "127.255.255.255")
                .answer("ipq.test.dbl.spamhaus.org", "127.0.1.255")
                .answer("hijack.test.dbl.spamhaus.org", "198.51.100.7")
                .answer("mixed.test.dbl.spamhaus.org", "127.0.1.2", "127.255.255.254");
        assertThat(error("typo.test")).isEqualTo(DnsblResult.Error.TYPO_IN_ZONE);
        assertThat(error("public.test")).isEqualTo(DnsblResult.Error.PUBLIC_RESOLVER);
        assertThat(error("excess.test")).isEqualTo(DnsblResult.Error.EXCESSIVE_QUERIES);
        assertThat(error("ipq.test")).isEqualTo(DnsblResult.Error.IP_QUERY_PROHIBITED);
        assertThat(error("hijack.test")).isEqualTo(DnsblResult.Error.UNEXPECTED_ANSWER);
        assertThat(error("mixed.test")).isEqualTo(DnsblResult.Error.PUBLIC_RESOLVER);
        assertThat(dbl.check("mixed.test").isListed()).isFalse();
        assertThat(dbl.check("mixed.test").categories()).isEmpty();
    }

    private DnsblResult.Error error(String domain) {
        DnsblResult r = dbl.check(domain);
        assertThat(r.status()).as(domain).isEqualTo(DnsblResult.Status.ERROR);
        return r.error().orElseThrow();
    }

    @Test
    void resultsAreCachedForTheTtl() {
        lookup.answer("spam.test.dbl.spamhaus.org", "127.0.1.2");
        dbl.check("spam.test");
        dbl.check("SPAM.test.");
        assertThat(lookup.queries).hasSize(1);
        ticker.advance(Duration.ofMinutes(5).minusSeconds(1));
        dbl.check("spam.test");
        assertThat(lookup.queries).hasSize(1);
        ticker.advance(Duration.ofSeconds(2));
        lookup.answers.clear();
        assertThat(dbl.check("spam.test").isListed()).isFalse();
        assertThat(lookup.queries).hasSize(2);
    }

    @Test
    void lookupFailuresAreErrorsAndNotCached() {
        lookup.fail = true;
        DnsblResult r = dbl.check("x.test");
        assertThat(r.status()).isEqualTo(DnsblResult.Status.ERROR);
        assertThat(r.error()).contains(DnsblResult.Error.LOOKUP_FAILED);
        lookup.fail = false;
        assertThat(dbl.check("x.test").status()).isEqualTo(DnsblResult.Status.NOT_LISTED);
        assertThat(lookup.queries).hasSize(2);
    }

    @Test
    void ipLiteralsAndIdnsAreHandledBeforeQuerying() {
        assertThat(dbl.check("192.0.2.1").status()).isEqualTo(DnsblResult.Status.NOT_LISTED);
        assertThat(lookup.queries).isEmpty();
        dbl.check("Bücher.test");
        assertThat(lookup.queries).containsExactly("xn--bcher-kva.test.dbl.spamhaus.org");
        assertThat(dbl.check("a".repeat(60) + "." + "b".repeat(60) + "." + "c".repeat(60) + "." + "d".repeat(60) + ".test").error())
                .contains(DnsblResult.Error.LOOKUP_FAILED);
    }

    @Test
    void scannerCheckQueriesHostAndRegistrableDomain() {
        lookup.answer("evil.co.uk.dbl.spamhaus.org", "127.0.1.4")
                .answer("hacked.test.dbl.spamhaus.org", "127.0.1.104")
                .answer("broken.test.dbl.spamhaus.org", "127.255.255.254");
        LinkScanner scanner = LinkScanner.builder().check(LinkChecks.dnsbl(dbl)).build();
        LinkVerdict phish = scanner.scan("https://login.evil.co.uk/x");
        assertThat(phish.level()).isEqualTo(LinkVerdict.Level.MALICIOUS);
        assertThat(phish.reasons()).containsExactly(LinkVerdict.Reason.DNSBL_LISTED);
        assertThat(lookup.queries).contains("login.evil.co.uk.dbl.spamhaus.org", "evil.co.uk.dbl.spamhaus.org");
        assertThat(scanner.scan("https://hacked.test/").level()).isEqualTo(LinkVerdict.Level.SUSPICIOUS);
        LinkVerdict error = scanner.scan("https://broken.test/");
        assertThat(error.level()).isEqualTo(LinkVerdict.Level.CLEAN);
        assertThat(error.reasons()).containsExactly(LinkVerdict.Reason.DNSBL_ERROR);
        assertThat(scanner.scan("http://192.0.2.1/").findings()).isEmpty();
    }
}
