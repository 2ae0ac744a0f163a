package dev.tollgate.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.links.DoNotRewriteList;
import dev.tollgate.core.links.LinkKeys;
import dev.tollgate.core.links.LinkRewritePolicy;
import dev.tollgate.core.links.LinkScanSettings;
import dev.tollgate.core.links.LinkSummary;
import dev.tollgate.core.links.LinkTokenSigner;
import dev.tollgate.core.links.LinkVerdict;
import dev.tollgate.core.links.MessageLinkRewriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tollgate links <file.eml> [--rewrite out.eml]}: prints every link of a message with its MIME part,
 * verdict and reasons, as RewriteLinks and the matchers see them; optionally writes the rewritten message.
 */
@Command(name = "links",
        mixinStandardHelpOptions = true,
        versionProvider = Tollgate.Version.class,
        description = "Lists the links of a message (part, verdict, reasons) and optionally writes it rewritten.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no malicious link", "1:a malicious link was found", "2:usage or I/O error"})
public final class LinksCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<file.eml>", description = "the message (RFC 5322)")
    private Path file;

    @Option(names = "--rewrite", paramLabel = "<out.eml>", description = "write the rewritten message here")
    private Path rewrite;

    @Option(names = "--redirector", paramLabel = "<url>", defaultValue = "https://links.example.invalid",
            description = "redirector base URL for --rewrite (default: ${DEFAULT-VALUE})")
    private String redirector;

    @Option(names = "--key-file", paramLabel = "<file>",
            description = "token key file for --rewrite (default: a throw-away random key)")
    private Path keyFile;

    @Option(names = "--rewrite-plain-text", description = "also rewrite bare URLs in text/plain parts")
    private boolean plainText;

    @Option(names = "--do-not-rewrite", paramLabel = "<patterns>", description = "comma-separated host patterns")
    private String doNotRewrite;

    @Option(names = "--scan", paramLabel = "<name=value>",
            description = "scanner parameter, repeatable: blockList, allowList, protectedDomains, dnsblZones, dnsServer, dnsTimeout")
    private Map<String, String> scan = new LinkedHashMap<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            LinkScanSettings settings = LinkScanSettings.parse(dev.tollgate.core.config.Parameters.of(scan)
                    .requireKnown(LinkScanSettings.PARAMETERS));
            MessageLinkRewriter.Builder b = MessageLinkRewriter.builder().scanner(settings.build(Clock.systemUTC()))
                    .rewritePlainText(plainText);
            if (rewrite != null) {
                LinkTokenSigner signer;
                if (keyFile != null) {
                    signer = LinkKeys.load("--key-file", keyFile, false, Duration.ZERO, Clock.systemUTC());
                } else {
                    byte[] key = new byte[32];
                    new SecureRandom().nextBytes(key);
                    signer = LinkTokenSigner.builder().signingKey("cli", key).build();
                    err.println("tollgate links: no --key-file, tokens are signed with a throw-away key");
                }
                b.policy(LinkRewritePolicy.of(redirector, doNotRewrite == null ? DoNotRewriteList.empty()
                        : DoNotRewriteList.of(List.of(doNotRewrite.split(","))), List.of(), signer));
            }
            MimeMessage message;
            try (InputStream in = Files.newInputStream(file)) {
                message = new MessageLinkRewriter.KeepIdMimeMessage(Session.getInstance(new Properties()), in);
            }
            String messageId = message.getMessageID() == null ? "" : message.getMessageID();
            MessageLinkRewriter.Outcome o = b.build().process(message, "", messageId, rewrite != null);
            for (MessageLinkRewriter.FoundLink l : o.links()) {
                StringBuilder line = new StringBuilder();
                line.append(l.part()).append('\t').append(l.verdict().level().name().toLowerCase(java.util.Locale.ROOT))
                        .append('\t').append(l.neutralised() ? "neutralised" : l.rewritten() ? "rewritten" : "kept").append('\t').append(printable(l.url()));
                for (LinkVerdict.Finding f : l.verdict().findings()) {
                    line.append("\n\t\t").append(f.reason()).append(": ").append(printable(f.detail()));
                }
                out.println(line);
            }
            for (String s : o.skipped()) {
                out.println("skipped " + s);
            }
            out.println(LinkSummary.header(o, rewrite != null ? "enforce" : "testing"));
            if (rewrite != null) {
                MimeMessage result = o.replacement().orElse(message);
                result.saveChanges();
                try (OutputStream os = Files.newOutputStream(rewrite)) {
                    result.writeTo(os);
                }
            }
            out.flush();
            return o.worst() == LinkVerdict.Level.MALICIOUS ? Tollgate.EXIT_ERRORS : 0;
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("tollgate links: " + e.getMessage());
            return Tollgate.EXIT_USAGE;
        } catch (IOException | MessagingException e) {
            err.println("tollgate links: cannot read or write the message: " + e.getMessage());
            return Tollgate.EXIT_USAGE;
        }
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
