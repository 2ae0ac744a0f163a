package dev.tollgate.core.dlp.policy;

import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.regex.Pattern;

import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;

import org.xml.sax.Attributes;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

import dev.tollgate.core.dlp.Confidence;
import dev.tollgate.core.dlp.DetectorType;
import dev.tollgate.core.dlp.ExactDataMatch;

/**
 * Reads a DLP policy file. The format (all attributes; lists are comma-separated):
 *
 * <pre>{@code
 * <dlp-policy mode="enforce" unscannable="quarantine" encrypted="allow" encrypted-scope="external"
 *             justification-marker="[dlp-justified]">
 *   <rule id="cards-external" detectors="payment-card" min-confidence="medium"
 *         min-count="1" external-only="true" action="quarantine"/>
 *   <rule id="keys" detectors="private-key,cloud-credential" action="encrypt" else="reject"/>
 *   <rule id="iban-bulk" detectors="iban" min-count="10" sender-domains="example.com,.example.org"
 *         senders="payroll@example.com" recipient-domains="bank.example" action="notify"/>
 *   <exact-data id="customers" file="customers.edm"/>
 *   <rule id="customer-numbers" detectors="edm:customers" external-only="true" action="quarantine"/>
 * </dlp-policy>
 * }</pre>
 *
 * <table>
 *   <caption>Attributes</caption>
 *   <tr><th>element / attribute</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code dlp-policy/@mode}</td><td>{@code enforce}</td><td>{@code enforce} or {@code testing} (report only)</td></tr>
 *   <tr><td>{@code dlp-policy/@unscannable}</td><td>{@code quarantine}</td><td>action when a part could not be examined</td></tr>
 *   <tr><td>{@code dlp-policy/@unscannable-scope}</td><td>{@code external}</td><td>{@code external}: the unscannable action applies to external recipients only; {@code all}: to every recipient</td></tr>
 *   <tr><td>{@code dlp-policy/@encrypted}</td><td>the {@code unscannable} value</td><td>action when a part was encrypted by its sender (S/MIME enveloped data, OpenPGP; {@link dev.tollgate.core.dlp.content.SenderEncryption}); the same actions as {@code unscannable}</td></tr>
 *   <tr><td>{@code dlp-policy/@encrypted-scope}</td><td>the {@code unscannable-scope} value</td><td>{@code external} or {@code all}, as {@code unscannable-scope}, for the encrypted action</td></tr>
 *   <tr><td>{@code dlp-policy/@justification-marker}</td><td>{@code [dlp-justified]}</td><td>Subject text that justifies a mail for {@code allow-with-justification}</td></tr>
 *   <tr><td>{@code rule/@id}</td><td>required</td><td>unique, {@code [A-Za-z0-9._-]}, at most 64 chars; {@code unscannable} and {@code encrypted} are reserved</td></tr>
 *   <tr><td>{@code rule/@detectors}</td><td>required</td><td>built-in detector ids ({@link DetectorType#builtInIds()}), {@code edm:<exact-data id>} or {@code any}</td></tr>
 *   <tr><td>{@code exact-data/@id}</td><td>required</td><td>unique list id, {@code [A-Za-z0-9._-]}, at most 64 chars (compared in lower case); rules name it as {@code edm:<id>}</td></tr>
 *   <tr><td>{@code exact-data/@file}</td><td>required</td><td>digest file written by {@code tollgate edm hash} (format: {@link ExactDataMatch}); relative to the policy file's directory</td></tr>
 *   <tr><td>{@code rule/@min-confidence}</td><td>{@code medium}</td><td>{@code low}, {@code medium}, {@code high}</td></tr>
 *   <tr><td>{@code rule/@min-count}, {@code @max-count}</td><td>1, unbounded</td><td>number of counted findings in the whole mail</td></tr>
 *   <tr><td>{@code rule/@sender-domains}, {@code @senders}</td><td>any</td><td>envelope sender domain ({@code .d} = subdomains) or address</td></tr>
 *   <tr><td>{@code rule/@recipient-domains}</td><td>any</td><td>recipient domains</td></tr>
 *   <tr><td>{@code rule/@external-only}</td><td>{@code false}</td><td>only recipients outside the server's local domains</td></tr>
 *   <tr><td>{@code rule/@action}</td><td>required</td><td>{@code reject}, {@code quarantine}, {@code encrypt}, {@code allow-with-justification}, {@code notify}, {@code tag}, {@code allow}</td></tr>
 *   <tr><td>{@code rule/@else}</td><td>{@code quarantine} for encrypt, {@code reject} for allow-with-justification</td><td>action when no certificate / no marker</td></tr>
 * </table>
 *
 * <p>An {@code <exact-data>} file holds only a salt and salted SHA-256 digests, never values; it is read
 * while the policy is parsed, and an unreadable or malformed file fails the policy with
 * {@code EDMFILE:LINE: reason (exact-data 'id' declared at POLICY:LINE)}. A rule naming an undeclared
 * list fails at the rule's line. Lists may be declared before or after the rules that use them.
 *
 * <p>Parsing is XXE-safe: DOCTYPE declarations are refused, so no entity or external resource is ever
 * read. Errors name the file and line. Thread-safe (no state).
 */
