package dev.tollgate.core.dlp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Category of sensitive data a {@link Detector} looks for, and the registry of the built-in detectors: each
 * built-in type is declared here once with its detector id, its priority, the factory of its detector and the
 * keywords of its default {@link ContextRule}. {@link TextScanner} (the {@code detectors} parameter,
 * {@link TextScanner.Builder#allBuiltInDetectors()}, the priority order and the default context rules) and
 * the DLP policy parser (the ids a rule may name) read this registry and nothing else.
 *
 * <p>{@link #EXACT_DATA} is not built in: its detectors are the {@link ExactDataMatch} lists of a policy,
 * named {@code edm:<list id>}.
 */
public enum DetectorType {
    /** Payment card primary account numbers (ISO/IEC 7812-1). */
    PAYMENT_CARD(PaymentCardDetector.ID, 50, PaymentCardDetector::create,
            words("card", "credit card", "debit card", "credit", "debit", "visa", "mastercard",
                    "amex", "american express", "cvv", "cvc", "expiry", "kreditkarte", "karte",
                    "kartennummer", "carte bancaire", "carte de crédit", "carte", "tarjeta",
                    "tarjeta de crédito", "cartão", "cartão de crédito", "carta di credito", "creditcard"),
            Keywords.COMMON_NEGATIVE),
    /** International bank account numbers (ISO 13616). */
    IBAN(IbanDetector.ID, 30, IbanDetector::create,
            words("iban", "bic", "swift", "bank account", "account number", "bankverbindung",
                    "kontonummer", "konto", "rekeningnummer", "rekening", "compte", "rib", "cuenta",
                    "conto", "conta"),
            Keywords.COMMON_NEGATIVE),
    /** US Social Security numbers (SSA numbering rules). */
    US_SSN(UsSsnDetector.ID, 60, UsSsnDetector::create,
            words("ssn", "ssn#", "ss#", "social security", "social security number",
                    "social security no", "taxpayer"),
            Keywords.COMMON_NEGATIVE),
    /** UK National Insurance numbers (HMRC format). */
    UK_NINO(UkNinoDetector.ID, 40, UkNinoDetector::create,
            words("national insurance", "national insurance number", "nino", "ni number", "ni no"),
            Keywords.COMMON_NEGATIVE),
    /** Private key material (PEM, OpenSSH, PuTTY). */
    PRIVATE_KEY(PrivateKeyDetector.ID, 10, PrivateKeyDetector::create,
            words(),
            words("example", "sample", "dummy", "fake")),
    /** Cloud / SaaS access credentials (AWS, GitHub, Slack, Google, Stripe). */
    CLOUD_CREDENTIAL(CloudCredentialDetector.ID, 20, CloudCredentialDetector::create,
            words("key", "secret", "token", "credential", "credentials", "password", "aws",
                    "github", "slack", "stripe", "api key"),
            words("example", "sample", "dummy", "fake", "placeholder", "redacted")),
    /** Values from an administrator-supplied list (exact data match); not built in, see {@link ExactDataMatch}. */
    EXACT_DATA(null, 1000, null, words(), words());

    private final String id;
    private final int priority;
    private final Supplier<? extends Detector> factory;
    private final List<String> positive;
    private final List<String> negative;

    DetectorType(String id, int priority, Supplier<? extends Detector> factory, List<String> positive,
            List<String> negative) {
        this.id = id;
        this.priority = priority;
        this.factory = factory;
        this.positive = positive;
        this.negative = negative;
    }

    private static List<String> words(String... keywords) {
        return List.of(keywords);
    }

    /** Keywords shared by several types; a nested class because enum constants cannot read the enum's statics. */
    private static final class Keywords {
        static final List<String> COMMON_NEGATIVE = List.of(
                "test", "testing", "example", "sample", "dummy", "fake", "placeholder",
                "order number", "order no", "tracking", "tracking number", "invoice number",
                "bestellnummer", "sendungsnummer", "numéro de commande", "número de pedido");
    }

    /** @return whether a built-in detector of this type exists (all types but {@link #EXACT_DATA}) */
    public boolean isBuiltIn() {
        return factory != null;
    }

    /**
     * @return the id of the built-in detector, as written in the {@code detectors} parameter, in policy rules
     *     and in findings, e.g. {@code "iban"}
     * @throws IllegalStateException for {@link #EXACT_DATA}, whose ids are {@code edm:<list id>}
     */
    public String id() {
        requireBuiltIn();
        return id;
    }

    /**
     * @return the priority when detectors of several types match at the same position: the lowest number
     *     wins; {@link #EXACT_DATA} comes last
     */
    public int priority() {
        return priority;
    }

    /**
     * @return a new instance of the built-in detector
     * @throws IllegalStateException for {@link #EXACT_DATA}
     */
    public Detector newDetector() {
        requireBuiltIn();
        return factory.get();
    }

    /** @return positive keywords of the default {@link ContextRule}, in declaration order */
    List<String> defaultPositiveKeywords() {
        return positive;
    }

    /** @return negative keywords of the default {@link ContextRule}, in declaration order */
    List<String> defaultNegativeKeywords() {
        return negative;
    }

    private void requireBuiltIn() {
        if (factory == null) {
            throw new IllegalStateException(name() + " has no built-in detector");
        }
    }

    /** @return the types with a built-in detector, in declaration order */
    public static List<DetectorType> builtIns() {
        return BuiltIns.TYPES;
    }

    /** @return the ids of the built-in detectors, in declaration order */
    public static List<String> builtInIds() {
        return BuiltIns.IDS;
    }

    /**
     * @param id a detector id as written in configuration (exact, lower case)
     * @return the built-in type with that id, empty if there is none
     */
    public static Optional<DetectorType> builtIn(String id) {
        for (DetectorType t : BuiltIns.TYPES) {
            if (t.id.equals(id)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * The reason given wherever a detector id is refused (the scanner's {@code detectors} parameter, a policy
     * rule), so that both say the same.
     *
     * @param id the refused id
     * @return {@code unknown detector 'ID'; built-in: payment-card, iban, ...}
     */
    public static String unknownIdReason(String id) {
        return "unknown detector '" + id + "'; built-in: " + String.join(", ", BuiltIns.IDS);
    }

    private static final class BuiltIns {
        static final List<DetectorType> TYPES;
        static final List<String> IDS;

        static {
            List<DetectorType> types = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (DetectorType t : values()) {
                if (t.isBuiltIn()) {
                    types.add(t);
                    ids.add(t.id);
                }
            }
            TYPES = Collections.unmodifiableList(types);
            IDS = Collections.unmodifiableList(ids);
        }
    }
}
