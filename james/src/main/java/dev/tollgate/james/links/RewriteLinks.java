package dev.tollgate.james.links;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.activation.UnsupportedDataTypeException;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;

import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageSource;
import org.apache.james.server.core.MimeMessageUtil;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.common.hash.Hashing;
import com.google.common.io.BaseEncoding;

import dev.tollgate.core.MailAttributes;
import dev.tollgate.core.links.DkimCheck;
import dev.tollgate.core.links.LinkSummary;
import dev.tollgate.core.links.MessageLinkRewriter;
import dev.tollgate.james.config.ComponentInit;
import dev.tollgate.james.transport.MailPartCache;

/**
 * Scans the links of a mail and, in {@code enforce} mode, rewrites its http(s) links to the signed
 * click-time redirector; in {@code testing} mode the mail body is never changed. Either way the summary
 * header (default {@code X-Tollgate-Links}) replaces any the sender wrote, and attributes
 * {@code dev.tollgate.links.*} record the verdict. Must run before outbound DKIM signing.
 *
 * <pre>{@code
 * <mailet match="All" class="dev.tollgate.james.links.RewriteLinks">
 *     <redirectorUrl>https://links.example.com</redirectorUrl>
 *     <keyFile>conf/tollgate-links.keys</keyFile>
 * </mailet>
 * }</pre>
 *
 * <p>Tokens carry the Message-ID and, for a mail with a single recipient, a recipient id (the first 16 hex
 * digits of the SHA-256 of the lower-cased address; empty for several recipients, unless
 * {@code splitPerRecipient} splits such a mail into single-recipient copies first). Thread-safe: the
 * configuration and rewriter are immutable after {@link #init()}. A message that cannot be read makes
 * {@link #service(Mail)} throw, and James routes the mail by {@code onMailetException}; nothing is dropped.
 */
public class RewriteLinks extends GenericMailet {
    private static final Logger LOG = LoggerFactory.getLogger(RewriteLinks.class);
    private static final AttributeName REWRITTEN = AttributeName.of(MailAttributes.LINKS_REWRITTEN);

    private final LinkDecisions decisions;
    private volatile RewriteLinksConfig config;
    private volatile MessageLinkRewriter rewriter;
    private final LinkKeyRings rings;

    /** Without James's injector (tests): the key file only. */
    public RewriteLinks() {
        this(new LinkDecisions(dev.tollgate.core.audit.Metrics.NONE), LinkKeyRings.FILES);
    }

    /** @param rings this James's link key rings, bound by {@code MfaModule} (which must be listed) */
    @javax.inject.Inject
    public RewriteLinks(LinkDecisions decisions, LinkKeyRings rings) {
        this.decisions = decisions;
        this.rings = rings;
    }

    /** @return the DKIM verifier used when rewriteDkimSigned is false; tests override it to serve their own keys */
    protected DkimCheck dkimCheck() {
        return JdkimDkimCheck.dns();
    }

    @Override
    public void init() throws MessagingException {
        RewriteLinksConfig c = ComponentInit.mailet(this, RewriteLinksConfig::parse);
        rewriter = ComponentInit.mailetStep(this,
                () -> c.build(Clock.systemUTC(), c.rewriteDkimSigned() ? DkimCheck.NONE : dkimCheck(), rings));
        config = c;
        LOG.info("{}: mode {}, token keys from {}", getMailetName(), c.mode().name().toLowerCase(Locale.ROOT),
                rings.ring("keyFile", c.keyFile(), false).storeName());
    }

    /**
     * The message's serialised bytes (RFC 5322 message, CRLF line ends, as {@link MimeMessage#writeTo} writes it) as a
     * source for James's {@link MimeMessageWrapper}: readers get the bytes, not a new serialisation.
     *
     * @throws MessagingException if the message cannot be written
     * @throws IOException if the message cannot be written
     */
    static MimeMessageSource serialised(String name, MimeMessage message) throws MessagingException, IOException {
        Written out = new Written(Math.max(1024, message.getSize() + 4096));
        writeTo(message, out);
        out.trim();
        return over("tollgate-links:" + name, out);
    }

    /**
     * Gives {@code mail} the message {@code source} holds. James's own mail ({@link MailImpl}) takes the source as
     * it is: its {@link Mail#setMessage} copies any message it is given into a buffer of its own (a temporary file
     * past 100 KB), which every later reader (local delivery, the mailbox) then copies again.
     */
    static void handOn(Mail mail, MimeMessageSource source) throws MessagingException {
        if (mail instanceof MailImpl) {
            ((MailImpl) mail).setMessageContent(source);
        } else {
            mail.setMessage(new MimeMessageWrapper(source));
        }
    }

