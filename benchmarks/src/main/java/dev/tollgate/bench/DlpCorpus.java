package dev.tollgate.bench;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.tollgate.core.dlp.DetectorType;

/**
 * A deterministic corpus of outbound mail text for the DLP benchmarks: messages of 1–20 KB (subject and
 * plain-text body) mixing prose in seven languages (English, German, French, Spanish, Dutch, Russian, Greek),
 * business lines full of numbers that look like sensitive data but are not (order and invoice numbers, dates,
 * phone numbers, ISBNs, 13-digit millisecond timestamps, Luhn-failing 16-digit references, IBANs with a wrong
 * check, long payment references), log and JSON lines, URLs, quoted replies and the odd base64 blob.
 *
 * <p>About one message in ten carries one to three real-looking values planted in a sentence with
 * context: card numbers (Visa, Mastercard 5x and 2-series, Amex; plain, space- or dash-grouped), IBANs (nine
 * countries, compact or grouped), dashed US SSNs, UK NINOs, AWS access key ids and, rarely, a PEM private key.
 * Valid values are built here with their own Luhn and MOD 97-10 code, independent of the detectors. Every
 * planted value is recorded with its exact span, so a test can check that a scanner finds exactly them.
 *
 * <p>The same seed always gives the same corpus (only {@link Random} with a fixed seed is used).
 */
public final class DlpCorpus {
    /** Seed of the corpus the benchmark and its test use. */
    public static final long SEED = 20_260_601L;
    /** Size of the benchmark corpus: 4 MB of UTF-8 text (subjects and bodies). */
    public static final int DEFAULT_UTF8_BYTES = 4_000_000;

    /** One planted value: where it is and what a detector should call it. */
    public static final class Planted {
        public final DetectorType type;
        public final int start;
        public final int end;

        Planted(DetectorType type, int start, int end) {
            this.type = type;
            this.start = start;
            this.end = end;
        }

        @Override
        public String toString() {
            return type + "[" + start + "," + end + ")";
        }
    }

    /** One message: subject, body and the values planted in the body. */
    public static final class Message {
        public final String subject;
        public final String body;
        public final List<Planted> planted;

        Message(String subject, String body, List<Planted> planted) {
            this.subject = subject;
            this.body = body;
            this.planted = Collections.unmodifiableList(planted);
        }
    }

    private final List<Message> messages;
    private final long utf8Bytes;
    private final long chars;

    private DlpCorpus(List<Message> messages) {
        this.messages = Collections.unmodifiableList(messages);
        long b = 0;
        long c = 0;
        for (Message m : messages) {
            b += m.subject.getBytes(StandardCharsets.UTF_8).length + m.body.getBytes(StandardCharsets.UTF_8).length;
            c += m.subject.length() + m.body.length();
        }
        this.utf8Bytes = b;
        this.chars = c;
    }

    /**
     * @param seed random seed
     * @param targetUtf8Bytes stop adding messages once subjects and bodies reach this many UTF-8 bytes
     * @return the corpus
     */
    public static DlpCorpus generate(long seed, long targetUtf8Bytes) {
        Generator g = new Generator(new Random(seed));
        List<Message> out = new ArrayList<>();
        long bytes = 0;
        while (bytes < targetUtf8Bytes) {
            Message m = g.message();
            out.add(m);
            bytes += m.subject.getBytes(StandardCharsets.UTF_8).length + m.body.getBytes(StandardCharsets.UTF_8).length;
        }
        return new DlpCorpus(out);
    }

    /** @return the benchmark corpus: {@link #SEED}, {@link #DEFAULT_UTF8_BYTES} */
    public static DlpCorpus standard() {
        return generate(SEED, DEFAULT_UTF8_BYTES);
    }

    public List<Message> messages() {
        return messages;
    }

    /** @return total UTF-8 bytes of all subjects and bodies (the unit of the MB/s figures) */
    public long utf8Bytes() {
        return utf8Bytes;
    }

    /** @return total UTF-16 chars of all subjects and bodies */
    public long chars() {
        return chars;
    }

