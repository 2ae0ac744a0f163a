package dev.tollgate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;

/**
 * Writes the labelled DLP evaluation corpus of {@code testdata/dlp-eval}: synthetic messages (RFC 5322 files) with
 * documented test values only (payment networks' test card numbers, the IBAN registry's examples, AWS's
 * documentation access key id, keys and tokens generated here from a fixed seed, SSNs and NINOs drawn from the
 * valid ranges), and {@code manifest.tsv} with one line per message: file, class, expected detector ids
 * ({@code -} for none). Positives cover every built-in detector and every evasion class; hard negatives are
 * look-alikes. Deterministic (seed {@value #SEED}); the output is committed, run again only to change it:
 *
 * <pre>java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) dev.tollgate.bench.EvasionCorpus testdata/dlp-eval</pre>
 */
public final class EvasionCorpus {
    static final long SEED = 20261203L;

    static final String[] CARDS = {"4111111111111111", "5555555555554444", "378282246310005", "6011111111111117",
        "3530111333300000", "4012888888881881", "5105105105105100", "2223003122003222", "30569309025904",
        "6200000000000005"};
    /** IBAN registry (SWIFT) examples. */
    static final String[] IBANS = {"DE89370400440532013000", "GB82WEST12345698765432", "FR1420041010050500013M02606",
        "NL91ABNA0417164300", "ES9121000418450200051332", "IT60X0542811101000000123456", "BE68539007547034",
        "CH9300762011623852957", "AT611904300234573201", "PL61109010140000071219812874"};
    static final String AWS_DOC_KEY = "AKIAIOSFODNN7EXAMPLE";

    private final Random r = new Random(SEED);
    private final List<String[]> manifest = new ArrayList<>();
    private final Path dir;
    private int n;