    /**
     * Saves the sender's message after its summary header was added (JavaMail then brings its MIME headers in line:
     * MIME-Version, a Date and a Message-ID where missing). A message JavaMail cannot save (a Content-Type whose
     * parameters do not parse, anywhere in the message, or a multipart whose boundary it cannot find, whose links
     * were therefore not examined) is given to James as its bytes with the summary header instead: James saves a
     * message whose header changed before it stores it, which would fail, and the mail would reach the error
     * repository instead of its recipient or the quarantine its unexamined links call for. Any other failure to
     * save is thrown.
     */
    private static void saveOrHandOnBytes(Mail mail, MimeMessage message, MessageLinkRewriter.Outcome outcome)
            throws MessagingException, IOException {
        try {
            message.saveChanges();
        } catch (MessagingException cannotSave) {
            if (outcome.unexamined().isEmpty() && !headerNotParsed(cannotSave)) {
                throw cannotSave;
            }
            Written out = new Written(Math.max(1024, message.getSize() + 4096));
            MimeMessageUtil.writeHeadersTo(message.getAllHeaderLines(), out);
            try (InputStream raw = message.getRawInputStream()) {
                raw.transferTo(out);
            }
            out.trim();
            handOn(mail, over("tollgate-links:" + mail.getName(), out));
        }
    }

