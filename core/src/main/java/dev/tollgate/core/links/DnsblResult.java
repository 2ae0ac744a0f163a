package dev.tollgate.core.links;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The interpreted answer of a {@link Dnsbl} for one domain, following the Spamhaus Domain Block List
 * (DBL) return codes. Immutable.
 */
public final class DnsblResult {
    /** The outcome. */
    public enum Status {
        /** The domain is listed; see {@link #categories()}. */
        LISTED,
        /** NXDOMAIN or no A record: not listed. */
        NOT_LISTED,
        /** The list answered with an error code or could not be asked; see {@link #error()}. Not a listing. */
        ERROR
    }

    /** DBL listing categories, from answers in {@code 127.0.1.0/24}. */
    public enum Category {
        /** 127.0.1.2: spam domain. */
        SPAM(2),
        /** 127.0.1.4: phishing domain. */
        PHISH(4),
        /** 127.0.1.5: malware domain. */
        MALWARE(5),
        /** 127.0.1.6: botnet command-and-control domain. */
        BOTNET_CC(6),
        /** 127.0.1.102: abused legitimate domain, spam. */
        ABUSED_LEGIT_SPAM(102),
        /** 127.0.1.103: abused spammed redirector domain. */
        ABUSED_REDIRECTOR(103),
        /** 127.0.1.104: abused legitimate domain, phishing. */
        ABUSED_LEGIT_PHISH(104),
        /** 127.0.1.105: abused legitimate domain, malware. */
        ABUSED_LEGIT_MALWARE(105),
        /** 127.0.1.106: abused legitimate domain, botnet C&amp;C. */
        ABUSED_LEGIT_BOTNET_CC(106),
        /** Any other code in 127.0.1.2–127.0.1.254: listed, category not known to this version. */
        OTHER(-1);

        private final int lastOctet;

        Category(int lastOctet) {
            this.lastOctet = lastOctet;
        }

        /** @return true for the "abused legitimate" categories (100 and up): a compromised, not a bad, domain */
        public boolean isAbusedLegitimate() {
            return lastOctet >= 100;
        }

        static Category ofLastOctet(int octet) {
            for (Category c : values()) {
                if (c.lastOctet == octet) {
                    return c;
                }
            }
            return OTHER;
        }
    }

    /** Why the result is an {@link Status#ERROR}. */
    public enum Error {
        /** 127.255.255.252: typing error in the DNSBL zone name. */
        TYPO_IN_ZONE,
        /** 127.255.255.254: query through a public or open resolver, which the list refuses. */
        PUBLIC_RESOLVER,
        /** 127.255.255.255: excessive number of queries. */
        EXCESSIVE_QUERIES,
        /** 127.0.1.255: the list was asked about an IP address, which the DBL refuses. */
        IP_QUERY_PROHIBITED,
        /** An answer outside the documented codes (e.g. a resolver rewriting NXDOMAIN). */
        UNEXPECTED_ANSWER,
        /** The lookup failed (timeout, SERVFAIL) or the query name was too long. */
        LOOKUP_FAILED
    }

    private final String queryName;
    private final Status status;
    private final Set<Category> categories;
    private final Error error;

    DnsblResult(String queryName, Status status, Set<Category> categories, Error error) {
        this.queryName = Objects.requireNonNull(queryName);
        this.status = status;
        this.categories = categories.isEmpty() ? Collections.emptySet()
                : Collections.unmodifiableSet(EnumSet.copyOf(categories));
        this.error = error;
    }

    /** @return the name that was (or would have been) queried */
    public String queryName() {
        return queryName;
    }

    /** @return the outcome */
    public Status status() {
        return status;
    }

    /** @return true only for {@link Status#LISTED} */
    public boolean isListed() {
        return status == Status.LISTED;
    }

    /** @return the listing categories; empty unless listed */
    public Set<Category> categories() {
        return categories;
    }

    /** @return the error, present only for {@link Status#ERROR} */
    public Optional<Error> error() {
        return Optional.ofNullable(error);
    }

    @Override
    public String toString() {
        return "DnsblResult[" + queryName + " " + status + (categories.isEmpty() ? "" : " " + categories)
                + (error == null ? "" : " " + error) + "]";
    }
}
