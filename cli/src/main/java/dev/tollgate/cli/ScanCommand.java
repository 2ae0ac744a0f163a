package dev.tollgate.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.mail.Address;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.dlp.TextScanner;
import dev.tollgate.core.dlp.content.Unscannable;
import dev.tollgate.core.dlp.policy.Decision;
import dev.tollgate.core.dlp.policy.DlpAction;
import dev.tollgate.core.dlp.policy.DlpEngine;
import dev.tollgate.core.dlp.policy.DlpExtraction;
import dev.tollgate.core.dlp.policy.LocatedFinding;
import dev.tollgate.core.dlp.policy.MaskedLocation;
import dev.tollgate.core.dlp.policy.PolicyException;
import dev.tollgate.core.dlp.policy.PolicyParser;
import dev.tollgate.core.dlp.policy.PolicySource;
import dev.tollgate.core.dlp.policy.RecipientVerdict;
import dev.tollgate.core.dlp.policy.RuleMatch;
import dev.tollgate.core.dlp.smime.CertificateDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tollgate scan <file.eml|dir> [--policy FILE] [--json]}: runs the DLP policy offline, as
 * {@code ScanSensitiveData} would, and prints per message the verdict, the action per recipient, the
 * matched rules and the masked findings (never a value).
 */
@Command(name = "scan",
        mixinStandardHelpOptions = true,
        versionProvider = Tollgate.Version.class,
        description = "Runs the DLP policy over messages offline: verdicts, actions per recipient, masked findings.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every recipient of every message is allowed",
            "1:some message would be rejected, quarantined, encrypted, tagged or notified",
            "2:usage, policy or I/O error"})