    private EvasionCorpus(Path dir) {
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args.length > 0 ? args[0] : "testdata/dlp-eval");
        Files.createDirectories(dir);
        EvasionCorpus c = new EvasionCorpus(dir);
        c.generate();
        StringBuilder m = new StringBuilder("# file\tclass\texpected detectors (- for none); written by EvasionCorpus\n");
        for (String[] row : c.manifest) {
            m.append(String.join("\t", row)).append('\n');
        }
        Files.write(dir.resolve("manifest.tsv"), m.toString().getBytes(StandardCharsets.UTF_8));
        System.out.println(c.n + " messages written to " + dir);
    }

    // ---- values ----

    private String card() {
        return CARDS[r.nextInt(CARDS.length)];
    }

    private String card16() {
        String c;
        do {
            c = card();
        } while (c.length() != 16);
        return c;
    }

    private static String grouped(String digits, String sep) {
        StringBuilder sb = new StringBuilder();
        int[] layout = digits.length() == 15 ? new int[] {4, 6, 5} : digits.length() == 14 ? new int[] {4, 6, 4}
                : new int[] {4, 4, 4, 4};
        int p = 0;
        for (int k = 0; k < layout.length; k++) {
            if (k > 0) {
                sb.append(sep);
            }
            sb.append(digits, p, p + layout[k]);
            p += layout[k];
        }
        return sb.toString();
    }

    private String iban() {
        return IBANS[r.nextInt(IBANS.length)];
    }

    private static String printIban(String iban) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < iban.length(); i++) {
            if (i > 0 && i % 4 == 0) {
                sb.append(' ');
            }
            sb.append(iban.charAt(i));
        }
        return sb.toString();
    }

    private String ssn() {
        int area;
        do {
            area = 1 + r.nextInt(899);
        } while (area == 666);
        return String.format(Locale.ROOT, "%03d-%02d-%04d", area, 1 + r.nextInt(99), 1 + r.nextInt(9999));
    }

    private String nino() {
        String first = "ABCEGHJKLMNOPRSTWXYZ";
        String second = "ABCEGHJKLMNPRSTWXYZ";
        String p;
        do {
            p = "" + first.charAt(r.nextInt(first.length())) + second.charAt(r.nextInt(second.length()));
        } while (p.equals("BG") || p.equals("GB") || p.equals("KN") || p.equals("NK") || p.equals("NT")
                || p.equals("TN") || p.equals("ZZ"));
        return String.format(Locale.ROOT, "%s %02d %02d %02d %c", p, r.nextInt(100), r.nextInt(100), r.nextInt(100),
                "ABCD".charAt(r.nextInt(4)));
    }

    private String chars(String alphabet, int len) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private String credential() {
        switch (r.nextInt(5)) {
            case 0:
                return AWS_DOC_KEY;
            case 1:
                return "AKIA" + chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
            case 2:
                return "ghp_" + chars(ALNUM, 36);
            case 3:
                return "xoxb-" + (1 + r.nextInt(9)) + chars("0123456789", 11) + "-" + chars("0123456789", 13) + "-"
                        + chars(ALNUM, 24);
            default:
                return "sk_live_" + chars(ALNUM, 24);
        }
    }

    private String privateKey() throws NoSuchAlgorithmException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        SecureRandom sr = SecureRandom.getInstance("SHA1PRNG");
        sr.setSeed(r.nextLong());
        g.initialize(256, sr);
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(g.generateKeyPair().getPrivate().getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----";
    }

    /** A sensitive value of the detector, as a person would write it, with a label word before it. */
    private String value(String detector) throws NoSuchAlgorithmException {
        switch (detector) {
            case "payment-card":
                return "card " + grouped(card(), " ");
            case "iban":
                return "IBAN " + printIban(iban());
            case "us-ssn":
                return "SSN " + ssn();
            case "uk-nino":
                return "NI number " + nino();
            case "private-key":
                return "deploy key:\n" + privateKey();
            default:
                return "aws_access_key_id = " + credential();
        }
    }

    static final String[] DETECTORS = {"payment-card", "iban", "us-ssn", "uk-nino", "private-key", "cloud-credential"};

    // ---- prose ----

    private static final String[] SENTENCES = {
        "Thanks for the quick turnaround on this.", "Let me know if anything is missing.",
        "The figures are in the shared folder as usual.", "We will discuss the rest on Thursday.",
        "Please review before the end of the week.", "I have copied the team for visibility.",
        "Vielen Dank für die schnelle Antwort.", "Merci de confirmer la réception.",
        "Gracias por la información.", "Met vriendelijke groet, het team."};

    private String prose() {
        StringBuilder sb = new StringBuilder();
        int k = 2 + r.nextInt(3);
        for (int i = 0; i < k; i++) {
            sb.append(SENTENCES[r.nextInt(SENTENCES.length)]).append(' ');
        }
        return sb.toString().trim();
    }

    // ---- messages ----

    private static String headers(String subject, String contentType) {
        return "From: Alice <alice@corp.example>\r\nTo: Bob <bob@partner.example>\r\nSubject: " + subject
                + "\r\nDate: Thu, 03 Dec 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: " + contentType + "\r\n";
    }

    private String plain(String body) {
        return headers("Update", "text/plain; charset=utf-8") + "Content-Transfer-Encoding: 8bit\r\n\r\n"
                + prose() + "\r\n\r\n" + body.replace("\r\n", "\n").replace("\n", "\r\n") + "\r\n\r\n" + prose() + "\r\n";
    }

    private String html(String htmlBody) {
        return headers("Newsletter", "text/html; charset=utf-8") + "Content-Transfer-Encoding: 8bit\r\n\r\n"
                + "<html><body><p>" + prose() + "</p>" + htmlBody + "<p>" + prose() + "</p></body></html>\r\n";
    }

    private String withAttachment(String body, String name, String type, String content) {
        return headers("Files", "multipart/mixed; boundary=\"=_b1\"") + "\r\n--=_b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                + body + "\r\n--=_b1\r\nContent-Type: " + type + "; name=\"" + name + "\"\r\nContent-Disposition: attachment; filename=\""
                + name + "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8)) + "\r\n--=_b1--\r\n";
    }

    private void write(String cls, String raw, String... expected) throws IOException {
        n++;
        String file = String.format(Locale.ROOT, "m%03d.eml", n);
        Files.write(dir.resolve(file), raw.getBytes(StandardCharsets.UTF_8));
        manifest.add(new String[] {file, cls, expected.length == 0 ? "-" : String.join(",", expected)});
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            sb.append(String.format(Locale.ROOT, "%02x", b));
        }
        return sb.toString();
    }

    private static String percent(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (Character.isLetterOrDigit(c) && c < 0x80 && c % 3 != 0) {
                sb.append(c);
            } else {
                sb.append(String.format(Locale.ROOT, "%%%02X", b & 0xff));
            }
        }
        return sb.toString();
    }

    private static String escapes(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            sb.append(String.format(Locale.ROOT, i % 2 == 0 ? "\\u%04x" : "\\x%02x", (int) s.charAt(i)));
        }
        return sb.toString();
    }

    private static String qp(String s) {
        StringBuilder sb = new StringBuilder();
        int col = 0;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            String piece = String.format(Locale.ROOT, "=%02X", b & 0xff);
            if (col + piece.length() > 72) {
                sb.append("=\n");
                col = 0;
            }
            sb.append(piece);
            col += piece.length();
        }
        return sb.toString();
    }

    private static String inScript(String s, int zero) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                sb.appendCodePoint(zero + (c - '0'));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private void generate() throws Exception {
        // positives: every detector written plainly
        for (String d : DETECTORS) {
            for (int i = 0; i < 6; i++) {
                write("plain", plain(value(d)), d);
            }
        }
        // overlapping candidates: a number that fails validation right before the value
        for (int i = 0; i < 10; i++) {
            write("overlap", plain("Valid until " + (2026 + r.nextInt(5)) + " " + grouped(card16(), " ") + " thanks"),
                    "payment-card");
        }
        for (int i = 0; i < 5; i++) {
            write("overlap", plain("Filed " + (2019 + r.nextInt(6)) + " " + ssn() + " for payroll"), "us-ssn");
        }
        // separators
        for (String sep : new String[] {".", "/"}) {
            for (int i = 0; i < 5; i++) {
                write("separator", plain("Card on file " + grouped(card(), sep) + " ok"), "payment-card");
            }
        }
        for (int i = 0; i < 5; i++) {
            String g = grouped(card16(), " ");
            write("separator", plain("Please charge " + g.substring(0, 9) + "\n" + g.substring(10) + " today"),
                    "payment-card");
        }
        // digits of other scripts
        int[] zeros = {0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50, 0xFF10, 0x1D7CE};
        for (int zero : zeros) {
            write("digits", plain("Card " + inScript(grouped(card(), " "), zero)), "payment-card");
            write("digits", plain("IBAN DE" + inScript(printIban(IBANS[0]).substring(2), zero)), "iban");
            write("digits", plain("SSN " + inScript(ssn(), zero)), "us-ssn");
            String nino = nino();
            write("digits", plain("NI number " + nino.substring(0, 3) + inScript(nino.substring(3), zero)), "uk-nino");
        }
        // encoded inside text
        for (String d : DETECTORS) {
            String v = value(d);
            write("encoded", withAttachment("Config attached.", "cfg.json", "application/json",
                    "{\"name\": \"prod\", \"blob\": \"" + b64(v) + "\"}\n"), d);
        }
        for (int i = 0; i < 4; i++) {
            String v = i % 2 == 0 ? value("cloud-credential") : value("payment-card");
            String d = i % 2 == 0 ? "cloud-credential" : "payment-card";
            write("encoded", withAttachment("Config attached.", "cfg.json", "application/json",
                    "{\"data\": \"" + b64("{\"inner\": \"" + b64(v) + "\"}") + "\"}\n"), d);
            write("encoded", plain("token=" + Base64.getUrlEncoder().withoutPadding().encodeToString(
                    ("??>" + v + "<??").getBytes(StandardCharsets.UTF_8))), d);
            write("encoded", plain("dump: " + hex(v)), d);
            write("encoded", plain("https://pay.example/form?x=" + percent(v) + "&lang=en"), d);
            write("encoded", plain("{\"v\": \"" + escapes(v) + "\"}"), d);
            write("encoded", plain("---- pasted ----\n" + qp(v) + "\n----"), d);
        }
        // outside the ordinary text
        String[] places = {"preamble", "epilogue", "after-close", "comment", "display-none", "noscript", "alt", "title",
            "form-value"};
        for (String place : places) {
            for (String d : new String[] {"payment-card", "iban", "cloud-credential"}) {
                String v = value(d);
                String raw;
                switch (place) {
                    case "preamble":
                        raw = headers("Hi", "multipart/mixed; boundary=b") + "\r\n" + v + "\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
                                + prose() + "\r\n--b--\r\n";
                        break;
                    case "epilogue":
                        raw = headers("Hi", "multipart/mixed; boundary=b") + "\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
                                + prose() + "\r\n--b--\r\n" + v + "\r\n";
                        break;
                    case "after-close":
                        raw = headers("Hi", "multipart/mixed; boundary=b") + "\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
                                + prose() + "\r\n--b--\r\n--b\r\nContent-Type: text/plain\r\n\r\n" + v + "\r\n--b--\r\n";
                        break;
                    case "comment":
                        raw = html("<!-- " + v + " -->");
                        break;
                    case "display-none":
                        raw = html("<div style=\"display:none\">" + v + "</div>");
                        break;
                    case "noscript":
                        raw = html("<noscript>" + v + "</noscript>");
                        break;
                    case "alt":
                        raw = html("<p><img src=\"cid:x\" alt=\"" + v + "\"></p>");
                        break;
                    case "title":
                        raw = html("<p title=\"" + v + "\">details</p>");
                        break;
                    default:
                        raw = html("<form><input type=\"hidden\" name=\"f\" value=\"" + v + "\"></form>");
                }
                write("outside", raw, d);
            }
        }
        negatives();
        pdfLayout();
        glued();
        separatorForms();
        placesAndBase32();
        columnSeparators();
        bidiAndMetadata();
        reviewRound();
        htmlGaps();
        textRound();
        glueRound();
        htmlReadings();
        foreignRawText();
        pdfGlyphsAndRotation();
        gluedNonAscii();
        pdfGlyphsSwappedEqualDigits();
        encodingForms();
        columnForms();
        tableForms();
    }

    // ---- PDF layout and glued labels (appended last, so the messages before keep their numbers and bytes) ----

    /**
     * A one-page PDF (PDFBox, fixed dates so the bytes are the same each run); {@code xyText} holds x, y and text of
     * each run, drawn by its own text operator in the order given, 10 pt Helvetica.
     */
    static byte[] pdf(Object... xyText) throws IOException {
        return pdf(doc -> { }, xyText);
    }

    /**
     * The one PDF builder of the corpus: fixed creation date and file identifier (PDFBox would otherwise derive the
     * identifier from the time of saving), {@code prepare} applied to the document before its page is added, then one
     * page of runs as {@link #pdf(Object...)} draws them.
     */
    private static byte[] pdf(java.util.function.Consumer<PDDocument> prepare, Object... xyText) throws IOException {
        return pdf(prepare, page -> { }, xyText);
    }

    /** As {@link #pdf(java.util.function.Consumer, Object...)}, {@code preparePage} applied to the page first. */
    private static byte[] pdf(java.util.function.Consumer<PDDocument> prepare,
            java.util.function.Consumer<PDPage> preparePage, Object... xyText) throws IOException {
        try (PDDocument doc = new PDDocument(); java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream()) {
            java.util.Calendar date = java.util.Calendar.getInstance(java.util.TimeZone.getTimeZone("UTC"), Locale.ROOT);
            date.setTimeInMillis(FIXED_TIME);
            doc.getDocumentInformation().setCreationDate(date);
            prepare.accept(doc);
            org.apache.pdfbox.cos.COSArray id = new org.apache.pdfbox.cos.COSArray();
            id.add(new org.apache.pdfbox.cos.COSString("tollgate-dlp-eval"));
            id.add(new org.apache.pdfbox.cos.COSString("tollgate-dlp-eval"));
            doc.getDocument().getTrailer().setItem(org.apache.pdfbox.cos.COSName.ID, id);
            PDPage page = new PDPage();
            preparePage.accept(page);
            doc.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                for (int i = 0; i < xyText.length; i += 3) {
                    content.beginText();
                    content.setFont(PDType1Font.HELVETICA, 10);
                    content.newLineAtOffset(((Number) xyText[i]).floatValue(), ((Number) xyText[i + 1]).floatValue());
                    content.showText((String) xyText[i + 2]);
                    content.endText();
                }
            }
            doc.save(out);
            return out.toByteArray();
        }
    }

    /** Width of {@code s} in 10 pt Helvetica, in points. */
    static float width(String s) throws IOException {
        return PDType1Font.HELVETICA.getStringWidth(s) / 100;
    }

    private String withPdf(String body, byte[] pdf) {
        return headers("Statement", "multipart/mixed; boundary=\"=_b1\"") + "\r\n--=_b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                + body + "\r\n--=_b1\r\nContent-Type: application/pdf; name=\"statement.pdf\"\r\n"
                + "Content-Disposition: attachment; filename=\"statement.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(pdf) + "\r\n--=_b1--\r\n";
    }

    /** A table row: the cells drawn left to right from x 72, each starting where the previous one's glyphs end. */
    private static byte[] touchingRow(String... cells) throws IOException {
        Object[] runs = new Object[3 * (cells.length + 1)];
        runs[0] = 72;
        runs[1] = 720;
        runs[2] = "Statement";
        float x = 72;
        for (int i = 0; i < cells.length; i++) {
            runs[3 * i + 3] = x;
            runs[3 * i + 4] = 700;
            runs[3 * i + 5] = cells[i];
            x += width(cells[i]);
        }
        return pdf(runs);
    }

    private String amount() {
        return (1 + r.nextInt(9999)) + "." + String.format(Locale.ROOT, "%02d", r.nextInt(100));
    }

    private void pdfLayout() throws IOException {
        // a card drawn as its groups in separately positioned runs, out of reading order
        for (int i = 0; i < 6; i++) {
            String c = card16();
            write("pdf-runs", withPdf("Statement attached.", pdf(72, 700, "Card number:", 240, 700, c.substring(8, 12),
                    160, 700, c.substring(0, 4), 280, 700, c.substring(12), 200, 700, c.substring(4, 8))), "payment-card");
        }
        String amex = "378282246310005";
        write("pdf-runs", withPdf("Statement attached.", pdf(72, 700, "Amex", 220, 700, amex.substring(4, 10),
                160, 700, amex.substring(0, 4), 300, 700, amex.substring(10))), "payment-card");
        // four runs touching, in order
        for (int i = 0; i < 3; i++) {
            String c = card16();
            float x = 160;
            Object[] runs = new Object[15];
            runs[0] = 72;
            runs[1] = 700;
            runs[2] = "Card";
            for (int k = 0; k < 4; k++) {
                runs[3 + 3 * k] = x;
                runs[4 + 3 * k] = 700;
                runs[5 + 3 * k] = c.substring(4 * k, 4 * k + 4);
                x += width(c.substring(4 * k, 4 * k + 4));
            }
            write("pdf-runs", withPdf("Statement attached.", pdf(runs)), "payment-card");
        }
        // a card cell beside an amount cell, glyphs touching
        for (int i = 0; i < 6; i++) {
            write("pdf-cells", withPdf("Statement attached.", touchingRow("Order " + (10 + r.nextInt(90)) + " ", card(),
                    amount())), "payment-card");
        }
        // hard negatives: reference and amount cells touching, whose digits together would pass for a card
        for (int i = 0; i < 4; i++) {
            String c = card16();
            write("neg-pdf-cells", withPdf("Statement attached.", touchingRow("Ref ", c.substring(0, 12),
                    c.substring(12) + ".00")));
        }
        for (int i = 0; i < 4; i++) {
            String c = card16();
            write("neg-pdf-cells", withPdf("Statement attached.", touchingRow(String.valueOf(2020 + r.nextInt(7)),
                    c.substring(0, 4), c.substring(4, 8), c.substring(8, 12))));
        }
        for (int i = 0; i < 4; i++) {
            write("neg-pdf-cells", withPdf("Statement attached.", touchingRow("Total ", amount(), amount(), amount(),
                    chars("0123456789", 8))));
        }
    }

    private void glued() throws IOException {
        String[] labels = {"card", "Card", "ref", "INV", "cc", "PAN", "acct", "No"};
        for (String label : labels) {
            write("glued", plain("Please use " + label + card() + (label.equals("INV") ? "X" : "") + " for the refund"),
                    "payment-card");
        }
        for (int i = 0; i < 8; i++) {
            String c = card16();
            String text;
            switch (i % 4) {
                case 0:
                    text = "object " + hex(chars(ALNUM, 3)) + c + " restored"; // hex id
                    break;
                case 1:
                    text = "parcel JD" + c + " and LX" + c + "DE"; // tracking numbers
                    break;
                case 2:
                    text = "build TBA" + c + " and sku x" + c;
                    break;
                default:
                    text = "item INV2026" + c + " and " + "ref" + c + "X2"; // too long, digits after the suffix
            }
            write("neg-glued", plain(text));
        }
    }

    // ---- more separators (appended last, so the messages before keep their numbers and bytes) ----

    /** A card's digits cut 2-4-4-4-2 (no printed layout), joined by sep. */
    private static String offLayout(String c16, String sep) {
        return c16.substring(0, 2) + sep + c16.substring(2, 6) + sep + c16.substring(6, 10) + sep
                + c16.substring(10, 14) + sep + c16.substring(14);
    }

    /** A card's digits grouped in threes from the right, like a thousands separator. */
    private static String thousands(String digits, char sep) {
        StringBuilder sb = new StringBuilder();
        int head = digits.length() % 3 == 0 ? 3 : digits.length() % 3;
        sb.append(digits, 0, head);
        for (int p = head; p < digits.length(); p += 3) {
            sb.append(sep).append(digits, p, p + 3);
        }
        return sb.toString();
    }

    private void separatorForms() throws IOException {
        for (int i = 0; i < 4; i++) {
            write("separator-tab", plain((i % 2 == 0 ? "Card\t" : "J. Doe\tVisa\t") + grouped(card(), "\t")
                    + "\t12/28"), "payment-card");
            write("separator-blank", plain("Card number:  " + grouped(card(), " ".repeat(2 + i)) + "  thanks"),
                    "payment-card");
            write("separator-underscore", plain("Saved as ref_" + grouped(card(), "_") + "_final.txt"),
                    "payment-card");
            write("separator-comma", plain("id,card,year\n" + (10 + r.nextInt(90)) + "," + grouped(card(), ",") + ","
                    + (2027 + r.nextInt(4))), "payment-card");
            String[] seps = {" ", "-", ".", "\t", "_", ",", "  "};
            String c = card();
            String mixed;
            do {
                mixed = grouped(c, "\u0000");
                StringBuilder sb = new StringBuilder();
                java.util.Set<String> used = new java.util.HashSet<>();
                for (int k = 0; k < mixed.length(); k++) {
                    if (mixed.charAt(k) == 0) {
                        String sep = seps[r.nextInt(seps.length)];
                        used.add(sep);
                        sb.append(sep);
                    } else {
                        sb.append(mixed.charAt(k));
                    }
                }
                mixed = used.size() > 1 ? sb.toString() : null;
            } while (mixed == null);
            write("separator-mixed", plain("Please charge " + mixed + " today"), "payment-card");
        }
        // hard negatives: the same separators around digits that together pass IIN and Luhn, in groups that are
        // no printed layout (snake_case ids, thousands grouping, spreadsheet cells, table rows, wide column gaps)
        for (int i = 0; i < 3; i++) {
            String c = card16();
            write("neg-separator", plain("Cells:\t" + offLayout(c, "\t") + "\nrow\t" + c.substring(0, 4) + "\t"
                    + c.substring(4, 8) + "\n\t" + c.substring(8, 12) + "\t" + c.substring(12)));
            write("neg-separator", plain("Report  " + offLayout(c, "  ") + "\n" + c.substring(0, 4) + " ".repeat(20)
                    + c.substring(4, 8) + "  " + c.substring(8, 12) + "  " + c.substring(12)));
            write("neg-separator", plain("Files run_" + offLayout(c, "_") + ".log and backup_2026_0" + (1 + i)
                    + "_1" + i + "_1230.tar, build_20260501_" + c.substring(0, 6)));
            write("neg-separator", plain("Totals " + thousands(c, ',') + " and " + offLayout(c, ",") + ", CSV 1,"
                    + c.substring(0, 4) + "," + c.substring(4, 8) + ",\n" + c.substring(8, 12) + "," + c.substring(12)));
            write("neg-separator", plain("Parts " + c.substring(0, 4) + "-" + c.substring(4, 8) + "\n"
                    + c.substring(8, 12) + "-" + c.substring(12) + " and " + offLayout(c, " ").replaceFirst(" ", "-")));
        }
    }

    private void negatives() throws Exception {
        for (int i = 0; i < 10; i++) {
            long ms = 1_735_689_600_000L + (long) (r.nextDouble() * 40_000_000_000L);
            write("neg-timestamp", plain("event ts=" + ms + " at 2026-0" + (1 + r.nextInt(9)) + "-1" + r.nextInt(9)
                    + "T10:" + (10 + r.nextInt(49)) + ":00.123Z, epoch " + (ms / 1000)));
            write("neg-uuid", plain("request " + java.util.UUID.nameUUIDFromBytes(new byte[] {(byte) i}) + " trace "
                    + hex(chars(ALNUM, 16))));
            write("neg-tracking", plain("Tracking 1Z" + chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 16)
                    + ", DHL " + chars("0123456789", 10) + ", USPS 9400 " + chars("0123456789", 4) + " "
                    + chars("0123456789", 4) + " " + chars("0123456789", 4) + " " + chars("0123456789", 4) + " "
                    + chars("0123456789", 2)));
            write("neg-order", plain("Order #" + chars("0123456789", 7) + ", invoice INV-2026-" + chars("0123456789", 6)
                    + ", customer no. " + chars("0123456789", 8) + ", reference " + chars("0123456789", 22)));
            write("neg-css", html("<style>.a{width:12.3456789012345px;margin:0.4111111111111111em}</style>"
                    + "<p style=\"line-height:1.4111111111111111\">x</p>"));
            write("neg-phone", plain("Call +49 30 " + chars("0123456789", 4) + " " + chars("0123456789", 4)
                    + " or +1 415-555-" + chars("0123456789", 4) + ", mobile +44 7700 " + chars("0123456789", 6)
                    + ", Cairo " + inScript("+20 2 " + chars("0123456789", 4) + " " + chars("0123456789", 4), 0x0660)));
            byte[] bin = new byte[1500 + r.nextInt(3000)];
            r.nextBytes(bin);
            write("neg-base64-binary", html("<img src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(bin)
                    + "\"><style>@font-face{src:url(data:font/woff2;base64," + Base64.getEncoder().encodeToString(bin)
                    + ")}</style>"));
            write("neg-placeholder", plain("Set aws_access_key_id = AKIAXXXXXXXXXXXXXXXX and GITHUB_TOKEN=ghp_xxxxxxxx, "
                    + "sk_live_... and\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg...\n-----END PRIVATE KEY-----"));
            String bad = card16();
            bad = bad.substring(0, 15) + (char) ('0' + ((bad.charAt(15) - '0' + 1 + r.nextInt(8)) % 10));
            write("neg-luhn", plain("Reference " + grouped(bad, " ") + " and " + bad + " and " + grouped(bad, ".")));
            String ib = iban();
            char last = ib.charAt(ib.length() - 1);
            char wrong = Character.isDigit(last) ? (char) ('0' + (last - '0' + 1) % 10) : '7';
            write("neg-iban", plain("Old account " + printIban(ib.substring(0, ib.length() - 1) + wrong) + " closed"));
            write("neg-version", plain("Upgraded to 4.1111.1111.1111-beta, build 2026.12.03.1111, hosts 10.41.111.111 and "
                    + "192.168.111.111, OID 1.3.6.1.4.1.2021.10.1.3.1, dates 2026/12/03 and 03.12.2026"));
            write("neg-ssn", plain("IDs 000-12-3456, 666-12-3456, 912-34-5678 and 123-00-4567, zip 12345-6789"));
            write("neg-nino", plain("Codes QQ 12 34 56 C, DA123456A, ab 12 34 56 c and GB123456A"));
            write("neg-hash", plain("commit " + hex(chars(ALNUM, 20)) + "\nsha256 " + hex(chars(ALNUM, 32))));
            write("neg-base64-text", withAttachment("see attached", "settings.json", "application/json",
                    "{\"motd\": \"" + b64(prose() + " Order " + chars("0123456789", 7) + ".") + "\", \"theme\": \""
                            + b64("dark mode with 12.5px fonts") + "\"}\n"));
            write("neg-percent", plain("https://example.com/search?q=" + percent("quarterly report 2026 v1.2")
                    + "&page=2 width=100% done"));
            write("neg-prose", plain(prose() + " Meeting room 4.11, 12 people, budget 4,111.11 EUR, PIN "
                    + chars("0123456789", 6) + "."));
        }
    }

    private String plainWithHeaders(String extraHeaders, String body) {
        return headers("Update", "text/plain; charset=utf-8") + extraHeaders + "Content-Transfer-Encoding: 8bit\r\n\r\n"
                + prose() + "\r\n\r\n" + body + "\r\n\r\n" + prose() + "\r\n";
    }

    private static String base32(String s) {
        return com.google.common.io.BaseEncoding.base32().encode(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String percentAll(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            sb.append(String.format(Locale.ROOT, "%%%02X", b & 0xff));
        }
        return sb.toString();
    }

    /** A card number with its check digit changed: fails Luhn. */
    private String luhnFailing() {
        String c = card16();
        return c.substring(0, 15) + (char) ('0' + ((c.charAt(15) - '0' + 1 + r.nextInt(8)) % 10));
    }

    /**
     * Values in link targets, {@code <style>} and {@code <script>}, headers other than the Subject, and base32
     * inside text; hard negatives: tracking links, CSS and script numbers, trace and identifier headers, base32
     * of random bytes and upper-case runs.
     */
    private void placesAndBase32() throws IOException {
        // link targets
        for (int i = 0; i < 3; i++) {
            write("href", html("<p>Pay here: <a href=\"https://pay.example/checkout?card=" + card() + "&amp;exp=12"
                    + (26 + i) + "\">checkout</a></p>"), "payment-card");
        }
        for (int i = 0; i < 2; i++) {
            write("href", html("<p><a href=\"https://x.example/p?c=" + grouped(card16(), "%20") + "\">details</a></p>"),
                    "payment-card");
        }
        write("href", html("<p><a href=\"https://x.example/p?c=" + percentAll(card16()) + "\">details</a></p>"),
                "payment-card");
        write("href", html("<p><a href=\"https://cfg.example/set?aws_access_key_id=" + AWS_DOC_KEY
                + "&amp;region=eu-west-1\">apply</a></p>"), "cloud-credential");
        write("href", html("<p><a href=\"mailto:bob@partner.example?subject=IBAN%20" + iban() + "\">mail</a></p>"),
                "iban");
        // style and script
        write("style-script", html("<style>/* card " + grouped(card(), " ") + " */ p { color: #333 }</style>"),
                "payment-card");
        write("style-script", html("<style>.k::after { content: \"" + card() + "\"; }</style>"), "payment-card");
        write("style-script", html("<script>var key = \"" + AWS_DOC_KEY + "\";</script>"), "cloud-credential");
        write("style-script", html("<script>// IBAN " + printIban(iban()) + "\nvar a = 1;</script>"), "iban");
        write("style-script", html("<script type=\"application/json\">{\"pan\": \"" + grouped(card16(), "-")
                + "\"}</script>"), "payment-card");
        write("style-script", html("<p style=\"font-family: 'card " + grouped(card16(), " ") + "'\">x</p>"),
                "payment-card");
        // headers other than the Subject
        write("header", plainWithHeaders("X-Comment: card " + grouped(card(), " ") + "\r\n", "See you."),
                "payment-card");
        write("header", plainWithHeaders("Content-Description: " + card() + "\r\n", "See you."), "payment-card");
        write("header", plainWithHeaders("X-Note: =?UTF-8?B?" + b64("Karte " + grouped(card16(), " ")) + "?=\r\n",
                "See you."), "payment-card");
        String g = card16();
        write("header", plainWithHeaders("X-Ref: =?UTF-8?Q?" + g.substring(0, 8) + "?==?UTF-8?Q?" + g.substring(8)
                + "?=\r\n", "See you."), "payment-card");
        write("header", plainWithHeaders("Organization: aws_access_key_id " + AWS_DOC_KEY + "\r\n", "See you."),
                "cloud-credential");
        write("header", plainWithHeaders("X-Account: IBAN " + printIban(iban()) + "\r\n", "See you."), "iban");
        write("header", headers("Files", "multipart/mixed; boundary=\"=_b1\"") + "\r\n--=_b1\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Description: card " + grouped(card16(), " ")
                + "\r\n\r\n" + prose() + "\r\n--=_b1--\r\n", "payment-card");
        // base32 inside text
        write("base32", plain("backup: " + base32("card " + grouped(card(), " ") + " exp 12/29")), "payment-card");
        write("base32", plain("blob " + base32("aws_access_key_id = " + AWS_DOC_KEY).replace("=", "")),
                "cloud-credential");
        write("base32", plain("data=" + base32("IBAN " + printIban(iban()))), "iban");
        write("base32", withAttachment("see attached", "cfg.json", "application/json",
                "{\"v\": \"" + base32("the card on file is " + card() + ", keep it") + "\"}\n"), "payment-card");
        write("base32", plain(base32("SSN " + ssn())), "us-ssn");
        // hard negatives: tracking links
        for (int i = 0; i < 6; i++) {
            write("neg-href", html("<p><a href=\"https://t.example/c?id=" + luhnFailing() + "&amp;ts="
                    + (1_733_000_000_000L + r.nextInt(1_000_000_000)) + "&amp;utm_source=news%20letter&amp;u="
                    + percentAll("https://shop.example/item/" + chars("0123456789", 8)) + "\">shop</a>"
                    + "<img src=\"https://t.example/o.gif?r=" + hex(chars(ALNUM, 16)) + "&amp;n=" + chars("0123456789", 19)
                    .replaceFirst("^[3-6]", "9") + "\" width=\"1\" height=\"1\"></p>"));
        }
        // CSS and script numbers
        for (int i = 0; i < 6; i++) {
            write("neg-style-script", html("<style>.c" + i + " { width: 33.33333333333" + r.nextInt(10)
                    + "%; margin: 0." + chars("0123456789", 17) + "em; line-height: 1.6180339887498949 }"
                    + " @media (max-width: 600px) { .d { top: -12.5px } }</style>"
                    + "<script>var M = [1073741824, 2147483647, 4294967295, 9007199254740991, 0x7fffffff];"
                    + " var t = " + (1_733_000_000_000L + r.nextInt(1_000_000_000)) + "; var pi = 3.141592653589793;"
                    + " /* build " + hex(chars(ALNUM, 20)) + " */</script>"));
        }
        // trace, identifier and signature headers
        for (int i = 0; i < 6; i++) {
            String trace = "Received: from mail.partner.example ([192.0.2." + (1 + r.nextInt(250)) + "])\r\n"
                    + "\tby mx.corp.example with ESMTPS id " + card16() + "\r\n\tfor <bob@partner.example>; "
                    + "Thu, 03 Dec 2026 10:00:00 +0000\r\n"
                    + "DKIM-Signature: v=1; a=rsa-sha256; d=partner.example; s=s1; t=" + (1_733_000_000L + r.nextInt(1_000_000))
                    + ";\r\n\tbh=" + Base64.getEncoder().encodeToString(bytes(32)) + ";\r\n\tb="
                    + Base64.getEncoder().encodeToString(bytes(128)) + "\r\n"
                    + "Message-ID: <" + card16() + "." + (1_733_000_000_000L + r.nextInt(1_000_000_000)) + "@mail.partner.example>\r\n"
                    + "References: <" + card16() + "@mail.partner.example>\r\n"
                    + "X-Mailer: Mailer 16.0." + chars("0123456789", 5) + "." + chars("0123456789", 5) + "\r\n"
                    + "X-Campaign: 2026" + chars("0123456789", 4) + "-" + chars("0123456789", 4) + "-" + chars("0123456789", 4) + "\r\n"
                    + "Thread-Index: " + Base64.getEncoder().encodeToString(bytes(22)) + "\r\n"
                    + "List-Unsubscribe: <https://list.example/u?t=" + hex(chars(ALNUM, 16)) + "&n=" + luhnFailing() + ">\r\n";
            write("neg-header", plainWithHeaders(trace, "See you."));
        }
        // base32 of random bytes, TOTP secrets in docs, upper-case runs
        for (int i = 0; i < 6; i++) {
            String hash = com.google.common.io.BaseEncoding.base32().encode(bytes(20 + r.nextInt(20)));
            write("neg-base32", plain("Key fingerprint " + hash + ", TOTP secret for the example: "
                    + com.google.common.io.BaseEncoding.base32().omitPadding().encode(bytes(10))
                    + "\nonion " + com.google.common.io.BaseEncoding.base32().omitPadding().encode(bytes(35))
                            .toLowerCase(Locale.ROOT) + ".onion\nNOTICE: ATTORNEYCLIENTPRIVILEGED; REF "
                    + chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)));
        }
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    // ---- column and figure separators (appended last, so the messages before keep their numbers and bytes) ----

    /** A random 4-digit figure, 1000-9999. */
    private String figure() {
        return String.valueOf(1000 + r.nextInt(9000));
    }

    /** A row of four random figures joined by sep. */
    private String figures(String sep) {
        return figure() + sep + figure() + sep + figure() + sep + figure();
    }

    /**
     * Cards in the newer separator forms, with the card label that digits joined like cells or figures need (same
     * line, line before, a table's header row), and hard negatives: rows of figures in the same forms whose digits
     * pass IIN and Luhn, with no card label near them (report tables, ledgers, sums).
     */
    private void columnSeparators() throws IOException {
        for (int i = 0; i < 4; i++) {
            write("separator-comma-blank", plain("Card: " + grouped(card(), ", ") + ", exp 12/28"), "payment-card");
            write("separator-dash-blank", plain("Please charge " + grouped(card(), " - ") + " today"), "payment-card");
            write("separator-semicolon", plain("Name;Card;Expiry\nJ. Doe;" + grouped(card(), ";") + ";12/28"),
                    "payment-card");
            write("separator-pipe", plain("| Name | Card | | | | Exp |\n|---|---|---|---|---|---|\n| J. Doe | "
                    + grouped(card(), " | ") + " | 12/28 |"), "payment-card");
            write("separator-plus", plain((i % 2 == 0 ? "cc " : "Visa no. ") + grouped(card(), i < 2 ? "+" : " + ")),
                    "payment-card");
            write("separator-quoted", plain("\"name\",\"card\",\"\",\"\",\"\"\n\"J. Doe\",\"" + grouped(card(), "\",\"")
                    + "\""), "payment-card");
            write("separator-quoted-cell", plain("name,number,expiry\nJ. Doe,\"" + grouped(card(), " ") + "\",12/28"),
                    "payment-card");
            StringBuilder table = new StringBuilder("Name\tCard number\t\t\t\tExpiry\n");
            for (int k = 0; k < 3 + i; k++) {
                table.append("Customer ").append(k).append('\t').append(figures("\t").replaceFirst("^\\d", "0"))
                        .append("\t0").append(1 + r.nextInt(9)).append("/2").append(7 + r.nextInt(3)).append('\n');
            }
            write("separator-header", plain(table + "J. Doe\t" + grouped(card(), "\t") + "\t12/28"), "payment-card");
            write("separator-underscore-file", plain("Saved as " + grouped(card(), "_") + ".txt in the share"),
                    "payment-card");
        }
        // hard negatives: figure rows passing IIN and Luhn (a test card's digits) among other rows, no card label
        for (int i = 0; i < 4; i++) {
            String c = card16();
            String[] g = {c.substring(0, 4), c.substring(4, 8), c.substring(8, 12), c.substring(12)};
            write("neg-figure-row", plain("Quarterly report (k EUR)\nRegion,Q1,Q2,Q3,Q4\nSouth," + figures(",")
                    + "\nNorth," + String.join(",", g) + "\nEast," + figures(",") + "\n"));
            write("neg-figure-row", plain("Quarter\tSales\tReturns\tStock\tStaff\nQ" + (1 + i) + "\t"
                    + String.join("\t", g) + "\nQ4\t" + figures("\t")));
            write("neg-figure-row", plain("Units shipped per site\n\nSite A   " + figures("   ") + "\nSite B   "
                    + String.join("   ", g) + "\n"));
            write("neg-figure-row", plain("Date;Debit;Credit;Balance;Fee\n05/0" + (1 + i) + ";"
                    + String.join(";", g) + "\n06/01;" + figures(";")));
            write("neg-figure-row", plain("| Region | Q1 | Q2 | Q3 | Q4 |\n|---|---|---|---|---|\n| West | "
                    + String.join(" | ", g) + " |"));
            write("neg-figure-row", plain("Total: " + String.join(" + ", g) + " = " + (Integer.parseInt(g[0])
                    + Integer.parseInt(g[1]) + Integer.parseInt(g[2]) + Integer.parseInt(g[3])) + " units"));
            write("neg-figure-row", plain("\"region\",\"q1\",\"q2\",\"q3\",\"q4\"\n\"North\",\""
                    + String.join("\",\"", g) + "\"\nThe invoices came to " + String.join(", ", g) + " EUR."));
        }
    }
    // ---- display order and metadata (appended last, so the messages before keep their numbers and bytes) ----

    /** Fixed time of the zip entries and documents written here, so that regenerating gives the same bytes. */
    private static final long FIXED_TIME = 1_796_292_000_000L;

    private static String reversed(String s) {
        return new StringBuilder(s).reverse().toString();
    }

    /** The groups of a printed card in reverse order ({@code 1111 1111 1111 4111} for {@code 4111 1111 1111 1111}). */
    private static String groupsReversed(String digits) {
        String[] groups = grouped(digits, " ").split(" ");
        StringBuilder sb = new StringBuilder();
        for (int i = groups.length - 1; i >= 0; i--) {
            sb.append(groups[i]).append(i > 0 ? " " : "");
        }
        return sb.toString();
    }

    private String withFile(String body, String name, String type, byte[] content) {
        return headers("Files", "multipart/mixed; boundary=\"=_b1\"") + "\r\n--=_b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                + body + "\r\n--=_b1\r\nContent-Type: " + type + "; name=\"" + name + "\"\r\nContent-Disposition: attachment; filename=\""
                + name + "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(content) + "\r\n--=_b1--\r\n";
    }

    /** A one-page PDF with a line of text, the given Info dictionary entries and, unless null, an XMP packet. */
    static byte[] pdfWithInfo(String text, java.util.Map<String, String> info, String xmp) throws IOException {
        return pdf(doc -> {
            info.forEach(doc.getDocumentInformation()::setCustomMetadataValue);
            if (xmp != null) {
                try {
                    doc.getDocumentCatalog().setMetadata(new org.apache.pdfbox.pdmodel.common.PDMetadata(doc,
                            new java.io.ByteArrayInputStream(xmp.getBytes(StandardCharsets.UTF_8))));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }, 72, 700, text);
    }

    private static String xmp(String properties) {
        return "<?xpacket begin=\"\ufeff\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?><x:xmpmeta xmlns:x=\"adobe:ns:meta/\">"
                + "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description rdf:about=\"\""
                + " xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\""
                + " xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">"
                + properties + "</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>";
    }

    /** A zip with fixed entry times; {@code entries} holds name, content and comment (null: none) of each entry. */
    static byte[] zip(String comment, String... entries) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            if (comment != null) {
                zip.setComment(comment);
            }
            for (int i = 0; i < entries.length; i += 3) {
                java.util.zip.ZipEntry e = new java.util.zip.ZipEntry(entries[i]);
                e.setTime(FIXED_TIME);
                if (entries[i + 2] != null) {
                    e.setComment(entries[i + 2]);
                }
                zip.putNextEntry(e);
                zip.write(entries[i + 1].getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A minimal DOCX (ECMA-376 package) with one paragraph, a title, a creator and custom string properties. */
    static byte[] docx(String text, String title, String... customNameValue) throws IOException {
        String types = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                + "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
                + "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
                + "<Override PartName=\"/docProps/custom.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.custom-properties+xml\"/>"
                + "</Types>";
        String rels = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>"
                + "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
                + "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties\" Target=\"docProps/custom.xml\"/>"
                + "</Relationships>";
        String document = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                + "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>"
                + text + "</w:t></w:r></w:p></w:body></w:document>";
        String core = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                + "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\""
                + " xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\""
                + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>" + title + "</dc:title>"
                + "<dc:creator>Alice Example</dc:creator><cp:revision>3</cp:revision>"
                + "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-12-03T10:00:00Z</dcterms:created></cp:coreProperties>";
        StringBuilder custom = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                + "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\""
                + " xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">");
        for (int i = 0; i < customNameValue.length; i += 2) {
            custom.append("<property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"").append(2 + i / 2)
                    .append("\" name=\"").append(customNameValue[i]).append("\"><vt:lpwstr>").append(customNameValue[i + 1])
                    .append("</vt:lpwstr></property>");
        }
        custom.append("</Properties>");
        return zip(null, "[Content_Types].xml", types, null, "_rels/.rels", rels, null, "word/document.xml", document, null,
                "docProps/core.xml", core, null, "docProps/custom.xml", custom.toString(), null);
    }

    private static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    private void bidiAndMetadata() throws IOException {
        // a right-to-left override: stored reversed, shown as the card
        for (int i = 0; i < 3; i++) {
            write("bidi", plain("Card on file: \u202E" + reversed(grouped(card16(), " ")) + "\u202C, thanks"), "payment-card");
        }
        write("bidi", html("<p>Card: \u202E" + reversed(grouped(card16(), "-")) + "\u202C</p>"), "payment-card");
        // a right-to-left isolate or embedding: its digit groups are shown right to left (cards whose groups in
        // reverse order are no card number, so that only the display order finds them)
        write("bidi", plain("Ref \u2067" + groupsReversed(CARDS[0]) + "\u2069 as agreed"), "payment-card");
        write("bidi", plain("Ref \u202B" + groupsReversed(CARDS[5]) + "\u202C as agreed"), "payment-card");
        // a Hebrew line (no control at all) shows its digit groups right to left too
        write("bidi", plain("\u05DB\u05E8\u05D8\u05D9\u05E1 " + groupsReversed(CARDS[0])), "payment-card");
        // a PDF whose value is only in its Info dictionary or XMP packet
        java.util.Map<String, String> info = new java.util.LinkedHashMap<>();
        info.put("Title", "Card " + grouped(card16(), " "));
        write("doc-metadata", withFile("Statement attached.", "statement.pdf", "application/pdf",
                pdfWithInfo("Monthly statement", info, null)), "payment-card");
        info = new java.util.LinkedHashMap<>();
        info.put("BillingRef", card());
        write("doc-metadata", withFile("Statement attached.", "statement.pdf", "application/pdf",
                pdfWithInfo("Monthly statement", info, null)), "payment-card");
        write("doc-metadata", withFile("Statement attached.", "statement.pdf", "application/pdf",
                pdfWithInfo("Monthly statement", new java.util.LinkedHashMap<>(),
                        xmp("<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">IBAN " + printIban(iban())
                                + "</rdf:li></rdf:Alt></dc:description>"))), "iban");
        // a DOCX whose value is only in a custom or core property
        write("doc-metadata", withFile("Notes attached.", "notes.docx", DOCX, docx("Meeting notes", "Notes",
                "Ref", "IBAN " + printIban(iban()))), "iban");
        write("doc-metadata", withFile("Notes attached.", "notes.docx", DOCX, docx("Meeting notes",
                "aws_access_key_id " + AWS_DOC_KEY)), "cloud-credential");
        // a zip whose value is only in its comment, an entry comment or an entry name
        write("zip-metadata", withFile("Files attached.", "files.zip", "application/zip",
                zip("aws_access_key_id = " + AWS_DOC_KEY, "readme.txt", prose(), null)), "cloud-credential");
        write("zip-metadata", withFile("Files attached.", "files.zip", "application/zip",
                zip(null, "readme.txt", prose(), "card " + grouped(card16(), " "))), "payment-card");
        write("zip-metadata", withFile("Files attached.", "files.zip", "application/zip",
                zip(null, "Card " + grouped(card16(), " ") + ".txt", prose(), null)), "payment-card");
        // hard negatives: right-to-left text with numbers, balanced embeddings
        write("neg-bidi", plain("\u05D4\u05D6\u05DE\u05E0\u05D4 \u05DE\u05E1\u05E4\u05E8 " + chars("0123456789", 7)
                + " \u05E0\u05E9\u05DC\u05D7\u05D4 \u05D1-12/05/2026, \u05D8\u05DC\u05E4\u05D5\u05DF 03-"
                + chars("0123456789", 7)));
        write("neg-bidi", plain("\u0641\u0627\u062A\u0648\u0631\u0629 \u0631\u0642\u0645 2026-" + chars("0123456789", 4)
                + " \u0628\u0645\u0628\u0644\u063A " + amount() + " \u062C\u0646\u064A\u0647 \u0628\u062A\u0627\u0631\u064A\u062E 2026/12/03"));
        write("neg-bidi", plain("\u202B\u05E9\u05DC\u05D5\u05DD " + chars("0123456789", 4) + " " + chars("0123456789", 4)
                + "\u202C and \u202Aorder " + chars("0123456789", 6) + "\u202C, \u2067\u05D7\u05E9\u05D1\u05D5\u05E0\u05D9\u05EA "
                + chars("0123456789", 5) + "\u2069 total " + amount()));
        write("neg-bidi", plain("\u05E7\u05D5\u05D3 " + chars("0123456789", 4) + " " + chars("0123456789", 4) + " "
                + chars("0123456789", 4) + " \u05E1\u05E0\u05D9\u05E3 " + chars("0123456789", 3)));
        // hard negatives: documents and archives with ordinary metadata
        info = new java.util.LinkedHashMap<>();
        info.put("Producer", "Microsoft\u00ae Word for Microsoft 365 (16.0.17928.20114)");
        info.put("Creator", "Acrobat PDFMaker 23.1 for Word");
        info.put("Author", "Alice Example");
        write("neg-doc-metadata", withFile("Statement attached.", "statement.pdf", "application/pdf",
                pdfWithInfo("Invoice 2026-" + chars("0123456789", 4), info,
                        xmp("<xmp:CreateDate>2026-12-03T10:00:00+01:00</xmp:CreateDate>"
                                + "<xmpMM:DocumentID>uuid:" + java.util.UUID.nameUUIDFromBytes(bytes(8)) + "</xmpMM:DocumentID>"
                                + "<xmpMM:InstanceID>xmp.iid:" + hex(chars(ALNUM, 16)).toUpperCase(Locale.ROOT)
                                + "</xmpMM:InstanceID><pdf:Producer>Adobe PDF Library 23.1.175</pdf:Producer>"))));
        write("neg-doc-metadata", withFile("Notes attached.", "notes.docx", DOCX, docx("Meeting notes",
                "Minutes " + chars("0123456789", 6), "ProjectCode", "PRJ-2026-" + chars("0123456789", 4), "Build",
                "16.0." + chars("0123456789", 5) + "." + chars("0123456789", 5), "DocId",
                java.util.UUID.nameUUIDFromBytes(bytes(8)).toString())));
        write("neg-zip-metadata", withFile("Files attached.", "files.zip", "application/zip",
                zip("Created by build " + chars("0123456789", 8) + " on 2026-12-03", "report-2026-" + chars("0123456789", 6)
                        + ".txt", prose(), "sha1 " + hex(chars(ALNUM, 20)))));
        // HTML direction markup: a bidi override written as an element, or as inline CSS
        write("bidi", html("<p>Card on file: <bdo dir=\"rtl\">" + reversed(grouped(card16(), " ")) + "</bdo></p>"),
                "payment-card");
        write("bidi", html("<p>Card: <span style=\"unicode-bidi: bidi-override; direction: rtl\">"
                + reversed(grouped(card16(), " ")) + "</span></p>"), "payment-card");
        // hard negative: a right-to-left paragraph with an order number, a date and an amount
        write("neg-bidi", html("<p dir=\"rtl\">\u05D4\u05D6\u05DE\u05E0\u05D4 " + chars("0123456789", 6)
                + " \u05DE\u05EA\u05D0\u05E8\u05D9\u05DA 03/12/2026 \u05E1\u05DB\u05D5\u05DD " + amount() + "</p>"));
    }

    // ---- what a review got past (appended last, so the messages before keep their numbers and bytes) ----

    /** The digits of a card with {@code mark} after each one. */
    private static String eachDigitThen(String digits, String mark) {
        StringBuilder sb = new StringBuilder();
        for (char c : digits.toCharArray()) {
            sb.append(c).append(c == ' ' ? "" : mark);
        }
        return sb.toString();
    }

    /**
     * Invisible characters that are not format characters, HTML hidden by opacity, style-sheet classes, tiny fonts
     * and colour, CSS direction, labels as compounds or across a blank line, UTF-32 text; and hard negatives: rows
     * of figures in HTML tables and under everyday uses of network names and abbreviations.
     */
    private void reviewRound() throws IOException {
        write("invisible", plain("Card " + eachDigitThen(grouped(card16(), " "), "\u034F")), "payment-card");
        write("invisible", plain("Pay " + eachDigitThen(grouped(card16(), " "), "\uFE0E")), "payment-card");
        write("invisible", plain("Pay " + grouped(card16(), "\u3164")), "payment-card");
        write("invisible", plain("Pay " + grouped(card16(), "\u2800")), "payment-card");
        String[] hiders = {"opacity:0", "font-size:0.01px", "color:transparent", "color:#fff"};
        for (String hide : hiders) {
            String[] g = grouped(card16(), " ").split(" ");
            write("html-hidden", html("<p>" + String.join("<span style=\"" + hide + "\">x</span>", g) + "</p>"),
                    "payment-card");
        }
        String[] g = grouped(card16(), " ").split(" ");
        write("html-hidden", html("<style>.h{display:none}</style><p>" + String.join("<span class=\"h\">x</span>", g)
                + "</p>"), "payment-card");
        write("bidi", html("<div style=\"direction:rtl\">" + groupsReversed(CARDS[0]) + "</div>"), "payment-card");
        write("bidi", plain("Card number:\n\u202E" + reversed(grouped(card16(), ";"))), "payment-card");
        write("label", plain("Kreditkartennummer: " + grouped(card16(), ";")), "payment-card");
        write("label", plain("Here is the card:\n\n" + grouped(card16(), ",")), "payment-card");
        write("utf32", withFile("List attached.", "list.txt", "text/plain", ("card " + grouped(card16(), " "))
                .getBytes(java.nio.charset.Charset.forName("UTF-32LE"))), "payment-card");
        // hard negatives: rows of figures passing IIN and Luhn (a test card's digits), no card label
        for (int i = 0; i < 2; i++) {
            String c = card16();
            String[] f = {c.substring(0, 4), c.substring(4, 8), c.substring(8, 12), c.substring(12)};
            write("neg-review", html("<table><tr><th>Region</th><th>Q1</th><th>Q2</th><th>Q3</th><th>Q4</th></tr>"
                    + "<tr><td>North</td><td>" + String.join("</td><td>", f) + "</td></tr></table>"));
            write("neg-review", plain("CC: finance team\nRegion;Q1;Q2;Q3;Q4\nNorth;" + String.join(";", f)));
            write("neg-review", plain("Travel expenses (visa fees included)\nTrip\t" + String.join("\t", f)));
            write("neg-review", plain("Pan-European sales ledger\nNorth | " + String.join(" | ", f)));
            write("neg-review", withFile("Takings attached.", "takings.csv", "text/csv",
                    ("Region;Cash;Visa;Mastercard;Amex\nNorth;" + String.join(";", f) + "\nSouth;" + figures(";") + "\n")
                            .getBytes(StandardCharsets.UTF_8)));
            write("neg-review", html("<p>Our corporate cards policy changed.</p>" + "<p>" + prose() + "</p>"
                    + "<p>Units: " + String.join("; ", f) + "</p>"));
        }
    }

    /** The four groups of a fresh test card, {@code sep} between the first and the second replaced by {@code between}. */
    private String splitAfterFirst(String between) {
        String[] g = grouped(card16(), " ").split(" ");
        return g[0] + " " + between + g[1] + " " + g[2] + " " + g[3];
    }

    private void htmlGaps() throws IOException {
        // a junk digit or letters between the groups, hidden in ways the first hiding list did not know
        for (String[] open : new String[][] {{"<font color=\"#ffffff\">", "</font>"},
            {"<span style=\"position:absolute;left:-9999px\">", "</span>"},
            {"<span style=\"display:inline-block;width:0;overflow:hidden\">", "</span>"},
            {"<span style=\"mso-hide:all\">", "</span>"}, {"<span style=\"clip-path:inset(50%)\">", "</span>"},
            {"<span style=\"display:inline-block;transform:scale(0)\">", "</span>"},
            {"<span style=\"display:inline-block;text-indent:-9999px\">", "</span>"},
            {"<span style=\"display:/**/none\">", "</span>"}, {"<span style=\"disp\\6c ay:none\">", "</span>"},
            {"<span style=\"filter:opacity(0)\">", "</span>"}}) {
            write("html-gaps", html("<p>Card " + splitAfterFirst(open[0] + r.nextInt(10) + open[1]) + "</p>"),
                    "payment-card");
        }
        write("html-gaps", html("<p>Card " + splitAfterFirst("<span style=\"filter:blur(40px)\">ok</span>") + "</p>"),
                "payment-card");
        // the card's own groups in elements, one hidden digit element among them
        String[] g = grouped(card16(), " ").split(" ");
        write("html-gaps", html("<p>Card <b>" + g[0] + "</b> <b>" + g[1] + "</b><b style=\"filter:opacity(0)\">7</b> <b>"
                + g[2] + "</b> <b>" + g[3] + "</b></p>"), "payment-card");
        // content of a collapsed <details>, which the reader opens
        write("html-gaps", html("<details><summary>Payment details</summary>Card " + grouped(card16(), " ")
                + "</details>"), "payment-card");
        // a card split over two <div>s, shown as two lines
        String c = grouped(card16(), " ");
        write("html-gaps", html("<div>" + c.substring(0, 9) + "</div><div>" + c.substring(10) + "</div>"), "payment-card");
        // right to left override from a style sheet rule
        write("html-gaps", html("<style>.n{direction:rtl;unicode-bidi:bidi-override}</style><p>Card: <span class=\"n\">"
                + reversed(grouped(card16(), " ")) + "</span></p>"), "payment-card");
        // hard negatives: newsletter prices, dates, phone and order numbers in adjacent inline elements
        write("neg-html-gaps", html("<p>Now <b>$</b><span>1299</span><sup>.99</sup>, was <s>1499</s> <span>1599</span>;"
                + " offer ends <span>12</span>/<span>05</span>/<span>2026</span> at <b>23</b>:<b>59</b>.</p>"));
        write("neg-html-gaps", html("<p>Call <span>+1</span> <span>555</span> <span>0142</span> <span>3867</span> or "
                + "<span>0800</span> <span>123</span> <span>4567</span>, fax <b>4111</b> <b>1111</b></p>"));
        write("neg-html-gaps", html("<p>Order <b>4024</b> <i>of</i> <b>2025</b>: <span>2</span> <span>x</span> "
                + "<span>1499</span> items, <b>40</b>% off <b>1</b> <i>to</i> <b>11</b> nights</p>"));
        write("neg-html-gaps", html("<div>Tel 0800 4111</div><div>Fax 1111 1111</div><div>Updated 2026 05 01</div>"));
    }

    // ---- marks on digits, labels in more languages, more separators, metadata names (appended last) ----

    /**
     * A one-page PDF like {@link #pdfWithInfo} whose Info dictionary {@code fill} writes with PDFBox's COS objects
     * (key names, dictionaries, arrays).
     */
    static byte[] pdfWithRawInfo(String text, java.util.function.Consumer<org.apache.pdfbox.cos.COSDictionary> fill)
            throws IOException {
        return pdf(doc -> fill.accept(doc.getDocumentInformation().getCOSObject()), 72, 700, text);
    }

    private static org.apache.pdfbox.cos.COSArray cosStrings(String... items) {
        org.apache.pdfbox.cos.COSArray a = new org.apache.pdfbox.cos.COSArray();
        for (String item : items) {
            a.add(new org.apache.pdfbox.cos.COSString(item));
        }
        return a;
    }

    /** The four groups of a 16-digit card. */
    private static String[] groupsOf(String card16) {
        return new String[] {card16.substring(0, 4), card16.substring(4, 8), card16.substring(8, 12), card16.substring(12)};
    }

    /**
     * Cards a text review got past: a combining mark on every digit (acute, long stroke overlay, keycap), labels in
     * Italian, Polish, Finnish, Czech, Russian, Japanese and Chinese and a label spelt with a Cyrillic letter, groups
     * joined by a colon, an asterisk, a tilde or a dot with blanks (with a label), a PDF Info key named with a card
     * and Info values that are a dictionary or an array, a DOCX custom property named with a card; and hard
     * negatives: Devanagari and Arabic text with digits and marks, rows of figures passing IIN and Luhn under
     * everyday words of those languages and joined by colons (times, addresses), asterisks (products, EDI), tildes
     * and dots with blanks without a label, documents with ordinary Info dictionaries and custom property names.
     */
    private void textRound() throws IOException {
        write("marks", plain("Card " + eachDigitThen(grouped(card16(), " "), "\u0301")), "payment-card");
        write("marks", plain("Pay " + eachDigitThen(grouped(card16(), " "), "\u0336")), "payment-card");
        write("marks", plain("Pay " + eachDigitThen(grouped(card16(), " "), "\uFE0F\u20E3")), "payment-card");
        write("marks", html("<p>Ref " + eachDigitThen(card16(), "\u20E3") + "</p>"), "payment-card");
        String[] labels = {"Numero di carta: ", "Numer karty: ", "Korttinumero: ", "\u010C\u00EDslo karty: ",
            "\u041D\u043E\u043C\u0435\u0440 \u043A\u0430\u0440\u0442\u044B: ", "\u30AB\u30FC\u30C9\u756A\u53F7\uFF1A",
            "\u5361\u53F7\uFF1A", "\u0421ard number: "};
        String[] seps = {";", ",", " | ", "\t"};
        for (int i = 0; i < labels.length; i++) {
            write("label-language", plain(labels[i] + grouped(card16(), seps[i % seps.length])), "payment-card");
        }
        write("separator-colon", plain("Card: " + grouped(card16(), ":")), "payment-card");
        write("separator-asterisk", plain("card no " + grouped(card16(), "*")), "payment-card");
        write("separator-tilde", plain("Visa " + grouped(card16(), "~")), "payment-card");
        write("separator-dot-blank", plain("Card number " + grouped(card(), " . ")), "payment-card");
        java.util.Map<String, String> info = new java.util.LinkedHashMap<>();
        info.put(card16(), "x");
        write("doc-metadata", withFile("Statement attached.", "statement.pdf", "application/pdf",
                pdfWithInfo("Monthly statement", info, null)), "payment-card");
        String billing = grouped(card16(), " ");
        write("doc-metadata", withFile("Statement attached.", "statement.pdf", "application/pdf",
                pdfWithRawInfo("Monthly statement", d -> {
                    org.apache.pdfbox.cos.COSDictionary b = new org.apache.pdfbox.cos.COSDictionary();
                    b.setString("Ref", billing);
                    d.setItem("Billing", b);
                })), "payment-card");
        String[] parts = groupsOf(card16());
        write("doc-metadata", withFile("Statement attached.", "statement.pdf", "application/pdf",
                pdfWithRawInfo("Monthly statement", d -> d.setItem("Parts", cosStrings(parts)))), "payment-card");
        write("doc-metadata", withFile("Notes attached.", "notes.docx", DOCX, docx("Meeting notes", "Notes",
                card16(), "yes")), "payment-card");
        // hard negatives: scripts whose marks follow letters, with digits
        write("neg-marks", plain("\u0915\u0941\u0932 \u0930\u093E\u0936\u093F " + inScript(chars("0123456789", 4), 0x0966)
                + " \u0930\u0941\u092A\u092F\u0947, \u0906\u0926\u0947\u0936 " + inScript(chars("0123456789", 4) + " "
                + chars("0123456789", 4), 0x0966) + " \u0926\u093F\u0928\u093E\u0902\u0915 " + inScript("03/12/2026", 0x0966)));
        write("neg-marks", plain("\u0631\u064E\u0642\u0652\u0645\u064F \u0627\u0644\u0637\u0651\u064E\u0644\u064E\u0628\u0650 "
                + inScript(chars("0123456789", 4) + " " + chars("0123456789", 4), 0x0660) + " \u0628\u0650\u0645\u064E\u0628\u0652\u0644\u064E\u063A\u064D "
                + amount()));
        // hard negatives: a test card's digits as four figures, under everyday words and in figure forms, no label
        String[] f = groupsOf(card16());
        write("neg-label-language", plain("Carta igienica;" + String.join(";", f)));
        write("neg-label-language", plain("Karty do gry, " + String.join(", ", f)));
        write("neg-label-language", plain("\u041A\u0430\u0440\u0442\u0430 \u0433\u043E\u0440\u043E\u0434\u0430 | "
                + String.join(" | ", f)));
        write("neg-label-language", plain("\u30AB\u30FC\u30C9\u30B2\u30FC\u30E0\t" + String.join("\t", f)));
        f = groupsOf(card16());
        write("neg-separator", plain("Uptime 12:30:45:00, counters " + String.join(":", f)));
        write("neg-separator", plain("Area " + String.join(" * ", f) + " sq units"));
        write("neg-separator", plain("ST*850*0001~BEG*00*" + f[0] + "*" + f[1] + "~REF*" + f[2] + "*" + f[3] + "~"));
        write("neg-separator", plain("Rooms " + String.join(". ", f) + ". All booked"));
        write("neg-doc-metadata", withFile("Statement attached.", "statement.pdf", "application/pdf",
                pdfWithRawInfo("Invoice 2026-" + chars("0123456789", 4), d -> {
                    d.setString("Producer", "Microsoft\u00ae Word for Microsoft 365 (16.0.17928.20114)");
                    org.apache.pdfbox.cos.COSDictionary settings = new org.apache.pdfbox.cos.COSDictionary();
                    settings.setInt("Copies", 2);
                    settings.setName("Duplex", "DuplexFlipLongEdge");
                    d.setItem("PrintSettings", settings);
                    d.setItem("Pages", cosStrings("1", "12", "2026"));
                })));
        write("neg-doc-metadata", withFile("Notes attached.", "notes.docx", DOCX, docx("Meeting notes", "Notes",
                "ProjectCode", "PRJ-2026-" + chars("0123456789", 4), "Approved by", "A. Example", "Rev 2026-12-03", "3")));
    }

    // ---- letters glued to cards, visible words between groups, more label languages, letters for digits ----

    /** A 16-digit Visa or Mastercard test number (no 17-digit run of it is a card of another network). */
    private String visaOrMastercard16() {
        String c;
        do {
            c = card16();
        } while (c.charAt(0) != '4' && c.charAt(0) != '5');
        return c;
    }

    /** A 16-digit test card grouped 4-4-4-4 with one 1 or 0 inside a group typed as l, I or O. */
    private String withLetterForDigit() {
        while (true) {
            String g = grouped(card16(), " ");
            for (int i = 1; i < g.length(); i++) {
                char c = g.charAt(i);
                if (c == '1' || c == '0') {
                    char letter = c == '0' ? 'O' : r.nextBoolean() ? 'l' : 'I';
                    return g.substring(0, i) + letter + g.substring(i + 1);
                }
            }
        }
    }

    /**
     * Cards a review of the real protocols got past: a word of letters glued after the digits (a currency, a unit,
     * {@code exp}), one or two letters glued before them in a printed layout or under a label, a digit typed after
     * the card under a label, a spaced en dash under a label, labels in Turkish, Greek, Arabic and Hebrew (the
     * Hebrew and Arabic ones after the digits, in logical order), and {@code l}, {@code I} or {@code O} typed for a
     * digit under a label; and hard negatives: a SHA-1 digest, a UUID, a base64 blob, tracking ids and file names
     * holding a card's digits glued to letters, a 17-digit order number, test cards' groups with visible words,
     * en dashes or currency marks between them in HTML and text, everyday words of those languages over rows of
     * figures, and letters for digits without a label.
     */
    private void glueRound() throws IOException {
        write("glued-suffix", plain("Please charge " + card() + "USD today"), "payment-card");
        write("glued-suffix", plain("Use " + card16() + "abc for the test"), "payment-card");
        write("glued-suffix", plain("Card " + card16() + "exp 08/29"), "payment-card");
        write("glued-suffix", html("<p>Pay with " + grouped(card16(), " ") + "x now</p>"), "payment-card");
        write("glued-prefix", plain("Use x" + grouped(card16(), " ") + " please"), "payment-card");
        write("glued-prefix", plain("Card: x" + card16()), "payment-card");
        write("glued-prefix", plain("Visa ab" + card16() + " ok"), "payment-card");
        write("extra-digit", plain("Card number: " + visaOrMastercard16() + r.nextInt(10)), "payment-card");
        write("separator-en-dash", plain("Card: " + grouped(card16(), " \u2013 ")), "payment-card");
        write("separator-en-dash", html("<p>Card number <b>" + String.join("</b> <b>\u2013</b> <b>",
                groupsOf(card16())) + "</b></p>"), "payment-card");
        String[] labels = {"Kart numaras\u0131: %s", "Kredi kart\u0131: %s",
            "\u0391\u03c1\u03b9\u03b8\u03bc\u03cc\u03c2 \u03ba\u03ac\u03c1\u03c4\u03b1\u03c2: %s",
            "\u039a\u03ac\u03c1\u03c4\u03b1 %s",
            "%s \u0647\u0648 \u0631\u0642\u0645 \u0627\u0644\u0628\u0637\u0627\u0642\u0629",
            "\u0628\u0637\u0627\u0642\u0629: %s",
            "%s \u05d4\u05d5\u05d0 \u05de\u05e1\u05e4\u05e8 \u05d4\u05db\u05e8\u05d8\u05d9\u05e1",
            "\u05db\u05e8\u05d8\u05d9\u05e1 \u05d0\u05e9\u05e8\u05d0\u05d9 %s"};
        String[] seps = {";", ",", " | ", "\t"};
        for (int i = 0; i < labels.length; i++) {
            write("label-language", plain(String.format(Locale.ROOT, labels[i], grouped(card16(), seps[i % seps.length]))),
                    "payment-card");
        }
        write("letter-for-digit", plain("Card: " + withLetterForDigit()), "payment-card");
        write("letter-for-digit", plain("Card number " + withLetterForDigit() + " exp 09/28"), "payment-card");
        // hard negatives: a card's digits glued to letters inside identifiers
        String c = visaOrMastercard16();
        String digest = "a3f" + c + "b9c" + hex(chars(ALNUM, 9)) + "e";
        write("neg-glued", plain("commit " + digest.substring(0, 40) + " merged; blob " + hex(chars(ALNUM, 2)) + c
                .substring(0, 12) + "cafe" + c.substring(12) + "d"));
        write("neg-glued", plain("request id c0ffee12-" + grouped(visaOrMastercard16(), "-").substring(0, 19)
                + "abcdefab, object " + visaOrMastercard16() + "abcdef"));
        write("neg-glued", plain("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA+" + visaOrMastercard16() + "abc/"
                + b64(chars(ALNUM, 30)) + " and " + visaOrMastercard16() + "AbCd"));
        write("neg-glued", plain("parcels 1Z999AA10123456784, JD" + visaOrMastercard16() + ", LX"
                + visaOrMastercard16() + "DE, TBA" + visaOrMastercard16()));
        write("neg-glued", plain("saved " + visaOrMastercard16() + "abc.pdf in files/" + visaOrMastercard16()
                + "xyz, mail " + visaOrMastercard16() + "ab@corp.example"));
        write("neg-extra-digit", plain("Order " + visaOrMastercard16() + r.nextInt(10) + " shipped, tracking "
                + visaOrMastercard16() + r.nextInt(10)));
        // hard negatives: a test card's groups with visible words or marks between them
        String[] g = groupsOf(visaOrMastercard16());
        write("neg-html-gaps", html("<p>Scores <span>" + String.join("</span> <i>or</i> <span>", g)
                + "</span> this week</p>"));
        g = groupsOf(visaOrMastercard16());
        write("neg-html-gaps", html("<p>Rooms <b>" + String.join("</b> <b>\u2013</b> <b>", g) + "</b> are free</p>"));
        g = groupsOf(visaOrMastercard16());
        write("neg-html-gaps", html("<p>Prices <span>" + String.join("</span><sup>\u20ac</sup> <span>", g)
                + "</span><sup>\u20ac</sup></p>"));
        g = groupsOf(visaOrMastercard16());
        write("neg-separator", plain("Pages " + String.join(" \u2013 ", g) + " of the report"));
        // hard negatives: everyday words of the new label languages over rows of figures, no label
        String[] words = {"Kartal;%s", "Kredi notu;%s", "\u03a7\u03ac\u03c1\u03c4\u03b7\u03c2;%s",
            "\u0631\u0642\u0645 \u0627\u0644\u0637\u0644\u0628;%s",
            "%s \u05de\u05e1\u05e4\u05e8 \u05d4\u05d6\u05de\u05e0\u05d4",
            "\u05db\u05e8\u05d8\u05d9\u05e1 \u05d8\u05d9\u05e1\u05d4;%s"};
        for (String w : words) {
            write("neg-label-language", plain(String.format(Locale.ROOT, w,
                    String.join(";", groupsOf(visaOrMastercard16())))));
        }
        // hard negatives: letters for digits without a label, and ordinary words among figures
        write("neg-letter-for-digit", plain("Ref " + withLetterForDigit() + " filed"));
        write("neg-letter-for-digit", plain("Card holders: call 4111 lOl 1111, room 1O1"));
    }

    // ---- what an HTML client shows beyond text nodes (appended last) ----

    /**
     * Cards an HTML review got past: the end of a group in a superscript or subscript, a complete card with a footnote
     * mark, ruby annotations glued to the base and a card written in annotations, halves in {@code ::before} and
     * {@code :after} strings (one with CSS escapes), groups shown in another order by flex {@code order},
     * {@code row-reverse} and {@code float: right}, groups as adjacent input values and image alternative texts; and hard negatives: a
     * footnote on an ungrouped 15-digit id that would complete a valid number, digits in ruby annotations, content
     * from {@code attr()} and a hidden pseudo-element, reordered phone numbers and dates, form fields with labels
     * between them and images with captions.
     */
    private void htmlReadings() throws IOException {
        String[] g = groupsOf(card16());
        write("html-sup", html("<p>Card " + g[0] + " " + g[1] + " " + g[2] + " " + g[3].substring(0, 3) + "<sup>"
                + g[3].charAt(3) + "</sup></p>"), "payment-card");
        g = groupsOf(card16());
        write("html-sup", html("<p>Pay with " + g[0] + " " + g[1] + " " + g[2] + " " + g[3].substring(0, 2) + "<sub>"
                + g[3].substring(2) + "</sub> today</p>"), "payment-card");
        write("html-sup", html("<p>Total charged to " + grouped(card16(), " ") + "<sup>1</sup></p><p><sup>1</sup> "
                + "see terms</p>"), "payment-card");
        write("html-sup", html("<p>Amex " + grouped("378282246310005", " ") + "<sup>2</sup></p>"), "payment-card");
        g = groupsOf(card16());
        write("html-ruby", html("<p>Card <ruby>" + g[0] + "<rt>x</rt></ruby> " + g[1] + " " + g[2] + " " + g[3]
                + "</p>"), "payment-card");
        g = groupsOf(card16());
        write("html-ruby", html("<p><ruby>" + g[0] + "<rp>(</rp><rt>ok</rt><rp>)</rp></ruby> <ruby>" + g[1]
                + "<rp>(</rp><rt>ok</rt><rp>)</rp></ruby> " + g[2] + " " + g[3] + "</p>"), "payment-card");
        g = groupsOf(card16());
        write("html-ruby", html("<p><ruby>\u4E00<rt>" + g[0] + "</rt></ruby><ruby>\u4E8C<rt>" + g[1]
                + "</rt></ruby><ruby>\u4E09<rt>" + g[2] + "</rt></ruby><ruby>\u56DB<rt>" + g[3] + "</rt></ruby></p>"),
                "payment-card");
        g = groupsOf(card16());
        write("css-content", html("<style>.c::before{content:\"" + g[0] + " " + g[1] + " \"}</style><p>Card <span "
                + "class=\"c\">" + g[2] + " " + g[3] + "</span></p>"), "payment-card");
        g = groupsOf(card16());
        write("css-content", html("<style>b.t:after{content:' " + g[2] + " " + g[3] + "'}</style><p>Card <b class=\"t\">"
                + g[0] + " " + g[1] + "</b></p>"), "payment-card");
        g = groupsOf(card16());
        StringBuilder escaped = new StringBuilder();
        for (char ch : (g[0] + " " + g[1] + " ").toCharArray()) {
            escaped.append('\\').append(Integer.toHexString(ch)).append(' ');
        }
        write("css-content", html("<style>#n::before { content: \"" + escaped + "\" }</style><p>Card <i id=\"n\"></i>"
                + g[2] + " " + g[3] + "</p>"), "payment-card");
        g = groupsOf(card16());
        write("css-order", html("<p>Card</p><div style=\"display:flex\"><span style=\"order:2\">" + g[2] + " " + g[3]
                + "</span><span style=\"order:1\">" + g[0] + " " + g[1] + "</span></div>"), "payment-card");
        g = groupsOf(card16());
        write("css-order", html("<p>Card</p><div style=\"display:flex;flex-direction:row-reverse\"><span>" + g[3]
                + "</span><span>" + g[2] + "</span><span>" + g[1] + "</span><span>" + g[0] + "</span></div>"), "payment-card");
        g = groupsOf(card16());
        write("css-order", html("<style>.r{display:flex}.r .a{order:1}.r .b{order:2}</style><p>Card</p><div class=\"r\">"
                + "<b class=\"b\">" + g[2] + "</b><b class=\"b\">" + g[3] + "</b><b class=\"a\">" + g[0] + "</b>"
                + "<b class=\"a\">" + g[1] + "</b></div>"), "payment-card");
        g = groupsOf(card16());
        write("html-attributes", html("<p>Card <input value=\"" + g[0] + "\" size=\"4\"><input value=\"" + g[1]
                + "\" size=\"4\"><input value=\"" + g[2] + "\" size=\"4\"><input value=\"" + g[3] + "\" size=\"4\"></p>"),
                "payment-card");
        g = groupsOf(card16());
        write("html-attributes", html("<p>Card <img src=\"cid:a\" alt=\"" + g[0] + "\"> <img src=\"cid:b\" alt=\"" + g[1]
                + "\"> <img src=\"cid:c\" alt=\"" + g[2] + "\"> <img src=\"cid:d\" alt=\"" + g[3] + "\"></p>"),
                "payment-card");
        // hard negatives: a footnote on an ungrouped id; glued it would be a test card
        String c = card16();
        write("neg-html-sup", html("<p>Order #" + c.substring(0, 15) + "<sup>" + c.charAt(15) + "</sup> shipped</p>"
                + "<p><sup>" + c.charAt(15) + "</sup> Tracking updates daily.</p>"));
        write("neg-html-sup", html("<p>Area 10<sup>6</sup> m<sup>2</sup>, reading 4<sub>2</sub> at 2026 12 04 "
                + chars("0123456789", 4) + "<sup>3</sup></p>"));
        g = groupsOf(card16());
        write("neg-html-ruby", html("<p><ruby>" + g[0] + " " + g[1] + " " + g[2] + " " + g[3].substring(0, 3) + "<rt>"
                + g[3].charAt(3) + "</rt></ruby> units</p><p><ruby>\u660E\u65E5<rt>\u3042\u3057\u305F</rt></ruby> "
                + "<ruby>2026<rt>\u5E74</rt></ruby></p>"));
        g = groupsOf(card16());
        write("neg-css-content", html("<style>.p::before{content:attr(data-p) \" \"}.h::after{content:\" " + g[2] + " "
                + g[3] + "\";display:none}.q::before{content:open-quote counter(n)}</style><p><span class=\"p\" "
                + "data-p=\"" + g[0] + "\">" + g[1] + "</span> <span class=\"h\">" + g[0] + " " + g[1]
                + "</span> <span class=\"q\">Ref " + chars("0123456789", 4) + "</span></p>"));
        write("neg-css-order", html("<div style=\"display:flex;flex-direction:row-reverse\"><span>Tel 0800 "
                + chars("0123456789", 4) + "</span><span>Fax " + chars("0123456789", 4) + " " + chars("0123456789", 4)
                + "</span></div><div style=\"display:flex\"><i style=\"order:2\">2026</i> <i style=\"order:1\">12 04"
                + "</i></div>"));
        g = groupsOf(card16());
        write("neg-html-attributes", html("<form><p>Qty <input value=\"" + g[0] + "\"> Price <input value=\"" + g[1]
                + "\"></p><p>Zip <input value=\"" + g[2] + "\"> Ext <input value=\"" + g[3] + "\"></p></form>"
                + "<p><img alt=\"" + g[0] + "\"> Logo</p><p><img alt=\"" + g[1] + "\"> Team</p>"));
        // groups floated right, shown last first; hard negative: a floated phone number beside a date
        g = groupsOf(card16());
        write("css-order", html("<p>Card</p><div><span style=\"float:right\">" + g[3] + "</span><span "
                + "style=\"float:right\">" + g[2] + "</span><span style=\"float:right\">" + g[1] + "</span><span "
                + "style=\"float:right\">" + g[0] + "</span></div>"), "payment-card");
        write("neg-css-order", html("<div><span style=\"float:right\">Tel 0800 " + chars("0123456789", 4) + " "
                + chars("0123456789", 4) + "</span> Updated 2026 12 04</div>"));
    }

    // ---- markup inside SVG and MathML elements that HTML reads as text (appended last) ----

    /**
     * Cards split across the content of a {@code <style>} or {@code <textarea>} inside {@code <svg>} or
     * {@code <math>}, where a browser reads markup and shows the HTML elements that end the foreign content; and a
     * hard negative: figures in an SVG style sheet and an SVG text.
     */
    private void foreignRawText() throws IOException {
        String[] g = groupsOf(card16());
        write("html-foreign", html("<p>Card: <svg width=\"1\" height=\"1\"><style><b>" + g[0] + " " + g[1]
                + " </b></style></svg>" + g[2] + " " + g[3] + "</p>"), "payment-card");
        g = groupsOf(card16());
        write("html-foreign", html("<p>" + g[0] + " <svg><textarea><i>" + g[1] + " " + g[2] + " </i></textarea></svg>"
                + g[3] + "</p>"), "payment-card");
        g = groupsOf(card16());
        write("html-foreign", html("<p>Card: <math><style><b>" + g[0] + " " + g[1] + " </b></style></math>" + g[2] + " "
                + g[3] + "</p>"), "payment-card");
        write("neg-html-foreign", html("<svg viewBox=\"0 0 4111 1111\"><style>.bar{fill:#411111;stroke-width:1111}"
                + "</style><text x=\"1111\" y=\"1111\">Q3 2026</text></svg><p>Revenue up 4 %</p>"));
        // two eight-digit phone numbers written 4 4 in a list, whose digits pass as a card
        write("neg-separator", plain("Hong Kong desk: 5105 1051, 0510 5100 (office hours), Singapore 4111 1111; "
                + "4000 0566"));
    }

    // ---- PDF glyphs drawn one per text operator, rotated pages, cards glued to non-ASCII words (appended last) ----

    /**
     * {@code label} at x 72 then the chars of {@code text} from x 160 at y 700, each drawn by its own text operator
     * where it would sit in one run (a space is a gap, not drawn), in a shuffled order; {@code times} times over.
     */
    private Object[] glyphRuns(String label, String text, boolean shuffle, int times) throws IOException {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) != ' ') {
                order.add(i);
            }
        }
        if (shuffle) {
            java.util.Collections.shuffle(order, r);
        }
        List<Object> runs = new ArrayList<>(List.of(72, 700, label));
        for (int t = 0; t < times; t++) {
            for (int i : order) {
                runs.add(160 + width(text.substring(0, i)));
                runs.add(700);
                runs.add(text.substring(i, i + 1));
            }
        }
        return runs.toArray();
    }

    private void pdfGlyphsAndRotation() throws IOException {
        // a card drawn one digit per text operator, out of order, touching: unspaced and in groups
        for (int i = 0; i < 3; i++) {
            write("pdf-glyphs", withPdf("Statement attached.", pdf(glyphRuns("Card number:", card16(), true, 1))),
                    "payment-card");
        }
        for (int i = 0; i < 2; i++) {
            write("pdf-glyphs", withPdf("Statement attached.", pdf(glyphRuns("Card number:",
                    String.join(" ", groupsOf(card16())), true, 1))), "payment-card");
        }
        // in order, drawn twice over itself: Tika's text holds every digit twice
        write("pdf-glyphs", withPdf("Statement attached.", pdf(glyphRuns("Card number:", card16(), false, 2))),
                "payment-card");
        // hard negatives: a date, an order number and an amount drawn the same way, and under a card label sixteen
        // digits whose check digit fails
        write("neg-pdf-glyphs", withPdf("Statement attached.", pdf(glyphRuns("Order of",
                "2026-12-04 " + chars("0123456789", 8) + " " + amount(), true, 1))));
        String c = card16();
        write("neg-pdf-glyphs", withPdf("Statement attached.", pdf(glyphRuns("Card number:",
                c.substring(0, 15) + (char) ('0' + (c.charAt(15) - '0' + 1) % 10), true, 1))));
        // a page turned 270 (and 90) degrees whose text runs up (down) the shown page: Tika's text breaks it up
        for (int rotation : new int[] {270, 270, 90}) {
            String card = rotation == 90 ? card16() : String.join(" ", groupsOf(card16()));
            write("pdf-rotated", withPdf("Statement attached.", pdf(doc -> { }, page -> page.setRotation(rotation),
                    72, 700, "Card number: " + card, 72, 680, "Thank you")), "payment-card");
        }
        // hard negative: the touching reference and amount cells on a rotated page stay apart
        c = card16();
        write("neg-pdf-rotated", withPdf("Statement attached.", pdf(doc -> { }, page -> page.setRotation(270),
                72, 720, "Statement", 72, 700, "Ref " + c.substring(0, 12), 72 + width("Ref " + c.substring(0, 12)), 700,
                c.substring(12) + ".00")));
    }

    private void gluedNonAscii() throws IOException {
        // a card glued to a word of non-ASCII letters: accented, Cyrillic, Greek, Chinese
        write("glued-nonascii", plain("Bitte belasten Sie é" + String.join(" ", groupsOf(card16())) + " heute."),
                "payment-card");
        write("glued-nonascii", plain("Счёт: оплата" + card16() + " до пятницы"), "payment-card");
        write("glued-nonascii", plain("Πληρωμή με κάρτα" + card() + " σήμερα"), "payment-card");
        write("glued-nonascii", plain("请用卡号支付" + card16() + "谢谢"), "payment-card");
        // hard negatives: such words glued to numbers that are no card
        String c = card16();
        write("neg-glued-nonascii", plain("Заказ номер" + c.substring(0, 15) + (char) ('0' + (c.charAt(15) - '0' + 1) % 10)
                + " отправлен"));
        write("neg-glued-nonascii", plain("Référence é2027" + c + " du dossier"));
        write("neg-glued-nonascii", plain("время1748503543012 мс, ключ" + c + "abcd"));
    }

    /**
     * A card drawn one digit per text operator in reading order but for two equal digits apart drawn in each
     * other's place: the content stream holds the digits in the card's order, yet Tika's text breaks them up.
     */
    private void pdfGlyphsSwappedEqualDigits() throws IOException {
        String c = card16();
        int a = -1;
        int b = -1;
        for (int i = 1; i < 16 && a < 0; i++) {
            for (int j = i + 2; j < 16; j++) {
                if (c.charAt(i) == c.charAt(j)) {
                    a = i;
                    b = j;
                    break;
                }
            }
        }
        List<Object> runs = new ArrayList<>(List.of(72, 700, "Card number:"));
        for (int i = 0; i < 16; i++) {
            int at = i == a ? b : i == b ? a : i;
            runs.add(160 + width(c.substring(0, at)));
            runs.add(700);
            runs.add(c.substring(i, i + 1));
        }
        write("pdf-glyphs", withPdf("Statement attached.", pdf(runs.toArray())), "payment-card");
    }

    // ---- encodings wrapped at short widths, glued to words, hex bytes (appended last) ----

    private static String wrapped(String encoded, int width) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < encoded.length(); k += width) {
            sb.append(k == 0 ? "" : "\n").append(encoded, k, Math.min(encoded.length(), k + width));
        }
        return sb.toString();
    }

    private static String hexBytes(String s, String prefix, String sep) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            sb.append(sb.length() == 0 ? "" : sep).append(prefix).append(String.format(Locale.ROOT, "%02x", b & 0xff));
        }
        return sb.toString();
    }

    /**
     * Values a review of the encodings got past: base64 and hex wrapped at short widths, hex and base64 glued to a
     * word, hex bytes separated by blanks, colons, dashes or written as {@code 0x34, 0x31}; and hard negatives: short
     * lines of prose and figures, lists of words and identifiers of one length, git short hashes, MAC addresses,
     * times, phone numbers and rows of two-digit figures.
     */
    private void encodingForms() throws Exception {
        write("encoded-wrapped", plain("backup:\n" + wrapped(b64(value("payment-card") + " exp 09/28"), 20)),
                "payment-card");
        write("encoded-wrapped", plain("---\n" + wrapped(b64(value("us-ssn") + " for payroll"), 13) + "\n---"),
                "us-ssn");
        write("encoded-wrapped", plain("dump:\n" + wrapped(hex(value("payment-card")), 16)), "payment-card");
        write("encoded-wrapped", plain(wrapped(hex(value("us-ssn")), 18)), "us-ssn");
        write("encoded-glued", plain("config key" + hex(value("payment-card")) + " set"), "payment-card");
        write("encoded-glued", plain("use abc" + hex(value("us-ssn")) + " now"), "us-ssn");
        write("encoded-glued", plain("token secret" + b64(value("payment-card")) + " ok"), "payment-card");
        write("encoded-glued", plain("pwd" + b64(value("us-ssn"))), "us-ssn");
        write("encoded-bytes", plain("bytes: " + hexBytes(value("payment-card"), "", " ")), "payment-card");
        write("encoded-bytes", plain("id " + hexBytes(value("us-ssn"), "", ":")), "us-ssn");
        write("encoded-bytes", plain("char v[] = {" + hexBytes(value("payment-card"), "0x", ", ") + "};"),
                "payment-card");
        write("encoded-bytes", plain(hexBytes(value("payment-card"), "", "-")), "payment-card");
        // hard negatives
        write("neg-encoded-wrapped", plain("Hello team,\nplease find\nattached the\nquarterly\nnumbers\n\nInvoices\n"
                + "2026" + chars("0123456789", 4) + "\n2026" + chars("0123456789", 4) + "\n2026" + chars("0123456789", 4)
                + "\n\nReviewers\nalexander\nkatharina\nstephanie\n"));
        String hexDigits = "0123456789abcdef";
        write("neg-encoded-wrapped", plain("ProjectAlpha\nProjectGamma\nProjectDelta\n\n" + chars(hexDigits, 8) + "\n"
                + chars(hexDigits, 8) + "\n" + chars(hexDigits, 7) + " fix the build\n" + chars(hexDigits, 7)
                + " merge branch main\n"));
        write("neg-encoded-glued", plain("call getUserAccountSettingsById, build-2026" + chars("0123456789", 10)
                + ", sha256:" + hex(chars(ALNUM, 32)) + ", file Quarterly_Report_2026_final_v3.xlsx"));
        write("neg-encoded-bytes", plain("eth0 00:1a:2b:3c:4d:5e, wlan0 02:42:ac:11:00:02\nat 12:34:56 on 04-12-26; "
                + "tel 01 23 45 67 89, 06 12 34 56 78\nscores 12 08 15 03 11 09 14 07 10 02\n"
                + "Q1 45 67 23 56 78 34 29 61 52 47"));
    }

    // ---- one number per line (appended last) ----

    /**
     * Cards written one group per line, alone or in a column under a card label; and hard negatives: columns of
     * four-digit numbers (order numbers, a one-column CSV, a list of room numbers in HTML lines, CRLF extension
     * numbers), whose windows of four consecutive lines pass the IIN and Luhn checks about once in ten.
     */
    private void columnForms() throws Exception {
        write("column", plain("Please charge\n" + grouped(card16(), "\n") + "\nthanks"), "payment-card");
        write("column", plain("Amex on file:\n" + grouped("378282246310005", "\n") + "\n\nregards"), "payment-card");
        write("column", plain("Card numbers\n" + grouped(card16(), "\n") + "\n" + grouped(card16(), "\n")),
                "payment-card");
        write("column", withFile("List attached.", "cards.csv", "text/csv",
                ("card_number\n" + grouped(card16(), "\n") + "\n").getBytes(StandardCharsets.UTF_8)), "payment-card");
        // hard negatives
        StringBuilder orders = new StringBuilder("Orders shipped today:\n");
        for (int n = 4000; n < 4100; n++) {
            orders.append(n).append('\n');
        }
        write("neg-column", plain(orders.toString()));
        StringBuilder csv = new StringBuilder("order_id\n");
        for (int k = 0; k < 200; k++) {
            csv.append(4000 + r.nextInt(2000)).append('\n');
        }
        write("neg-column", withFile("Export attached.", "orders.csv", "text/csv",
                csv.toString().getBytes(StandardCharsets.UTF_8)));
        StringBuilder rooms = new StringBuilder("<p>Rooms booked:<br>");
        for (int k = 0; k < 40; k++) {
            rooms.append(4100 + 7 * k).append("<br>");
        }
        write("neg-column", html(rooms.append("</p>").toString()));
        StringBuilder ext = new StringBuilder("Extensions\r\n");
        for (int k = 0; k < 60; k++) {
            ext.append(5000 + r.nextInt(1000)).append("\r\n");
        }
        write("neg-column", plain(ext.toString()));
    }

    // ---- tables of digit lines (appended last) ----

    /**
     * Cards written a group per line with numbers in the text around them, stacked one after another, with blanks at
     * the line ends or indented; and hard negatives: tables of two 4-digit numbers per line (codes, an id and an
     * amount per line), whose windows across two lines pass the IIN and Luhn checks about once in ten.
     */
    private void tableForms() throws Exception {
        write("column", plain("Order 2024\n" + grouped(card16(), "\n") + "\n12/27"), "payment-card");
        write("column", plain("Please charge\n" + grouped(card16(), "\n") + "\n2 tickets for Friday"), "payment-card");
        write("column", plain("Charge these:\n" + grouped(card16(), "\n") + "\n" + grouped(card16(), "\n") + "\n"
                + grouped("378282246310005", "\n") + "\nthanks"), "payment-card");
        write("column", plain("Please charge\n  " + grouped(card16(), " \n  ") + " \nthanks"), "payment-card");
        write("column", plain("Cards:\n" + grouped(card16(), " ").replaceFirst("(\\d{4} \\d{4}) ", "$1\n") + "\n"
                + grouped(card16(), " ").replaceFirst("(\\d{4} \\d{4}) ", "$1\n")), "payment-card");
        // hard negatives
        for (int rows : new int[] {4, 8, 40}) {
            StringBuilder t = new StringBuilder("Codes:\n");
            for (int k = 0; k < rows; k++) {
                t.append(4000 + r.nextInt(2000)).append(' ').append(1000 + r.nextInt(9000)).append('\n');
            }
            write("neg-column", plain(t.toString()));
        }
        StringBuilder pairs = new StringBuilder("Tel:\n");
        for (int k = 0; k < 6; k++) {
            pairs.append(4000 + k).append(' ').append(1200 + 7 * k).append('\n');
        }
        write("neg-column", plain(pairs.toString()));
        // cards a group per line with a security code after each; a table of three numbers per line on two lines
        write("column", plain("Records:\n1\n" + grouped(card16(), "\n") + "\n" + (100 + r.nextInt(900)) + "\n2\n"
                + grouped(card16(), "\n") + "\n" + (100 + r.nextInt(900))), "payment-card");
        write("neg-column", plain("Stock:\n2024 4111 1111\n1111 1111 2025\n"));
        // a wrapped card with its expiry or security code after its last group; one card's groups under a short number
        String c = card16();
        write("column", plain("Please charge\n" + c.substring(0, 4) + " " + c.substring(4, 8) + "\n" + c.substring(8, 12)
                + " " + c.substring(12) + " 1227\nthanks"), "payment-card");
        write("column", plain("Please charge\n3782 822463\n10005 1234\nthanks"), "payment-card");
        write("neg-column", plain("Rooms:\n12\n4111\n1111\n1111\n1111\n"));
    }
}
