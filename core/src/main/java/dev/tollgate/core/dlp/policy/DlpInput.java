package dev.tollgate.core.dlp.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;

import dev.tollgate.core.dlp.Finding;
import dev.tollgate.core.dlp.content.Unscannable;

/**
 * What {@link PolicyEvaluator} needs to know about one mail: envelope, subject, what the scan found
 * and what could not be scanned, and two lookups of the server (local domains, recipient certificates).
 * Build with {@link #builder()}. Immutable.
 */
public final class DlpInput {
    private final String sender;
    private final List<String> recipients;
    private final String subject;
    private final List<Finding> findings;
    private final List<Unscannable> unscannable;
    private final Predicate<String> isLocalDomain;
    private final Predicate<String> hasCertificate;

    private DlpInput(Builder b) {
        this.sender = b.sender == null ? null : b.sender.toLowerCase(Locale.ROOT);
        this.recipients = Collections.unmodifiableList(new ArrayList<>(b.recipients));
        this.subject = b.subject == null ? "" : b.subject;
        this.findings = Collections.unmodifiableList(new ArrayList<>(b.findings));
        this.unscannable = Collections.unmodifiableList(new ArrayList<>(b.unscannable));
        this.isLocalDomain = Objects.requireNonNull(b.isLocalDomain, "isLocalDomain");
        this.hasCertificate = b.hasCertificate;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** @return the envelope sender, lower case, or null for the null sender */
    public String sender() {
        return sender;
    }

    public List<String> recipients() {
        return recipients;
    }

    public String subject() {
        return subject;
    }

    public List<Finding> findings() {
        return findings;
    }

    public List<Unscannable> unscannable() {
        return unscannable;
    }

    public Predicate<String> isLocalDomain() {
        return isLocalDomain;
    }

    public Predicate<String> hasCertificate() {
        return hasCertificate;
    }

    /** Builder; not thread-safe. */
    public static final class Builder {
        private String sender;
        private final List<String> recipients = new ArrayList<>();
        private String subject;
        private final List<Finding> findings = new ArrayList<>();
        private final List<Unscannable> unscannable = new ArrayList<>();
        private Predicate<String> isLocalDomain;
        private Predicate<String> hasCertificate = r -> false;

        /** @param sender envelope sender address, null for the null sender */
        public Builder sender(String sender) {
            this.sender = sender;
            return this;
        }

        /** @param recipient an envelope recipient address */
        public Builder recipient(String recipient) {
            this.recipients.add(Objects.requireNonNull(recipient, "recipient"));
            return this;
        }

        public Builder recipients(List<String> recipients) {
            recipients.forEach(this::recipient);
            return this;
        }

        /** @param subject decoded Subject (for the justification marker), null for none */
        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        public Builder findings(List<Finding> findings) {
            this.findings.addAll(findings);
            return this;
        }

        public Builder unscannable(List<Unscannable> unscannable) {
            this.unscannable.addAll(unscannable);
            return this;
        }

        /** @param isLocalDomain true for the server's own (lower-case) domains: recipients there are internal */
        public Builder localDomains(Predicate<String> isLocalDomain) {
            this.isLocalDomain = isLocalDomain;
            return this;
        }

        /** @param hasCertificate true when an S/MIME certificate is available for the recipient; default none */
        public Builder certificates(Predicate<String> hasCertificate) {
            this.hasCertificate = Objects.requireNonNull(hasCertificate, "hasCertificate");
            return this;
        }

        public DlpInput build() {
            return new DlpInput(this);
        }
    }
}