public final class PolicyParser {
    /** Files larger than this are refused (bounded work). */
    public static final long MAX_FILE_BYTES = 1024 * 1024;
    /** At most this many rules. */
    public static final int MAX_RULES = 1000;

    private static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Set<String> ROOT_ATTRS = Set.of("mode", "unscannable", "unscannable-scope", "encrypted",
            "encrypted-scope", "justification-marker");
    private static final Set<String> RULE_ATTRS = Set.of("id", "detectors", "min-confidence", "min-count",
            "max-count", "sender-domains", "senders", "recipient-domains", "external-only", "action", "else",
            "description");
    private static final Set<String> EXACT_DATA_ATTRS = Set.of("id", "file", "description");

    private PolicyParser() {
    }

    /**
     * @return a parser whose rules may name the built-in detector ids ({@link DetectorType#builtInIds()}),
     *     {@code any} and {@code edm:<exact-data id>}
     */
    public static PolicyParser withBuiltInDetectors() {
        return new PolicyParser();
    }

    /**
     * @param file the policy file
     * @return the policy
     * @throws PolicyException naming file and line
     */
    public DlpPolicy parse(Path file) {
        String name = file.toString();
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new PolicyException(name, 0, "larger than " + MAX_FILE_BYTES + " bytes", null);
            }
            try (InputStream in = Files.newInputStream(file)) {
                return parse(in, name, file.toAbsolutePath().getParent());
            }
        } catch (IOException e) {
            throw new PolicyException(name, 0, "cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * @param in the XML
     * @param name the file name used in messages
     * @return the policy
     * @throws PolicyException naming file and line
     */
    public DlpPolicy parse(InputStream in, String name) throws IOException {
        return parse(in, name, null);
    }

    /**
     * @param in the XML
     * @param name the file name used in messages
     * @param baseDir directory that relative {@code exact-data/@file} names are resolved against; null for
     *     the current directory
     * @return the policy
     * @throws PolicyException naming file and line
     */
    public DlpPolicy parse(InputStream in, String name, Path baseDir) throws IOException {
        Handler h = new Handler(name, baseDir);
        try {
            SAXParser parser = factory().newSAXParser();
            parser.parse(in, h);
        } catch (UnsupportedEncodingException | CharConversionException e) {
            // the XML declaration names an encoding the JDK lacks, or the bytes do not decode in it: a
            // policy error in the file, not an I/O failure
            throw new PolicyException(name, h.line(), "unreadable characters (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + ")", e);
        } catch (SAXParseException e) {
            throw new PolicyException(name, e.getLineNumber(), e.getMessage(), e);
        } catch (SAXException | ParserConfigurationException e) {
            if (e.getCause() instanceof PolicyException) {
                throw (PolicyException) e.getCause();
            }
            throw new PolicyException(name, h.line(), e.getMessage(), e);
        }
        if (!h.rootSeen) {
            throw new PolicyException(name, 0, "no <dlp-policy> element", null);
        }
        return new DlpPolicy(h.mode, h.rules, h.unscannable, h.unscannableExternal,
                h.encrypted == null ? h.unscannable : h.encrypted,
                h.encryptedExternal == null ? h.unscannableExternal : h.encryptedExternal, h.marker, name,
                new ArrayList<>(h.exactData.values()), h.exactDataFiles);
    }

    private static SAXParserFactory factory() throws ParserConfigurationException, SAXException {
        return dev.tollgate.core.XmlParsers.sax();
    }

    private final class Handler extends DefaultHandler {
        private final String name;
        private Locator locator;
        private boolean rootSeen;
        private int depth;
        private DlpPolicy.Mode mode = DlpPolicy.Mode.ENFORCE;
        private DlpAction unscannable = DlpPolicy.DEFAULT_UNSCANNABLE;
        private String marker = DlpPolicy.DEFAULT_MARKER;
        private boolean unscannableExternal = true;
        /** null: as {@code unscannable} / {@code unscannable-scope}, whichever order the attributes come in. */
        private DlpAction encrypted;
        private Boolean encryptedExternal;
        private final List<PolicyRule> rules = new ArrayList<>();
        private final Set<String> ids = new HashSet<>();
        private final Path baseDir;
        private final Map<String, ExactDataMatch> exactData = new TreeMap<>();
        private final List<Path> exactDataFiles = new ArrayList<>();
        /** edm:... detector ids named by rules, with the rule id and line, checked at the end. */
        private final List<String[]> edmReferences = new ArrayList<>();

        Handler(String name, Path baseDir) {
            this.name = name;
            this.baseDir = baseDir;
        }

        int line() {
            return locator == null ? 0 : locator.getLineNumber();
        }

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
        }

        private SAXException error(String reason) {
            return new SAXException(new PolicyException(name, line(), reason, null));
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes a) throws SAXException {
            depth++;
            if (depth == 1) {
                if (!"dlp-policy".equals(qName)) {
                    throw error("root element must be <dlp-policy>, was <" + qName + ">");
                }
                rootSeen = true;
                checkAttributes(a, ROOT_ATTRS, qName);
                String m = a.getValue("mode");
                if (m != null) {
                    if ("enforce".equalsIgnoreCase(m.trim())) {
                        mode = DlpPolicy.Mode.ENFORCE;
                    } else if ("testing".equalsIgnoreCase(m.trim())) {
                        mode = DlpPolicy.Mode.TESTING;
                    } else {
                        throw error("mode must be enforce or testing");
                    }
                }
                String u = a.getValue("unscannable");
                if (u != null) {
                    unscannable = action(u, "unscannable");
                    if (unscannable.conditional()) {
                        throw error("unscannable cannot be " + unscannable.xmlName());
                    }
                }
                String us = a.getValue("unscannable-scope");
                if (us != null) {
                    if ("external".equalsIgnoreCase(us.trim())) {
                        unscannableExternal = true;
                    } else if ("all".equalsIgnoreCase(us.trim())) {
                        unscannableExternal = false;
                    } else {
                        throw error("unscannable-scope must be external or all");
                    }
                }
                String en = a.getValue("encrypted");
                if (en != null) {
                    encrypted = action(en, "encrypted");
                    if (encrypted.conditional()) {
                        throw error("encrypted cannot be " + encrypted.xmlName() + "; use reject, quarantine, notify, "
                                + "tag or allow");
                    }
                }
                String es = a.getValue("encrypted-scope");
                if (es != null) {
                    if ("external".equalsIgnoreCase(es.trim())) {
                        encryptedExternal = true;
                    } else if ("all".equalsIgnoreCase(es.trim())) {
                        encryptedExternal = false;
                    } else {
                        throw error("encrypted-scope must be external or all");
                    }
                }
                String mk = a.getValue("justification-marker");
                if (mk != null) {
                    if (mk.trim().isEmpty() || mk.length() > 100) {
                        throw error("justification-marker must be 1..100 chars");
                    }
                    marker = mk.trim();
                }
            } else if (depth == 2 && "rule".equals(qName)) {
                if (rules.size() >= MAX_RULES) {
                    throw error("more than " + MAX_RULES + " rules");
                }
                rules.add(rule(a));
            } else if (depth == 2 && "exact-data".equals(qName)) {
                exactData(a);
            } else if (depth == 3 && "description".equals(qName)) {
                return;
            } else {
                throw error("unexpected element <" + qName + ">; a policy holds <rule> and <exact-data> elements");
            }
        }

        @Override
        public void endDocument() throws SAXException {
            for (String[] ref : edmReferences) {
                if (!exactData.containsKey(ref[0])) {
                    throw new SAXException(new PolicyException(name, Integer.parseInt(ref[2]), "rule '" + ref[1]
                            + "': unknown exact-data list '" + ref[0] + "'; declared: "
                            + (exactData.isEmpty() ? "none" : String.join(", ", exactData.keySet())), null));
                }
            }
        }

        private void exactData(Attributes a) throws SAXException {
            checkAttributes(a, EXACT_DATA_ATTRS, "exact-data");
            String id = required(a, "id", "exact-data");
            if (!RULE_ID.matcher(id).matches()) {
                throw error("exact-data id must be 1..64 of A-Z a-z 0-9 . _ -");
            }
            String detectorId = DlpPolicy.EXACT_DATA_PREFIX + id.toLowerCase(Locale.ROOT);
            if (exactData.containsKey(detectorId)) {
                throw error("duplicate exact-data id '" + id + "'");
            }
            String f = required(a, "file", "exact-data");
            Path file;
            try {
                file = baseDir == null ? Path.of(f) : baseDir.resolve(f);
            } catch (java.nio.file.InvalidPathException e) {
                throw error("exact-data '" + id + "': invalid file name");
            }
            String where = " (exact-data '" + id + "' declared at " + name + ':' + line() + ')';
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                exactData.put(detectorId, ExactDataMatch.load(detectorId, r));
            } catch (ExactDataMatch.FormatException e) {
                throw new SAXException(new PolicyException(file.toString(), e.line(), e.reason() + where, null));
            } catch (IOException e) {
                throw new SAXException(new PolicyException(file.toString(), 0, "cannot read: " + e + where, e));
            }
            exactDataFiles.add(file);
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            depth--;
        }

        private void checkAttributes(Attributes a, Set<String> known, String element) throws SAXException {
            for (int i = 0; i < a.getLength(); i++) {
                if (!known.contains(a.getQName(i))) {
                    throw error("unknown attribute '" + a.getQName(i) + "' on <" + element + ">; known: "
                            + new java.util.TreeSet<>(known));
                }
            }
        }

        private DlpAction action(String text, String attribute) throws SAXException {
            try {
                return DlpAction.parse(text);
            } catch (IllegalArgumentException e) {
                throw error(attribute + ": " + e.getMessage());
            }
        }

        private PolicyRule rule(Attributes a) throws SAXException {
            checkAttributes(a, RULE_ATTRS, "rule");
            String id = required(a, "id", "rule");
            if (!RULE_ID.matcher(id).matches()) {
                throw error("rule id must be 1..64 of A-Z a-z 0-9 . _ -");
            }
            if (DlpPolicy.UNSCANNABLE_RULE.equals(id) || DlpPolicy.ENCRYPTED_RULE.equals(id)) {
                throw error("rule id '" + id + "' is reserved");
            }
            if (!ids.add(id)) {
                throw error("duplicate rule id '" + id + "'");
            }
            Set<String> detectors = list(required(a, "detectors", "rule"));
            for (String d : detectors) {
                if (d.startsWith(DlpPolicy.EXACT_DATA_PREFIX)) {
                    edmReferences.add(new String[] {d, id, String.valueOf(line())});
                } else if (!PolicyRule.ANY_DETECTOR.equals(d) && DetectorType.builtIn(d).isEmpty()) {
                    throw error("rule '" + id + "': " + DetectorType.unknownIdReason(d) + "; a rule may also name "
                            + PolicyRule.ANY_DETECTOR + " or " + DlpPolicy.EXACT_DATA_PREFIX + "<exact-data id>");
                }
            }
            Confidence confidence = Confidence.MEDIUM;
            String c = a.getValue("min-confidence");
            if (c != null) {
                try {
                    confidence = Confidence.valueOf(c.trim().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw error("rule '" + id + "': min-confidence must be low, medium or high");
                }
            }
            int min = count(a, "min-count", 1, id);
            int max = count(a, "max-count", Integer.MAX_VALUE, id);
            if (max < min) {
                throw error("rule '" + id + "': max-count is below min-count");
            }
            DlpAction action = action(required(a, "action", "rule"), "rule '" + id + "': action");
            DlpAction elseAction = null;
            String e = a.getValue("else");
            if (action.conditional()) {
                elseAction = e == null
                        ? (action == DlpAction.ENCRYPT ? DlpAction.QUARANTINE : DlpAction.REJECT)
                        : action(e, "rule '" + id + "': else");
                if (elseAction.conditional()) {
                    throw error("rule '" + id + "': else cannot be " + elseAction.xmlName());
                }
            } else if (e != null) {
                throw error("rule '" + id + "': else is only for encrypt and allow-with-justification");
            }
            String ext = a.getValue("external-only");
            boolean external = false;
            if (ext != null) {
                if (!"true".equals(ext.trim()) && !"false".equals(ext.trim())) {
                    throw error("rule '" + id + "': external-only must be true or false");
                }
                external = Boolean.parseBoolean(ext.trim());
            }
            Set<String> senders = list(a.getValue("senders"));
            for (String s : senders) {
                if (s.indexOf('@') <= 0) {
                    throw error("rule '" + id + "': senders holds addresses (local@domain)");
                }
            }
            Scope scope = new Scope(list(a.getValue("sender-domains")), senders,
                    list(a.getValue("recipient-domains")), external);
            return new PolicyRule(id, detectors, confidence, min, max, scope, action, elseAction);
        }

        private int count(Attributes a, String attr, int dflt, String id) throws SAXException {
            String v = a.getValue(attr);
            if (v == null) {
                return dflt;
            }
            try {
                int n = Integer.parseInt(v.trim());
                if (n < 1) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw error("rule '" + id + "': " + attr + " must be a positive integer");
            }
        }

        private String required(Attributes a, String attr, String element) throws SAXException {
            String v = a.getValue(attr);
            if (v == null || v.trim().isEmpty()) {
                throw error("<" + element + "> needs attribute '" + attr + "'");
            }
            return v.trim();
        }

        private Set<String> list(String v) {
            Set<String> out = new LinkedHashSet<>();
            if (v != null) {
                for (String s : Arrays.asList(v.split(","))) {
                    if (!s.trim().isEmpty()) {
                        out.add(s.trim().toLowerCase(Locale.ROOT));
                    }
                }
            }
            return out;
        }

        @Override
        public void characters(char[] ch, int start, int length) throws SAXException {
            if (depth == 3) {
                return;
            }
            for (int i = start; i < start + length; i++) {
                if (!Character.isWhitespace(ch[i])) {
                    throw error("unexpected text; rules are written as attributes");
                }
            }
        }
    }
}
