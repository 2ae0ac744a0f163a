package dev.tollgate.core.links;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The registry of the link checks every scanner runs: {@link LinkScanner.Builder#defaultChecks()} and
 * {@link LinkScanSettings#build} (and so {@code RewriteLinks}, {@code HasMaliciousLink},
 * {@code HasSuspiciousLink}, the click-time redirector and {@code tollgate links}) add exactly these, in
 * declaration order. A check is declared here once, with the factory that makes it from the protected
 * domains of the configuration ({@code protectedDomains}; empty for {@link LinkScanner.Builder#defaultChecks()}),
 * which most checks ignore. Checks that need their own configuration (block list, DNSBL) are not defaults.
 */
public enum DefaultLinkCheck {
    /** {@link LinkChecks#dangerousScheme()}. */
    DANGEROUS_SCHEME(LinkChecks::dangerousScheme),
    /** {@link LinkChecks#userinfo()}. */
    USERINFO(LinkChecks::userinfo),
    /** {@link LinkChecks#ipLiteralHost()}. */
    IP_LITERAL_HOST(LinkChecks::ipLiteralHost),
    /** {@link LinkChecks#invalidHost()}. */
    INVALID_HOST(LinkChecks::invalidHost),
    /** {@link LinkChecks#invisibleCharacters()}. */
    INVISIBLE_CHARACTERS(LinkChecks::invisibleCharacters),
    /** {@link LinkChecks#homographs}: mixed scripts, and look-alikes of the protected domains. */
    HOMOGRAPHS(LinkChecks::homographs),
    /** {@link LinkChecks#deceptiveAnchor()}. */
    DECEPTIVE_ANCHOR(LinkChecks::deceptiveAnchor);

    private final Function<Collection<String>, LinkCheck> factory;

    DefaultLinkCheck(Supplier<LinkCheck> factory) {
        this.factory = protectedDomains -> factory.get();
    }

    DefaultLinkCheck(Function<Collection<String>, LinkCheck> factory) {
        this.factory = factory;
    }

    /**
     * @param protectedDomains domains whose look-alikes are MALICIOUS, possibly empty
     * @return a new instance of this check
     * @throws IllegalArgumentException when a protected domain is not a valid host name
     */
    public LinkCheck create(Collection<String> protectedDomains) {
        return factory.apply(protectedDomains);
    }

    /**
     * @param protectedDomains domains whose look-alikes are MALICIOUS, possibly empty
     * @return a new instance of every default check, in declaration order
     * @throws IllegalArgumentException when a protected domain is not a valid host name
     */
    public static List<LinkCheck> createAll(Collection<String> protectedDomains) {
        List<LinkCheck> out = new ArrayList<>();
        for (DefaultLinkCheck c : values()) {
            out.add(c.create(protectedDomains));
        }
        return out;
    }
}