public final class ScanCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @picocli.CommandLine.Parameters(index = "0", paramLabel = "<file.eml|dir>",
            description = "a message (RFC 5322) or a directory of *.eml files (recursive)")
    private Path input;

    @Option(names = "--policy", paramLabel = "<file>",
            description = "the policy file (default: " + DEFAULT_POLICY + " in the working directory, else the one of "
                    + "the build that cli/tollgate passes as -D" + ScanCommand.POLICY_PROPERTY + ")")
    private Path policy;

    static final String DEFAULT_POLICY = "conf/tollgate-dlp-policy.xml";

    /** System property through which the cli/tollgate wrapper passes the repository's shipped policy. */
    static final String POLICY_PROPERTY = "tollgate.defaultPolicy";

    @Option(names = "--json", description = "one JSON object per message, one per line")
    private boolean json;

    @Option(names = "--sender", paramLabel = "<address>", description = "envelope sender (default: From)")
    private String sender;

    @Option(names = "--recipient", paramLabel = "<address>",
            description = "envelope recipient, repeatable (default: To, Cc and Bcc)")
    private List<String> recipients = new ArrayList<>();

    @Option(names = "--local-domains", paramLabel = "<domains>", split = ",",
            description = "the server's own domains: recipients there are internal (default: the sender's domain)")
    private List<String> localDomains = new ArrayList<>();

    @Option(names = "--certificates", paramLabel = "<dir>",
            description = "recipient certificates <address>.pem for encrypt rules (default: none, else actions apply)")
    private Path certificates;

    @Option(names = "--document-extractor-jar", paramLabel = "<jar>",
            description = "tollgate-extractor jar to read PDF and Office documents (default: the one of the build, "
                    + "which cli/tollgate passes as -D" + ScanCommand.EXTRACTOR_PROPERTY + ", else one beside "
                    + "tollgate-core's jar; without it documents are unscannable). The output names the extractor used.")
    private Path extractorJar;

    /** System property through which the cli/tollgate wrapper passes the extractor jar it found in the build. */
    static final String EXTRACTOR_PROPERTY = "tollgate.extractorJar";

    /**
     * The policy to load: {@code --policy} as given; without it {@code conf/tollgate-dlp-policy.xml} of the working
     * directory (a James home), else the shipped policy the wrapper names, so that the command also runs outside one.
     */
    private Path policyFile() {
        if (policy != null) {
            return policy;
        }
        Path local = Path.of(DEFAULT_POLICY);
        String shipped = System.getProperty(POLICY_PROPERTY);
        if (Files.exists(local) || shipped == null || shipped.isBlank()) {
            return local;
        }
        return Path.of(shipped.trim());
    }

    /** @return the extractor jar to use and where it came from, or {null, reason} when there is none */
    private String[] extractor() {
        if (extractorJar != null) {
            return new String[] {extractorJar.toString(), "--document-extractor-jar"};
        }
        String property = System.getProperty(EXTRACTOR_PROPERTY);
        if (property != null && !property.isBlank()) {
            return new String[] {property.trim(), "found in the build by cli/tollgate"};
        }
        return dev.tollgate.core.dlp.content.WorkerDocumentExtractor.locateJarBesideCore()
                .map(p -> new String[] {p.toString(), "beside tollgate-core"})
                .orElse(new String[] {null, "PDF and Office documents are unscannable; build the extractor "
                        + "(mvn -B -q -pl cli,extractor -am package -DskipTests) or give --document-extractor-jar"});
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DlpEngine engine;
        try {
            Path policyFile = policyFile();
            (json ? err : out).println("policy: " + policyFile);
            PolicySource source = PolicySource.load(policyFile, PolicyParser.withBuiltInDetectors(),
                    Duration.ofDays(1), Clock.systemUTC());
            java.util.Map<String, String> ext = new java.util.LinkedHashMap<>();
            String[] extractor = extractor();
            if (extractor[0] != null) {
                ext.put(dev.tollgate.core.dlp.content.DocumentExtractorSettings.JAR, extractor[0]);
            }
            // JSON output stays one object per line on stdout: the note goes to stderr there.
            (json ? err : out).println("extractor: " + (extractor[0] == null ? "none: " + extractor[1]
                    : extractor[0] + " (" + extractor[1] + ")"));
            engine = new DlpEngine(source, TextScanner.builder().allBuiltInDetectors().build(),
                    DlpExtraction.create(Parameters.of(ext)));
        } catch (PolicyException | ConfigException e) {
            err.println("tollgate scan: " + e.getMessage());
            return Tollgate.EXIT_USAGE;
        }
        CertificateDirectory certs = certificates == null ? null : new CertificateDirectory(certificates, Clock.systemUTC());
        List<Path> files;
        try {
            files = messages(input);
        } catch (IOException e) {
            err.println("tollgate scan: cannot read " + input + ": " + e.getMessage());
            return Tollgate.EXIT_USAGE;
        }
        if (files.isEmpty()) {
            err.println("tollgate scan: no .eml files in " + input);
            return Tollgate.EXIT_USAGE;
        }
        boolean acted = false;
        boolean failed = false;
        for (Path f : files) {
            try {
                MimeMessage m;
                try (InputStream in = Files.newInputStream(f)) {
                    m = new MimeMessage(Session.getInstance(new Properties()), in);
                }
                String from = sender != null ? sender : firstAddress(m.getFrom());
                List<String> rcpts = recipients.isEmpty() ? headerRecipients(m) : recipients;
                Set<String> local = new LinkedHashSet<>();
                localDomains.forEach(d -> local.add(d.trim().toLowerCase(Locale.ROOT)));
                if (local.isEmpty() && from != null && from.contains("@")) {
                    local.add(from.substring(from.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT));
                }
                DlpEngine.Result r = engine.evaluate(m, from, rcpts, local::contains,
                        a -> certs != null && certs.has(a));
                Decision d = r.decision();
                acted |= d.action() != DlpAction.ALLOW;
                out.println(json ? json(f, from, r) : text(f, r));
            } catch (IOException | MessagingException | RuntimeException e) {
                failed = true;
                err.println("tollgate scan: " + f + ": cannot read the message: " + e.getMessage());
            }
        }
        out.flush();
        engine.close();
        if (failed) {
            return Tollgate.EXIT_USAGE;
        }
        return acted ? Tollgate.EXIT_ERRORS : 0;
    }

    private static List<Path> messages(Path input) throws IOException {
        if (!Files.isDirectory(input)) {
            if (!Files.isRegularFile(input)) {
                throw new IOException("no such file or directory");
            }
            return List.of(input);
        }
        try (Stream<Path> s = Files.walk(input)) {
            return s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".eml"))
                    .sorted().collect(Collectors.toList());
        }
    }

    private static String firstAddress(Address[] as) {
        if (as == null) {
            return null;
        }
        for (Address a : as) {
            if (a instanceof InternetAddress) {
                return ((InternetAddress) a).getAddress();
            }
        }
        return null;
    }

    private static List<String> headerRecipients(MimeMessage m) throws MessagingException {
        List<String> out = new ArrayList<>();
        for (Message.RecipientType t : new Message.RecipientType[] {Message.RecipientType.TO, Message.RecipientType.CC,
            Message.RecipientType.BCC}) {
            Address[] as = m.getRecipients(t);
            if (as != null) {
                for (Address a : as) {
                    if (a instanceof InternetAddress) {
                        out.add(((InternetAddress) a).getAddress());
                    }
                }
            }
        }
        return out;
    }

    private static String text(Path f, DlpEngine.Result r) {
        Decision d = r.decision();
        StringBuilder s = new StringBuilder();
        s.append(f).append(": verdict=").append(d.verdict()).append(" action=").append(d.action().xmlName())
                .append(" mode=").append(d.mode().xmlName()).append(" rules=").append(String.join(",", d.ruleIds()));
        for (Map.Entry<String, RecipientVerdict> e : d.recipients().entrySet()) {
            s.append("\n  recipient ").append(printable(e.getKey())).append(": ").append(e.getValue().action().xmlName());
            if (!e.getValue().ruleIds().isEmpty()) {
                s.append(" (").append(String.join(", ", e.getValue().ruleIds())).append(')');
            }
        }
        for (RuleMatch m : d.matches()) {
            if (m.justified()) {
                s.append("\n  justified ").append(m.ruleId());
            }
        }
        for (LocatedFinding lf : r.scan().findings()) {
            s.append("\n  finding ").append(location(lf.location())).append(' ').append(lf.finding().detectorId())
                    .append(' ').append(lf.finding().confidence().name().toLowerCase(Locale.ROOT)).append(' ')
                    .append(lf.finding().maskedSample());
        }
        for (Unscannable u : r.scan().unscannable()) {
            s.append("\n  unscannable ").append(location(u.location())).append(' ').append(u.reason())
                    .append(u.isEncryptedMessage() ? " (sender-encrypted)" : "").append(": ").append(printable(u.detail()));
        }
        return s.toString();
    }

    private static String json(Path f, String sender, DlpEngine.Result r) {
        Decision d = r.decision();
        StringBuilder s = new StringBuilder("{");
        field(s, "file", f.toString()).append(',');
        field(s, "sender", sender == null ? "" : sender).append(',');
        field(s, "mode", d.mode().xmlName()).append(',');
        field(s, "verdict", d.verdict()).append(',');
        field(s, "action", d.action().xmlName()).append(",\"rules\":[");
        for (int i = 0; i < d.matches().size(); i++) {
            RuleMatch m = d.matches().get(i);
            s.append(i > 0 ? "," : "").append('{');
            field(s, "id", m.ruleId()).append(',');
            field(s, "action", m.action().xmlName()).append(",\"count\":").append(m.count())
                    .append(",\"justified\":").append(m.justified()).append('}');
        }
        s.append("],\"recipients\":[");
        int i = 0;
        for (Map.Entry<String, RecipientVerdict> e : d.recipients().entrySet()) {
            s.append(i++ > 0 ? "," : "").append('{');
            field(s, "address", e.getKey()).append(',');
            field(s, "action", e.getValue().action().xmlName()).append(",\"rules\":[");
            for (int k = 0; k < e.getValue().ruleIds().size(); k++) {
                s.append(k > 0 ? "," : "");
                string(s, e.getValue().ruleIds().get(k));
            }
            s.append("]}");
        }
        s.append("],\"findings\":[");
        i = 0;
        for (LocatedFinding lf : r.scan().findings()) {
            s.append(i++ > 0 ? "," : "").append('{');
            field(s, "location", MaskedLocation.of(lf.location())).append(',');
            field(s, "detector", lf.finding().detectorId()).append(',');
            field(s, "label", lf.finding().label()).append(',');
            field(s, "confidence", lf.finding().confidence().name().toLowerCase(Locale.ROOT)).append(',');
            field(s, "masked", lf.finding().maskedSample()).append('}');
        }
        s.append("],\"unscannable\":[");
        i = 0;
        for (Unscannable u : r.scan().unscannable()) {
            s.append(i++ > 0 ? "," : "").append('{');
            field(s, "location", MaskedLocation.of(u.location())).append(',');
            field(s, "reason", u.reason().name()).append(",\"encrypted\":").append(u.isEncryptedMessage()).append(',');
            field(s, "detail", u.detail()).append('}');
        }
        return s.append("]}").toString();
    }

    private static StringBuilder field(StringBuilder s, String name, String value) {
        string(s, name);
        s.append(':');
        return string(s, value);
    }

    private static StringBuilder string(StringBuilder s, String v) {
        s.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"' || c == '\\') {
                s.append('\\').append(c);
            } else if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                s.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                s.append(c);
            }
        }
        return s.append('"');
    }

    private static String location(String s) {
        return printable(MaskedLocation.of(s));
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }

}
