package dev.tollgate.core.dlp.policy;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which mails and recipients a {@link PolicyRule} applies to. Empty lists mean "any". Domains match
 * exactly or, when written {@code .example.com}, any subdomain of it (Postfix's leading-dot form).
 * Addresses and domains are compared case-insensitively. Immutable.
 */
public final class Scope {
    /** Matches every sender and recipient. */
    public static final Scope ANY = new Scope(Set.of(), Set.of(), Set.of(), false);

    private final Set<String> senderDomains;
    private final Set<String> senderUsers;
    private final Set<String> recipientDomains;
    private final boolean externalOnly;

    /**
     * @param senderDomains domains of the envelope sender ({@code example.com} or {@code .example.com})
     * @param senderUsers full envelope sender addresses
     * @param recipientDomains recipient domains, same syntax as sender domains
     * @param externalOnly only recipients whose domain is not a local domain of the server
     */
    public Scope(Set<String> senderDomains, Set<String> senderUsers, Set<String> recipientDomains, boolean externalOnly) {
        this.senderDomains = lower(senderDomains);
        this.senderUsers = lower(senderUsers);
        this.recipientDomains = lower(recipientDomains);
        this.externalOnly = externalOnly;
    }

    private static Set<String> lower(Set<String> in) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : in) {
            out.add(s.trim().toLowerCase(Locale.ROOT));
        }
        return Collections.unmodifiableSet(out);
    }

    /**
     * @param sender envelope sender address, or null for the null sender (which matches only when
     *     no sender condition is set)
     * @return whether the sender conditions hold
     */
    public boolean matchesSender(String sender) {
        if (senderDomains.isEmpty() && senderUsers.isEmpty()) {
            return true;
        }
        if (sender == null) {
            return false;
        }
        String s = sender.toLowerCase(Locale.ROOT);
        return senderUsers.contains(s) || domainIn(domainOf(s), senderDomains);
    }

    /**
     * @param recipient recipient address
     * @param isLocalDomain tells whether a (lower-case) domain is one of the server's local domains
     * @return whether the recipient conditions hold
     */
    public boolean matchesRecipient(String recipient, Predicate<String> isLocalDomain) {
        String domain = domainOf(recipient.toLowerCase(Locale.ROOT));
        if (externalOnly && isLocalDomain.test(domain)) {
            return false;
        }
        return recipientDomains.isEmpty() || domainIn(domain, recipientDomains);
    }

    static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1);
    }

    private static boolean domainIn(String domain, Set<String> patterns) {
        for (String p : patterns) {
            if (p.startsWith(".") ? domain.endsWith(p) : domain.equals(p)) {
                return true;
            }
        }
        return false;
    }

    public Set<String> senderDomains() {
        return senderDomains;
    }

    public Set<String> senderUsers() {
        return senderUsers;
    }

    public Set<String> recipientDomains() {
        return recipientDomains;
    }

    public boolean externalOnly() {
        return externalOnly;
    }

    @Override
    public String toString() {
        return "Scope{senderDomains=" + senderDomains + ", senderUsers=" + senderUsers + ", recipientDomains="
                + recipientDomains + (externalOnly ? ", external only" : "") + '}';
    }
}
