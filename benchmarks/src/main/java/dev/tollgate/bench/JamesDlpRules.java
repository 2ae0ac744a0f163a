package dev.tollgate.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import javax.mail.MessagingException;

import org.apache.james.core.Domain;
import org.apache.james.dlp.api.DLPConfigurationItem;
import org.apache.james.dlp.api.DLPConfigurationStore;
import org.apache.james.dlp.api.DLPRules;
import org.apache.james.metrics.api.NoopGaugeRegistry;
import org.apache.james.transport.matchers.dlp.Dlp;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.reactivestreams.Publisher;

import com.google.common.collect.ImmutableList;

import reactor.core.publisher.Mono;

/**
 * The content rules an administrator would give James 3.8.1's built-in DLP to cover what Tollgate's built-in
 * detectors find (James has regular expressions only: no checksums, no context), in the order an administrator
 * would list them. Two ways to apply them, both as James does:
 * <ul>
 *   <li>{@link #matcher()}: James's own {@code org.apache.james.transport.matchers.dlp.Dlp} matcher, initialised
 *       with {@code cache:60s} (rules loaded once, as the James docs advise), over an in-memory
 *       {@link DLPConfigurationStore} holding these rules for the sender's domain;</li>
 *   <li>{@link #firstMatch}: the matcher's core on strings, the way {@code DlpDomainRules} applies content
 *       rules: rules in order, each one's compiled {@link Pattern#asPredicate()} ({@code find()}) over the
 *       subject, then the body; the first rule that matches wins and the rest are not tried.</li>
 * </ul>
 */
public final class JamesDlpRules {
    /** Sender domain the rules are stored for. */
    public static final String SENDER_DOMAIN = "corp.example";

    /** Rule id → Java regex. */
    public static final Map<String, String> RULES;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("payment-card", "\\b(?:4\\d{3}|5[1-5]\\d{2}|2(?:2[2-9]\\d|[3-6]\\d{2}|7[01]\\d|720)|6011|65\\d{2})"
                + "(?:[ -]?\\d{4}){3}\\b|\\b3[47]\\d{2}[ -]?\\d{6}[ -]?\\d{5}\\b");
        m.put("iban", "\\b[A-Z]{2}\\d{2}(?:[ -]?[A-Z0-9]{4}){2,7}(?:[ -]?[A-Z0-9]{1,3})?\\b");
        m.put("us-ssn", "\\b(?!000|666|9\\d{2})\\d{3}-(?!00)\\d{2}-(?!0000)\\d{4}\\b");
        m.put("uk-nino", "\\b(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\\d{2} ?\\d{2} ?\\d{2} ?[A-D]\\b");
        m.put("private-key", "-----BEGIN (?:(?:RSA|EC|DSA|OPENSSH|ENCRYPTED) )?PRIVATE KEY-----|PuTTY-User-Key-File-[23]:");
        m.put("cloud-credential", "\\b(?:A[KS]IA[A-Z2-7]{16}|gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_\\w{70,244}"
                + "|xox[bpars]-\\d[A-Za-z0-9-]{19,250}|AIza[\\w-]{35}|[rs]k_live_[A-Za-z0-9]{24,247})\\b");
        RULES = Collections.unmodifiableMap(m);
    }

    private final List<String> ids = new ArrayList<>();
    private final List<Predicate<String>> predicates = new ArrayList<>();
    private final DLPRules dlpRules;

    public JamesDlpRules() {
        ImmutableList.Builder<DLPConfigurationItem> items = ImmutableList.builder();
        for (Map.Entry<String, String> e : RULES.entrySet()) {
            ids.add(e.getKey());
            predicates.add(Pattern.compile(e.getValue()).asPredicate());
            items.add(DLPConfigurationItem.builder()
                    .id(DLPConfigurationItem.Id.of(e.getKey()))
                    .expression(e.getValue())
                    .explanation("Tollgate benchmark: " + e.getKey())
                    .targetsContent()
                    .build());
        }
        try {
            dlpRules = new DLPRules(items.build());
        } catch (DLPRules.DuplicateRulesIdsException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Applies the rules as James's {@code DlpDomainRules} applies content rules.
     *
     * @return the id of the first matching rule, or null
     */
    public String firstMatch(String subject, String body) {
        for (int k = 0; k < predicates.size(); k++) {
            Predicate<String> p = predicates.get(k);
            if ((subject != null && p.test(subject)) || p.test(body)) {
                return ids.get(k);
            }
        }
        return null;
    }

    /**
     * @return James's {@code Dlp} matcher, initialised with condition {@code cache:60s}, whose store holds these
     *     rules for {@link #SENDER_DOMAIN}
     * @throws MessagingException if James refuses the configuration
     */
    public Dlp matcher() throws MessagingException {
        Dlp dlp = new Dlp(new Store(dlpRules), new NoopGaugeRegistry());
        dlp.init(FakeMatcherConfig.builder()
                .matcherName("Dlp")
                .condition("cache:60s")
                .mailetContext(FakeMailContext.defaultContext())
                .build());
        return dlp;
    }

    /** Read-only store with one rule list for {@link #SENDER_DOMAIN}. */
    private static final class Store implements DLPConfigurationStore {
        private final DLPRules rules;

        Store(DLPRules rules) {
            this.rules = rules;
        }

        @Override
        public Publisher<DLPRules> list(Domain domain) {
            return Mono.just(domain.equals(Domain.of(SENDER_DOMAIN)) ? rules : emptyRules());
        }

        private static DLPRules emptyRules() {
            try {
                return new DLPRules(ImmutableList.of());
            } catch (DLPRules.DuplicateRulesIdsException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void store(Domain domain, DLPRules rules) {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public void clear(Domain domain) {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public java.util.Optional<DLPConfigurationItem> fetch(Domain domain, DLPConfigurationItem.Id id) {
            return rules.getItems().stream().filter(i -> i.getId().equals(id)).findFirst();
        }
    }
}
