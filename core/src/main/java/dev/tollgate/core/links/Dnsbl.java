package dev.tollgate.core.links;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A domain-based DNS block list (RFC 5782 §2.2) with Spamhaus DBL answer semantics: the query for
 * {@code example.test} in zone {@code dbl.spamhaus.org} is {@code example.test.dbl.spamhaus.org}; an
 * A record in {@code 127.0.1.2}–{@code 127.0.1.254} is a listing ({@link DnsblResult.Category}), while
 * {@code 127.0.1.255} and {@code 127.255.255.252}/{@code 254}/{@code 255} are error codes (IP query,
 * zone typo, public resolver, excessive queries) that are logged and reported as
 * {@link DnsblResult.Status#ERROR}, never as a listing. Any other address is an unexpected answer (for
 * example a resolver that rewrites NXDOMAIN) and also an error.
 *
 * <p>Results are cached per domain for the configured TTL (Caffeine, with an injectable {@link Ticker});
 * failed lookups ({@link IOException}) are not cached. IP literals are never queried (the DBL refuses
 * them). Thread-safe.
 */
public final class Dnsbl {
    /** Default result cache lifetime. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(Dnsbl.class);
    private static final int MAX_QUERY_NAME = 253;

    private final String zone;
    private final DnsblLookup lookup;
    private final Cache<String, DnsblResult> cache;

    private Dnsbl(Builder b) {
        this.zone = b.zone;
        this.lookup = b.lookup;
        this.cache = Caffeine.newBuilder().expireAfterWrite(b.ttl).maximumSize(b.maximumSize).ticker(b.ticker)
                .build();
    }

    /**
     * @param zone   the list zone, e.g. {@code dbl.spamhaus.org} (or a Spamhaus DQS zone)
     * @param lookup the DNS resolver side
     * @throws IllegalArgumentException when the zone is not a valid host name
     */
    public static Builder builder(String zone, DnsblLookup lookup) {
        return new Builder(zone, lookup);
    }

    /** @return the zone, normalised */
    public String zone() {
        return zone;
    }

    /**
     * @param domain a domain as written or already normalised, e.g. {@code Bücher.example}
     * @return the interpreted answer; {@link DnsblResult.Status#NOT_LISTED} for IP literals and invalid
     *     hosts (nothing to ask)
     */
    public DnsblResult check(String domain) {
        return check(HostNormalizer.normalize(domain));
    }

    /** @return the interpreted answer for a normalised host */
    public DnsblResult check(NormalizedHost host) {
        if (!host.isValid() || host.isIpLiteral()) {
            return new DnsblResult(host.ascii(), DnsblResult.Status.NOT_LISTED, Set.of(), null);
        }
        String queryName = host.ascii() + "." + zone;
        if (queryName.length() > MAX_QUERY_NAME) {
            return new DnsblResult(queryName, DnsblResult.Status.ERROR, Set.of(), DnsblResult.Error.LOOKUP_FAILED);
        }
        try {
            return cache.get(queryName, this::query);
        } catch (UncheckedIOException e) {
            LOG.warn("DNSBL {} lookup failed for {}: {}", zone, queryName, e.getCause().getMessage());
            return new DnsblResult(queryName, DnsblResult.Status.ERROR, Set.of(), DnsblResult.Error.LOOKUP_FAILED);
        }
    }

    private DnsblResult query(String queryName) {
        final List<Inet4Address> answers;
        try {
            answers = lookup.lookupA(queryName);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return interpret(queryName, answers);
    }

    DnsblResult interpret(String queryName, List<Inet4Address> answers) {
        if (answers == null || answers.isEmpty()) {
            return new DnsblResult(queryName, DnsblResult.Status.NOT_LISTED, Set.of(), null);
        }
        Set<DnsblResult.Category> categories = EnumSet.noneOf(DnsblResult.Category.class);
        DnsblResult.Error error = null;
        for (Inet4Address address : answers) {
            byte[] a = address.getAddress();
            int b0 = a[0] & 0xff;
            int b1 = a[1] & 0xff;
            int b2 = a[2] & 0xff;
            int b3 = a[3] & 0xff;
            if (b0 == 127 && b1 == 0 && b2 == 1 && b3 >= 2 && b3 <= 254) {
                categories.add(DnsblResult.Category.ofLastOctet(b3));
            } else if (b0 == 127 && b1 == 0 && b2 == 1 && b3 == 255) {
                error = DnsblResult.Error.IP_QUERY_PROHIBITED;
            } else if (b0 == 127 && b1 == 255 && b2 == 255 && b3 == 252) {
                error = DnsblResult.Error.TYPO_IN_ZONE;
            } else if (b0 == 127 && b1 == 255 && b2 == 255 && b3 == 254) {
                error = DnsblResult.Error.PUBLIC_RESOLVER;
            } else if (b0 == 127 && b1 == 255 && b2 == 255 && b3 == 255) {
                error = DnsblResult.Error.EXCESSIVE_QUERIES;
            } else if (error == null) {
                error = DnsblResult.Error.UNEXPECTED_ANSWER;
            }
        }
        if (error != null) {
            // An error code makes the whole answer untrustworthy: never report it as a listing.
            LOG.warn("DNSBL {} answered {} for {}: {}", zone, answers, queryName, error);
            return new DnsblResult(queryName, DnsblResult.Status.ERROR, Set.of(), error);
        }
        return new DnsblResult(queryName, DnsblResult.Status.LISTED, categories, null);
    }

    @Override
    public String toString() {
        return "Dnsbl[" + zone + "]";
    }

    /** Builder for {@link Dnsbl}; not thread-safe. */
    public static final class Builder {
        private final String zone;
        private final DnsblLookup lookup;
        private Duration ttl = DEFAULT_TTL;
        private long maximumSize = 100_000;
        private Ticker ticker = Ticker.systemTicker();

        private Builder(String zone, DnsblLookup lookup) {
            NormalizedHost z = HostNormalizer.normalize(Objects.requireNonNull(zone, "zone"));
            if (z.kind() != NormalizedHost.Kind.DNS_NAME) {
                throw new IllegalArgumentException("DNSBL zone is not a valid host name");
            }
            this.zone = z.ascii();
            this.lookup = Objects.requireNonNull(lookup, "lookup");
        }

        /** @param ttl how long results are cached, positive; default {@link #DEFAULT_TTL} */
        public Builder ttl(Duration ttl) {
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("ttl must be positive");
            }
            this.ttl = ttl;
            return this;
        }

        /** @param maximumSize cached results at most, ≥ 1; default 100 000 */
        public Builder maximumSize(long maximumSize) {
            if (maximumSize < 1) {
                throw new IllegalArgumentException("maximumSize must be at least 1");
            }
            this.maximumSize = maximumSize;
            return this;
        }

        /** @param ticker the time source of the cache (a fake in tests) */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker);
            return this;
        }

        /** @return the block list */
        public Dnsbl build() {
            return new Dnsbl(this);
        }
    }
}
