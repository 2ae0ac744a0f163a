package dev.tollgate.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

import javax.mail.MessagingException;
import javax.mail.Session;

import org.apache.james.core.MailAddress;
import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Mail;
import org.apache.mailet.Mailet;
import org.apache.mailet.Matcher;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.apache.mailet.base.test.FakeMatcherConfig;

/**
 * Tollgate's work on one authenticated submission to local recipients in the {@code transport} processor of
 * {@code conf/mailetcontainer.xml}, in its order: {@code AddSecurityHeaders}, {@code ScanSensitiveData} (the
 * shipped policy), the five {@code HasDlpAction} matchers, {@code RewriteLinks} (enforce, the shipped link
 * settings), {@code HasSuspiciousLink}; then the message is written out as local delivery does. The mail is a
 * James {@link MimeMessageWrapper} over James's {@link MimeMessageInputStreamSource}, as the SMTP server gives it:
 * held in memory up to James's threshold (100 KiB), in a temporary file beyond it (each read of the message then
 * reads the file). {@code RemoveForgedTrustHeaders} (removes forged trust header fields)
 * and {@code RequireMfa} (writes one header field) need James's Guice-provided MFA service and are left out.
 *
 * <p>Uses only the mailet API, so that {@link MailChainCpuTime} can load it once per Tollgate build, each in its
 * own class loader. Not thread-safe.
 */
public final class MailChain implements Function<byte[], String>, java.util.function.Supplier<Map<String, Long>> {
    private static final Session SESSION = Session.getInstance(new Properties());
    /** With {@code -Dmailchain.steps=true}, each step's thread CPU time is added up ({@link #get()}). */
    private static final boolean STEPS = Boolean.getBoolean("mailchain.steps");
    private static final String[] STEP_NAMES = {"parse (source, headers)", "AddSecurityHeaders", "ScanSensitiveData",
        "HasDlpAction x5", "RewriteLinks", "HasSuspiciousLink", "writeTo"};
    private final long[] stepNanos = new long[STEP_NAMES.length];
    private final java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    private static final String[] ACTIONS = {"reject", "quarantine", "encrypt", "notify", "tag"};

    private final FakeMailContext context = FakeMailContext.defaultContext();
    private final List<Mailet> mailets = new ArrayList<>();
    private final Mailet addSecurityHeaders;
    private final Mailet scan;
    private final List<Matcher> dlpMatchers = new ArrayList<>();
    private final Mailet rewrite;
    private final Matcher suspicious;
    private int n;

    /**
     * @param dir          a scratch directory for the link settings, block list and key file
     * @param policy       the DLP policy file (the repository's {@code conf/tollgate-dlp-policy.xml})
     * @param extractorJar the extractor jar of this build, or null for {@code documentExtraction=off}
     */
    public MailChain(Path dir, Path policy, String extractorJar) throws Exception {
        Files.createDirectories(dir);
        Path settings = dir.resolve("tollgate-links.properties");
        Files.writeString(settings, "keyFile=" + dir.resolve("tollgate-links.keys") + "\ncreateKeyFile=true\n"
                + "blockList=" + dir.resolve("blocklist.txt") + "\n");
        Files.writeString(dir.resolve("blocklist.txt"), "evil.example\n");
        addSecurityHeaders = mailet("dev.tollgate.james.transport.AddSecurityHeaders", "header", "X-Tollgate-Transport",
                "includeUser", "true");
        scan = extractorJar == null
                ? mailet("dev.tollgate.james.dlp.ScanSensitiveData", "policy", policy.toString(), "documentExtraction", "off")
                : mailet("dev.tollgate.james.dlp.ScanSensitiveData", "policy", policy.toString(),
                        "documentExtraction", "worker", "documentExtractorJar", extractorJar);
        for (String a : ACTIONS) {
            dlpMatchers.add(matcher("dev.tollgate.james.dlp.HasDlpAction", a));
        }
        rewrite = mailet("dev.tollgate.james.links.RewriteLinks", "redirectorUrl", "http://localhost:8480",
                "linkSettings", settings.toString(), "mode", "enforce", "rewritePlainText", "false",
                "rewriteDkimSigned", "false");
        suspicious = matcher("dev.tollgate.james.links.HasSuspiciousLink", "linkSettings=" + settings);
    }

    private Mailet mailet(String className, String... params) throws Exception {
        Mailet m = (Mailet) Class.forName(className, true, MailChain.class.getClassLoader()).getConstructor().newInstance();
        FakeMailetConfig.Builder b = FakeMailetConfig.builder().mailetName(className.substring(className.lastIndexOf('.') + 1))
                .mailetContext(context);
        for (int i = 0; i < params.length; i += 2) {
            b.setProperty(params[i], params[i + 1]);
        }
        m.init(b.build());
        mailets.add(m);
        return m;
    }

    private Matcher matcher(String className, String condition) throws Exception {
        Matcher m = (Matcher) Class.forName(className, true, MailChain.class.getClassLoader()).getConstructor().newInstance();
        m.init(FakeMatcherConfig.builder().matcherName(className.substring(className.lastIndexOf('.') + 1))
                .condition(condition).mailetContext(context).build());
        return m;
    }

    /**
     * Runs one mail through the chain.
     *
     * @return what the chain decided (DLP action, link verdict, bytes written), to compare two builds
     */
    @Override
    public String apply(byte[] raw) {
        String name = "mail-" + (n++);
        MimeMessageInputStreamSource source = null;
        try {
            long t = step(-1, 0);
            source = MimeMessageInputStreamSource.create(name, new ByteArrayInputStream(raw));
            Mail mail = FakeMail.builder().name(name).sender("alice@localhost")
                    .recipients("bob@localhost", "carol@localhost")
                    .mimeMessage(new MimeMessageWrapper(SESSION, source)).build();
            t = step(0, t);
            addSecurityHeaders.service(mail);
            t = step(1, t);
            scan.service(mail);
            t = step(2, t);
            String dlp = "allow";
            for (int i = 0; i < ACTIONS.length; i++) {
                Collection<MailAddress> matched = dlpMatchers.get(i).match(mail);
                if (matched != null && !matched.isEmpty()) {
                    dlp = ACTIONS[i];
                }
            }
            t = step(3, t);
            rewrite.service(mail);
            t = step(4, t);
            Collection<MailAddress> s = suspicious.match(mail);
            t = step(5, t);
            long[] size = {0};
            mail.getMessage().writeTo(new OutputStream() {
                @Override
                public void write(int b) {
                    size[0]++;
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    size[0] += len;
                }
            });
            step(6, t);
            return "dlp=" + dlp + " suspicious=" + (s != null && !s.isEmpty()) + " links="
                    + mail.getMessage().getHeader("X-Tollgate-Links", ",") + " bytes=" + size[0];
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException(e);
        } finally {
            if (source != null) {
                source.dispose();
            }
        }
    }

    /** Adds the thread CPU time since {@code since} to step {@code step} (none: -1), when steps are timed. */
    private long step(int step, long since) {
        if (!STEPS) {
            return 0;
        }
        long now = threads.getCurrentThreadCpuTime();
        if (step >= 0) {
            stepNanos[step] += now - since;
        }
        return now;
    }

    /** @return thread CPU nanoseconds per step since the last call, in chain order (empty unless steps are timed) */
    @Override
    public Map<String, Long> get() {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (int i = 0; STEPS && i < STEP_NAMES.length; i++) {
            out.put(STEP_NAMES[i], stepNanos[i]);
            stepNanos[i] = 0;
        }
        return out;
    }

    /** Stops the document workers. */
    public void close() {
        mailets.forEach(Mailet::destroy);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
