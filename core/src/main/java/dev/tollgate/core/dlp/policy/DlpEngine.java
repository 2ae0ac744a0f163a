package dev.tollgate.core.dlp.policy;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import dev.tollgate.core.dlp.TextScanner;
import dev.tollgate.core.dlp.content.ExtractedContent;
import dev.tollgate.core.dlp.content.MessageContentExtractor;
import dev.tollgate.core.mime.PartCache;

/**
 * Extract, scan, evaluate: the whole DLP decision for one message, shared by the James mailet and
 * {@code tollgate scan}. The exact-data lists of the policy in force are added to the scanner's
 * detectors (a new scanner is built once per policy version). Thread-safe (its parts are).
 */
public final class DlpEngine implements AutoCloseable {
    private final PolicySource policy;
    private final TextScanner scanner;
    private final MessageContentExtractor extractor;
    private final AutoCloseable resources;
    private volatile Scanning scanning;

    /** The scanner for one policy version. */
    private static final class Scanning {
        final DlpPolicy policy;
        final TextScanner scanner;

        Scanning(DlpPolicy policy, TextScanner scanner) {
            this.policy = policy;
            this.scanner = scanner;
        }
    }

    /**
     * @param policy the (reloading) policy
     * @param scanner the detectors
     * @param extractor the content extractor
     */
    public DlpEngine(PolicySource policy, TextScanner scanner, MessageContentExtractor extractor) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.scanner = Objects.requireNonNull(scanner, "scanner");
        this.extractor = Objects.requireNonNull(extractor, "extractor");
        this.resources = () -> { };
    }

    /**
     * @param policy the (reloading) policy
     * @param scanner the detectors
     * @param extraction the extraction, closed with this engine
     */
    public DlpEngine(PolicySource policy, TextScanner scanner, DlpExtraction extraction) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.scanner = Objects.requireNonNull(scanner, "scanner");
        this.extractor = extraction.extractor();
        this.resources = extraction;
    }

    /** Stops what the extraction started (document workers). */
    @Override
    public void close() {
        try {
            resources.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The decision with what led to it. */
    public static final class Result {
        private final DlpPolicy policy;
        private final MessageScan scan;
        private final Decision decision;

        Result(DlpPolicy policy, MessageScan scan, Decision decision) {
            this.policy = policy;
            this.scan = scan;
            this.decision = decision;
        }

        /** @return the policy version the decision was taken with */
        public DlpPolicy policy() {
            return policy;
        }

        public MessageScan scan() {
            return scan;
        }

        public Decision decision() {
            return decision;
        }
    }

    /**
     * @param message the message (not modified)
     * @param sender envelope sender, null for the null sender
     * @param recipients envelope recipients
     * @param isLocalDomain the server's local domains (lower case)
     * @param hasCertificate recipients with an S/MIME certificate
     * @return the result
     * @throws MessagingException if the message headers cannot be read
     */
    public Result evaluate(MimeMessage message, String sender, List<String> recipients,
            Predicate<String> isLocalDomain, Predicate<String> hasCertificate) throws MessagingException {
        return evaluate(message, sender, recipients, isLocalDomain, hasCertificate, PartCache.none());
    }

    /**
     * {@link #evaluate(MimeMessage, String, List, Predicate, Predicate)}, taking decoded bodies and parsed HTML
     * from {@code cache} and leaving its own there for the next component reading the same mail.
     *
     * @param cache what earlier readers of the same mail decoded and parsed
     */
    public Result evaluate(MimeMessage message, String sender, List<String> recipients,
            Predicate<String> isLocalDomain, Predicate<String> hasCertificate, PartCache cache)
            throws MessagingException {
        DlpPolicy p = policy.current();
        ExtractedContent content = extractor.extract(message, cache);
        MessageScan scan = MessageScan.of(content, scannerFor(p));
        DlpInput input = DlpInput.builder().sender(sender).recipients(recipients).subject(message.getSubject())
                .findings(scan.plainFindings()).unscannable(scan.unscannable())
                .localDomains(isLocalDomain).certificates(hasCertificate).build();
        return new Result(p, scan, PolicyEvaluator.evaluate(p, input));
    }

    /** @return the base scanner plus the policy's exact-data lists */
    TextScanner scannerFor(DlpPolicy p) {
        Scanning s = scanning;
        if (s == null || s.policy != p) {
            s = new Scanning(p, scanner.plus(p.exactData()));
            scanning = s;
        }
        return s.scanner;
    }

    public PolicySource policySource() {
        return policy;
    }
}