    /** @return number of planted values per detector type */
    public Map<DetectorType, Integer> plantedCounts() {
        Map<DetectorType, Integer> m = new EnumMap<>(DetectorType.class);
        for (Message msg : messages) {
            for (Planted p : msg.planted) {
                m.merge(p.type, 1, Integer::sum);
            }
        }
        return m;
    }

    /** @return number of messages with at least one planted value */
    public int messagesWithPlantedValues() {
        int n = 0;
        for (Message m : messages) {
            if (!m.planted.isEmpty()) {
                n++;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return "DlpCorpus{" + messages.size() + " messages, " + utf8Bytes + " UTF-8 bytes, " + chars + " chars, "
                + messagesWithPlantedValues() + " with planted values " + plantedCounts() + '}';
    }

    /** Builds messages; not thread-safe. */
    private static final class Generator {
        private static final String[][] WORDS = {
            // English
            {"the", "report", "meeting", "project", "we", "will", "send", "you", "update", "on", "next", "week",
                "please", "find", "attached", "thanks", "for", "your", "quick", "reply", "budget", "team", "review",
                "customer", "schedule", "delivery", "agreed", "draft", "version", "final", "regards", "call", "about",
                "question", "issue", "have", "been", "able", "to", "confirm", "timeline", "should", "could", "would",
                "office", "planning", "results", "quarter", "contract", "supplier", "approval", "the", "and", "of",
                "in", "is", "it", "that", "this", "with", "as", "at", "by", "from", "our", "all", "new", "more"},
            // German
            {"der", "die", "das", "und", "wir", "Ihnen", "Angebot", "Besprechung", "nächste", "Woche", "bitte",
                "Anhang", "finden", "Sie", "vielen", "Dank", "für", "Ihre", "Rückmeldung", "Lieferung", "Termin",
                "Vertrag", "Kunde", "Freigabe", "Entwurf", "Grüße", "mit", "freundlichen", "Projekt", "Bericht",
                "Abstimmung", "Änderung", "übermorgen", "Rechnung", "gemäß", "Vereinbarung", "ist", "nicht", "auch"},
            // French
            {"le", "la", "les", "nous", "vous", "réunion", "semaine", "prochaine", "merci", "pour", "votre",
                "réponse", "ci-joint", "le", "rapport", "projet", "livraison", "contrat", "client", "validation",
                "cordialement", "bien", "à", "de", "et", "est", "une", "équipe", "délai", "prévu", "déjà", "très"},
            // Spanish
            {"el", "la", "los", "nosotros", "usted", "reunión", "semana", "próxima", "gracias", "por", "su",
                "respuesta", "adjunto", "informe", "proyecto", "entrega", "contrato", "cliente", "aprobación",
                "saludos", "cordiales", "de", "y", "es", "una", "equipo", "plazo", "previsto", "mañana", "también"},
            // Dutch
            {"de", "het", "een", "wij", "u", "vergadering", "volgende", "week", "bedankt", "voor", "uw",
                "antwoord", "bijlage", "verslag", "project", "levering", "contract", "klant", "goedkeuring",
                "groeten", "met", "vriendelijke", "en", "is", "niet", "ook", "afspraak", "planning", "morgen"},
            // Russian
            {"мы", "вы", "отчёт", "встреча", "проект", "на", "следующей", "неделе", "пожалуйста", "спасибо",
                "за", "ответ", "договор", "клиент", "поставка", "согласование", "с", "уважением", "и", "в"},
            // Greek
            {"εμείς", "εσείς", "αναφορά", "συνάντηση", "έργο", "την", "επόμενη", "εβδομάδα", "ευχαριστώ", "για",
                "απάντηση", "σύμβαση", "πελάτης", "παράδοση", "έγκριση", "με", "εκτίμηση", "και", "στο"}
        };
        /** Cumulative language weights (per mille) for the indices of {@link #WORDS}. */
        private static final int[] LANGUAGE_WEIGHTS = {500, 650, 750, 850, 940, 970, 1000};
        private static final String[] NAMES = {"Alice Martin", "Bernd Schulz", "Chloé Dubois", "Diego García",
            "Eva de Vries", "Frank O'Neill", "Greta Nilsson", "Hiro Tanaka"};
        private static final String[] BIC = {"DEUTDEFF", "INGBNL2A", "BNPAFRPP", "NWBKGB2L", "CAIXESBB", "UNCRITMM"};
        private static final String[] IBAN_COUNTRIES = {"DE", "NL", "FR", "GB", "ES", "IT", "CH", "BE", "AT"};
        private static final int[] IBAN_LENGTHS = {22, 18, 27, 22, 24, 27, 21, 16, 20};
        private static final String BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        private static final String UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

        private final Random r;
        private StringBuilder sb;
        private List<Planted> planted;
        private int language;

        Generator(Random r) {
            this.r = r;
        }

        Message message() {
            sb = new StringBuilder();
            planted = new ArrayList<>();
            int pick = r.nextInt(1000);
            language = 0;
            while (LANGUAGE_WEIGHTS[language] <= pick) {
                language++;
            }
            // sizes 1-20 KB, log-uniform: most mail is short
            int target = (int) (1000 * Math.pow(2, r.nextDouble() * 4.32));
            String subject = subject();
            int plants = r.nextInt(100) < 10 ? 1 + r.nextInt(3) : 0;
            boolean key = r.nextInt(100) == 0;
            sb.append(greeting()).append("\n\n");
            int[] plantAt = new int[plants];
            for (int k = 0; k < plants; k++) {
                plantAt[k] = r.nextInt(Math.max(1, target - 400));
            }
            java.util.Arrays.sort(plantAt);
            int nextPlant = 0;
            while (sb.length() < target) {
                if (nextPlant < plants && sb.length() >= plantAt[nextPlant]) {
                    prose(1); // at least a sentence of plain words between a value and any number around it
                    plant();
                    prose(1);
                    nextPlant++;
                    continue;
                }
                segment();
            }
            while (nextPlant < plants) {
                prose(1);
                plant();
                prose(1);
                nextPlant++;
            }
            if (key) {
                prose(1);
                privateKey();
                prose(1);
            }
            sb.append("\n\n").append(signature());
            return new Message(subject, sb.toString(), planted);
        }

        private String subject() {
            switch (r.nextInt(5)) {
                case 0:
                    return "Re: " + capitalise(words(4 + r.nextInt(4)));
                case 1:
                    return "Invoice INV-2026-" + digits(6) + " / order " + digits(7);
                case 2:
                    return "Fwd: " + capitalise(words(3 + r.nextInt(5)));
                case 3:
                    return capitalise(words(2 + r.nextInt(6))) + " (" + date() + ")";
                default:
                    return capitalise(words(3 + r.nextInt(4)));
            }
        }

        private void segment() {
            int k = r.nextInt(100);
            if (k < 55) {
                prose(2 + r.nextInt(5));
            } else if (k < 75) {
                businessLine();
            } else if (k < 82) {
                logLine();
            } else if (k < 87) {
                json();
            } else if (k < 91) {
                url();
            } else if (k < 96) {
                quoted();
            } else if (k < 99) {
                decoy();
            } else {
                base64Blob();
            }
        }

        private void prose(int sentences) {
            for (int s = 0; s < sentences; s++) {
                sb.append(capitalise(words(8 + r.nextInt(14))));
                sb.append(r.nextInt(8) == 0 ? "?" : ".").append(r.nextInt(4) == 0 ? "\n" : " ");
            }
            sb.append('\n');
        }

        private String words(int n) {
            String[] w = WORDS[language];
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    s.append(r.nextInt(12) == 0 ? ", " : " ");
                }
                s.append(w[r.nextInt(w.length)]);
            }
            return s.toString();
        }

        private static String capitalise(String s) {
            return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + s.substring(1);
        }

        private String greeting() {
            String name = NAMES[r.nextInt(NAMES.length)];
            String[] g = {"Hi ", "Hallo ", "Bonjour ", "Hola ", "Beste ", "Здравствуйте, ", "Γεια σας "};
            return g[language] + name.substring(0, name.indexOf(' ')) + ",";
        }

        private String signature() {
            String name = NAMES[r.nextInt(NAMES.length)];
            return "-- \n" + name + "\nACME Trading GmbH | Hauptstr. " + (1 + r.nextInt(200)) + " | "
                    + (10000 + r.nextInt(89999)) + " Berlin\nTel. +49 30 " + digits(4) + " " + digits(4)
                    + " | Fax +49 30 " + digits(4) + " " + digits(3) + "\n";
        }

        private void businessLine() {
            switch (r.nextInt(8)) {
                case 0:
                    sb.append("Order #").append(digits(7)).append(" shipped on ").append(date())
                            .append(", tracking 1Z").append(chars(UPPER_ALNUM, 16)).append(".\n");
                    break;
                case 1:
                    sb.append("Invoice INV-2026-").append(digits(6)).append(": total ").append(amount())
                            .append(" EUR, due ").append(date()).append(".\n");
                    break;
                case 2:
                    sb.append("Call me at +49 30 ").append(digits(4)).append(' ').append(digits(4))
                            .append(" or +1 415-555-").append(digits(4)).append(", mobile +44 7700 ")
                            .append(digits(6)).append(".\n");
                    break;
                case 3:
                    sb.append("Meeting ").append(date()).append(" at ").append(time()).append(" in room ")
                            .append(1 + r.nextInt(6)).append('.').append(digits(2)).append("; dial-in 0800 ")
                            .append(digits(3)).append(' ').append(digits(4)).append(", PIN ").append(digits(6))
                            .append("#\n");
                    break;
                case 4:
                    sb.append("ISBN 978-3-").append(digits(2)).append('-').append(digits(6)).append('-')
                            .append(r.nextInt(10)).append(", ").append(1 + r.nextInt(900)).append(" pages, ")
                            .append(amount()).append(" EUR\n");
                    break;
                case 5:
                    sb.append("| ").append(digits(5)).append(" | ").append(words(2)).append(" | ")
                            .append(1 + r.nextInt(99)).append(" | ").append(amount()).append(" | ")
                            .append(amount()).append(" |\n");
                    break;
                case 6:
                    sb.append("Customer no. ").append(digits(8)).append(", contract ").append(digits(4)).append('/')
                            .append(digits(5)).append(", VAT DE").append(digits(9)).append(".\n");
                    break;
                default:
                    sb.append("Payment reference ").append(digits(22)).append(", value date ").append(date())
                            .append(", amount ").append(amount()).append(" EUR.\n");
                    break;
            }
        }

        private void logLine() {
            long ts = 1_735_689_600_000L + (long) (r.nextDouble() * 40_000_000_000L);
            sb.append(date()).append('T').append(time()).append(':').append(digits(2)).append('.').append(digits(3))
                    .append("Z INFO [worker-").append(r.nextInt(16)).append("] request id=")
                    .append(Long.toHexString(r.nextLong())).append(" user=u").append(digits(5)).append(" took ")
                    .append(r.nextInt(900)).append(" ms ts=").append(ts).append('\n');
        }

        private void json() {
            long ts = 1_735_689_600_000L + (long) (r.nextDouble() * 40_000_000_000L);
            sb.append("{\"id\": \"").append(Long.toHexString(r.nextLong())).append("\", \"created\": ").append(ts)
                    .append(", \"amount\": ").append(r.nextInt(100000)).append('.').append(digits(2))
                    .append(", \"status\": \"").append(r.nextBoolean() ? "paid" : "open")
                    .append("\", \"items\": [").append(r.nextInt(50)).append(", ").append(r.nextInt(50))
                    .append("]}\n");
        }

        private void url() {
            sb.append("https://portal.example.com/orders/").append(digits(7)).append("?session=")
                    .append(chars(UPPER_ALNUM, 12).toLowerCase(java.util.Locale.ROOT)).append("&lang=")
                    .append(new String[] {"en", "de", "fr", "es", "nl", "ru", "el"}[language]).append('\n');
        }

        private void quoted() {
            sb.append("On ").append(date()).append(" at ").append(time()).append(", ")
                    .append(NAMES[r.nextInt(NAMES.length)]).append(" <someone@example.com> wrote:\n");
            for (int i = 0, n = 2 + r.nextInt(4); i < n; i++) {
                sb.append("> ").append(capitalise(words(6 + r.nextInt(8)))).append(".\n");
            }
        }

        /** Numbers shaped like sensitive data that a validating detector must not report. */
        private void decoy() {
            switch (r.nextInt(5)) {
                case 0: { // Visa-shaped reference with a wrong Luhn digit
                    String p = "4" + digits(14);
                    sb.append("Reference ").append(p).append((luhnCheck(p) + 1 + r.nextInt(9)) % 10).append(".\n");
                    break;
                }
                case 1: { // IBAN with a wrong check
                    int c = r.nextInt(IBAN_COUNTRIES.length);
                    String iban = iban(IBAN_COUNTRIES[c], IBAN_LENGTHS[c]);
                    int last = iban.length() - 1;
                    char bad = (char) ('0' + (iban.charAt(last) - '0' + 1) % 10);
                    sb.append("Old account ").append(iban, 0, last).append(Character.isDigit(iban.charAt(last)) ? bad : '7')
                            .append(" (closed).\n");
                    break;
                }
                case 2: // 13-digit millisecond timestamp in plain text
                    sb.append("Event time ").append(1_735_689_600_000L + (long) (r.nextDouble() * 40_000_000_000L))
                            .append(" ms since epoch.\n");
                    break;
                case 3: // loyalty card outside every card network's IIN ranges
                    sb.append("Loyalty card 9").append(digits(3)).append(' ').append(digits(4)).append(' ')
                            .append(digits(4)).append(' ').append(digits(4)).append(".\n");
                    break;
                default: // SSN-shaped but invalid area
                    sb.append("Ticket 9").append(digits(2)).append('-').append(digits(2)).append('-').append(digits(4))
                            .append(" reopened.\n");
                    break;
            }
        }

        private void base64Blob() {
            sb.append("data:image/png;base64,");
            int n = 200 + r.nextInt(600);
            sb.append(chars(BASE64, n)).append("==\n");
        }

        /** Appends one sentence with one valid value and records its span. */
        private void plant() {
            switch (r.nextInt(6)) {
                case 0:
                case 1:
                    sb.append(new String[] {"Please charge my credit card ", "Kreditkarte: ", "Carte bancaire ",
                        "Card number "}[r.nextInt(4)]);
                    record(DetectorType.PAYMENT_CARD, card());
                    sb.append(", expiry ").append(1 + r.nextInt(12)).append('/').append(27 + r.nextInt(5)).append(".\n");
                    break;
                case 2: {
                    sb.append(new String[] {"IBAN: ", "Bankverbindung ", "rekeningnummer ", "Please transfer to "}[r.nextInt(4)]);
                    int c = r.nextInt(IBAN_COUNTRIES.length);
                    String iban = iban(IBAN_COUNTRIES[c], IBAN_LENGTHS[c]);
                    record(DetectorType.IBAN, r.nextBoolean() ? iban : group(iban, r.nextInt(4) == 0 ? '-' : ' '));
                    sb.append(" (BIC ").append(BIC[r.nextInt(BIC.length)]).append(").\n");
                    break;
                }
                case 3: {
                    sb.append("SSN ");
                    int area;
                    do {
                        area = 1 + r.nextInt(899);
                    } while (area == 666);
                    record(DetectorType.US_SSN, String.format("%03d-%02d-%04d", area, 1 + r.nextInt(99), 1 + r.nextInt(9999)));
                    sb.append(" for the payroll form.\n");
                    break;
                }
                case 4: {
                    sb.append("National Insurance number ");
                    String first = "ABCEGHJKLMNOPRSTWXYZ";
                    String second = "ABCEGHJKLMNPRSTWXYZ";
                    String prefix;
                    do {
                        prefix = "" + first.charAt(r.nextInt(first.length())) + second.charAt(r.nextInt(second.length()));
                    } while (prefix.equals("BG") || prefix.equals("GB") || prefix.equals("KN") || prefix.equals("NK")
                            || prefix.equals("NT") || prefix.equals("TN") || prefix.equals("ZZ"));
                    String d = digits(6);
                    char suffix = "ABCD".charAt(r.nextInt(4));
                    record(DetectorType.UK_NINO, r.nextBoolean() ? prefix + d + suffix
                            : prefix + ' ' + d.substring(0, 2) + ' ' + d.substring(2, 4) + ' ' + d.substring(4) + ' ' + suffix);
                    sb.append(", please update HR.\n");
                    break;
                }
                default:
                    sb.append("aws_access_key_id = ");
                    record(DetectorType.CLOUD_CREDENTIAL, (r.nextBoolean() ? "AKIA" : "ASIA") + chars(BASE32, 16));
                    sb.append("\naws_secret_access_key = (sent separately)\n");
                    break;
            }
        }

        private void privateKey() {
            StringBuilder k = new StringBuilder("-----BEGIN RSA PRIVATE KEY-----\n");
            for (int i = 0; i < 25; i++) {
                k.append(chars(BASE64, 64)).append('\n');
            }
            k.append(chars(BASE64, 36)).append("==\n-----END RSA PRIVATE KEY-----");
            sb.append("Here is the deploy key:\n");
            record(DetectorType.PRIVATE_KEY, k.toString());
            sb.append("\n");
        }

        private void record(DetectorType type, String value) {
            int start = sb.length();
            sb.append(value);
            planted.add(new Planted(type, start, sb.length()));
        }

        private String card() {
            String payload;
            int kind = r.nextInt(4);
            switch (kind) {
                case 0:
                    payload = "4" + digits(14);
                    break;
                case 1:
                    payload = (51 + r.nextInt(5)) + digits(13);
                    break;
                case 2:
                    payload = (2221 + r.nextInt(500)) + digits(11);
                    break;
                default:
                    payload = (r.nextBoolean() ? "34" : "37") + digits(12);
                    break;
            }
            String pan = payload + luhnCheck(payload);
            int style = r.nextInt(3);
            if (style == 0) {
                return pan;
            }
            char sep = style == 1 ? ' ' : '-';
            if (pan.length() == 15) {
                return pan.substring(0, 4) + sep + pan.substring(4, 10) + sep + pan.substring(10);
            }
            return pan.substring(0, 4) + sep + pan.substring(4, 8) + sep + pan.substring(8, 12) + sep + pan.substring(12);
        }

        /** A valid IBAN: random BBAN (digits, some letters), check digits by MOD 97-10 (ISO 7064). */
        private String iban(String country, int length) {
            StringBuilder bban = new StringBuilder();
            while (bban.length() < length - 4) {
                bban.append(r.nextInt(5) == 0 ? (char) ('A' + r.nextInt(26)) : (char) ('0' + r.nextInt(10)));
            }
            StringBuilder numeric = new StringBuilder();
            for (char c : (bban + country + "00").toCharArray()) {
                numeric.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
            }
            int check = 98 - new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue();
            return country + String.format("%02d", check) + bban;
        }

        private static String group(String iban, char sep) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < iban.length(); i++) {
                if (i > 0 && i % 4 == 0) {
                    s.append(sep);
                }
                s.append(iban.charAt(i));
            }
            return s.toString();
        }

        /** Luhn check digit for a payload (ISO/IEC 7812-1 Annex B), computed here on its own. */
        private static int luhnCheck(String payload) {
            int sum = 0;
            boolean dbl = true;
            for (int i = payload.length() - 1; i >= 0; i--) {
                int d = payload.charAt(i) - '0';
                if (dbl) {
                    d = d * 2 > 9 ? d * 2 - 9 : d * 2;
                }
                sum += d;
                dbl = !dbl;
            }
            return (10 - sum % 10) % 10;
        }

        private String digits(int n) {
            StringBuilder s = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                s.append((char) ('0' + r.nextInt(10)));
            }
            return s.toString();
        }

        private String chars(String alphabet, int n) {
            StringBuilder s = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                s.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            return s.toString();
        }

        private String date() {
            return String.format("2026-%02d-%02d", 1 + r.nextInt(12), 1 + r.nextInt(28));
        }

        private String time() {
            return String.format("%02d:%02d", r.nextInt(24), r.nextInt(60));
        }

        private String amount() {
            return (1 + r.nextInt(9)) + "." + digits(3) + "," + digits(2);
        }
    }
}