    /** @return whether {@code e} or a cause of it is a header field value JavaMail could not parse */
    private static boolean headerNotParsed(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.mail.internet.ParseException) {
                return true;
            }
        }
        return false;
    }

    /** @return a source of {@code bytes}: each reader gets them as written, never a copy */
    private static MimeMessageSource over(String id, Written bytes) {
        return new MimeMessageSource() {
            @Override
            public String getSourceId() {
                return id;
            }

            @Override
            public InputStream getInputStream() {
                return bytes.reader();
            }

            @Override
            public long getMessageSize() {
                return bytes.size();
            }
        };
    }

    /** The written bytes read where they were written: a message is not copied into an array of its exact size. */
    private static final class Written extends ByteArrayOutputStream {
        Written(int size) {
            super(size);
        }

        /**
         * Called once all is written: a buffer that grew well past the bytes (a message whose links grew it) is cut
         * to their length, as James keeps it for as long as it holds the mail.
         */
        void trim() {
            if (buf.length - count > Math.max(8192, count / 8)) {
                buf = java.util.Arrays.copyOf(buf, count);
            }
        }

        /** Call once all is written: later writes may move the bytes. */
        InputStream reader() {
            return new ByteArrayInputStream(buf, 0, count);
        }
    }

    /**
     * Writes {@code message} as {@link MimeMessage#writeTo} does, the same bytes. James's
     * {@link MimeMessageWrapper} writes a changed body by reading {@link MimeMessage#getInputStream()}, which for a
     * body set as an object starts a thread that serialises it into a 1 KiB pipe; here that body is written
     * straight to {@code out} by its content handler, as JavaMail's own {@code writeTo} does, with the headers
     * James would write. The caller has saved the message's changes ({@link MimeMessage#saveChanges()}).
     */
    static void writeTo(MimeMessage message, ByteArrayOutputStream out) throws MessagingException, IOException {
        if (!(message instanceof MimeMessageWrapper) || !((MimeMessageWrapper) message).isBodyModified()) {
            message.writeTo(out);
            return;
        }
        MimeMessageWrapper wrapper = (MimeMessageWrapper) message;
        MimeMessageUtil.writeHeadersTo(wrapper.getAllHeaderLines(), out);
        OutputStream body = MimeUtility.encode(out, wrapper.getEncoding());
        int headersEnd = out.size();
        try {
            wrapper.getDataHandler().writeTo(body);
        } catch (UnsupportedDataTypeException noContentHandler) {
            // James falls back to the body as stored; the content handler fails before it writes anything
            if (out.size() != headersEnd) {
                throw noContentHandler;
            }
            try (InputStream raw = wrapper.getRawInputStream()) {
                raw.transferTo(body);
            }
        }
        body.flush();
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        RewriteLinksConfig c = config;
        if (mail.getAttribute(REWRITTEN).isPresent()) {
            LOG.debug("{}: mail {} already handled by RewriteLinks, left as is", getMailetName(), mail.getName());
            return;
        }
        if (c.splitPerRecipient() && c.mode() == RewriteLinksConfig.Mode.ENFORCE && mail.getRecipients().size() > 1) {
            split(mail, c);
            return;
        }
        try {
            MimeMessage message = mail.getMessage();
            String messageId = message.getMessageID() == null ? "" : truncate(message.getMessageID(), 200);
            boolean enforce = c.mode() == RewriteLinksConfig.Mode.ENFORCE;
            MessageLinkRewriter.Outcome outcome;
            try (dev.tollgate.core.audit.Metrics.Timer t = decisions.time()) {
                outcome = rewriter.process(message, recipientId(mail), messageId, enforce, MailPartCache.of(mail));
            }
            decisions.record(mail, messageId, outcome, enforce, c.scan());
            MimeMessage result = outcome.replacement().orElse(message);
            result.removeHeader(c.header());
            result.addHeader(c.header(), LinkSummary.header(outcome, enforce ? "enforce" : "testing", c.scan()));
            if (result != message || outcome.changedInPlace()) {
                result.saveChanges();
                // last: later changes to result would not reach the mail.
                // A body set as an object is serialised again, through a pipe and a thread of its own, each time
                // James reads the message (local delivery reads it several times): serialise it once, and give
                // James those bytes, which its readers then read where they lie.
                handOn(mail, serialised(mail.getName(), result));
            } else {
                saveOrHandOnBytes(mail, message, outcome);
            }
            if (c.scan()) {
                // Unscanned links are not "clean": without a verdict the link matchers scan themselves.
                LinkVerdictAttributes.record(mail, outcome);
            }
            mail.setAttribute(new Attribute(REWRITTEN, AttributeValue.of(outcome.rewritten())));
            if (enforce) {
                // Fail closed: links never read reach the reader unprotected; HasUnexaminedLinks acts on this.
                // In testing mode the header alone reports it.
                LinkVerdictAttributes.recordUnexamined(mail, outcome.unexamined().size());
            }
            outcome.dkim().ifPresent(d -> LOG.info("{}: mail {}: DKIM signature {}{}", getMailetName(), mail.getName(), d,
                    d.verified() ? ", links left alone" : ", links rewritten as usual"));
            if (!outcome.unexamined().isEmpty()) {
                LOG.warn("{}: mail {}: links not examined (neither scanned nor rewritten){}: {}", getMailetName(),
                        mail.getName(), enforce ? "" : " (testing mode: reported only)", outcome.unexamined());
            }
            if (!outcome.skipped().isEmpty()) {
                LOG.info("{}: mail {}: parts not rewritten: {}", getMailetName(), mail.getName(), outcome.skipped());
            }
        } catch (MessagingException | IOException | RuntimeException e) {
            throw new MessagingException(getMailetName() + ": cannot process links of mail " + mail.getName() + ": " + e, e);
        }
    }

    /**
     * Sends one copy per recipient to the split processor (each comes back here with a single recipient and
     * gets tokens naming it) and ghosts the original. Copies are all sent before the original is ghosted: a
     * failure throws and the original goes to {@code onMailetException} processing.
     */
    private void split(Mail mail, RewriteLinksConfig c) throws MessagingException {
        String processor = c.splitProcessor().isEmpty() ? mail.getState() : c.splitProcessor();
        List<MailAddress> recipients = new ArrayList<>(mail.getRecipients());
        for (MailAddress recipient : recipients) {
            Mail copy = mail.duplicate();
            copy.setRecipients(List.of(recipient));
            getMailetContext().sendMail(copy, processor);
            // The spool keeps its own copy: release ours.
            LifecycleUtil.dispose(copy);
        }
        LOG.info("{}: mail {} split into {} single-recipient copies sent to processor {}", getMailetName(),
                mail.getName(), recipients.size(), processor);
        mail.setState(Mail.GHOST);
    }

    /** First 16 hex digits of SHA-256 of the single recipient, lower-cased; empty for several recipients. */
    static String recipientId(Mail mail) {
        if (mail.getRecipients().size() != 1) {
            return "";
        }
        MailAddress rcpt = mail.getRecipients().iterator().next();
        // Guava's SHA-256 clones a prototype digest, where MessageDigest.getInstance looks the provider up each time
        byte[] d = Hashing.sha256().hashString(rcpt.asString().toLowerCase(Locale.ROOT), StandardCharsets.UTF_8).asBytes();
        return BaseEncoding.base16().lowerCase().encode(d, 0, 8);
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    @Override
    public String getMailetInfo() {
        return "Tollgate RewriteLinks: scans links and rewrites them to the signed click-time redirector";
    }
}
