package dev.tollgate.core.links;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Session;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.internet.MimePart;
import javax.mail.internet.SharedInputStream;

import dev.tollgate.core.mime.MimeBodies;
import dev.tollgate.core.mime.MimeBody;
import dev.tollgate.core.mime.MimeNode;
import dev.tollgate.core.mime.MimeParts;
import dev.tollgate.core.mime.MimeSkipReason;
import dev.tollgate.core.mime.MimeWalker;
import dev.tollgate.core.mime.PartCache;
import dev.tollgate.core.mime.TransferEncoding;

/**
 * Finds, scans and rewrites the links of a MIME message.
 *
 * <p>The walk decodes each text part's Content-Transfer-Encoding and charset, finds links in
 * {@code text/html} (with {@link HtmlHrefRewriter}: a/area hrefs, SVG {@code xlink:href}, form actions,
 * meta refresh URLs replaced at their source offsets) and, when enabled, bare URLs in {@code text/plain}, scans
 * them with the optional {@link LinkScanner}, and rewrites those the {@link LinkRewritePolicy} accepts. Such a
 * link value that is not http(s) ({@code javascript:}, {@code data:}, {@code vbscript:}, ...) and that the scanner
 * judged MALICIOUS is neutralised where rewriting happens: its value is replaced by
 * {@link LinkRewritePolicy#neutralise} (a redirector link that only ever shows a warning), the anchor text
 * stays. Without a scanner nothing is judged, so nothing is neutralised. A changed part is
 * re-encoded with its original charset and transfer encoding ({@link TransferEncoding}) and put back with
 * its original header lines ({@link MimeParts#replaceBody}); untouched parts keep their bytes. The MIME tree
 * is walked by {@link MimeWalker} and bodies are read by {@link MimeBodies}.
 *
 * <p>Never rewritten, each with a reason in {@link Outcome#skipped()}: {@code multipart/signed} (its content
 * is still scanned), {@code multipart/encrypted}, {@code application/pkcs7-mime}, inline PGP parts,
 * {@code text/calendar} and {@code application/ics}, attachments (an attached HTML or SVG file, by type or by
 * file name, is scanned like an HTML body; other attachments are not read), attached messages ({@code message/rfc822}:
 * scanned down to a maximum depth, rewritten only when configured), parts whose bytes are
 * not valid in their charset or larger than the limit, and every part of a message with a DKIM signature
 * that verifies ({@link DkimCheck}) unless configured: a signature that fails or cannot be checked does not
 * protect the message. Work is bounded by a maximum number of parts, bytes per part and links per message.
 *
 * <p>Immutable and thread-safe; {@link #process} modifies only the message it is given.
 */
public final class MessageLinkRewriter {
    /** Default maximum number of MIME parts visited. */
    public static final int DEFAULT_MAX_PARTS = 100;
    /** Default maximum decoded bytes of one text part. */
    public static final int DEFAULT_MAX_PART_BYTES = 4 * 1024 * 1024;
    /** Default levels of attached messages examined. */
    public static final int DEFAULT_MAX_MESSAGE_DEPTH = 3;
    /** Default maximum number of links handled per message. */
    public static final int DEFAULT_MAX_LINKS = 1000;

    private static final HtmlHrefRewriter HREFS = new HtmlHrefRewriter(HtmlLinkExtractor.DEFAULT_MAX_LINKS);

    private final LinkRewritePolicy policy;
    private final LinkScanner scanner;
    private final boolean rewritePlainText;
    private final boolean rewriteDkimSigned;
    private final DkimCheck dkimCheck;
    private final int maxParts;
    /** An OpenPGP armour header line (RFC 4880 §6.2) at the start of a line. */
    private static final java.util.regex.Pattern INLINE_PGP = java.util.regex.Pattern.compile(
            "(?m)^-----BEGIN PGP (?:SIGNED MESSAGE|MESSAGE)-----");
    private final int maxPartBytes;
    private final int maxLinks;
    private final int maxMessageDepth;
    private final boolean rewriteAttachedMessages;
    private final MimeWalker walker;

    private MessageLinkRewriter(Builder b) {
        this.policy = b.policy;
        this.scanner = b.scanner;
        this.rewritePlainText = b.rewritePlainText;
        this.rewriteDkimSigned = b.rewriteDkimSigned;
        this.dkimCheck = b.dkimCheck;
        this.maxParts = b.maxParts;
        this.maxPartBytes = b.maxPartBytes;
        this.maxLinks = b.maxLinks;
        this.maxMessageDepth = b.maxMessageDepth;
        this.rewriteAttachedMessages = b.rewriteAttachedMessages;
        this.walker = MimeWalker.builder().maxParts(maxParts).maxDepth(maxMessageDepth).build();
    }

    /** @return a builder; without a policy the rewriter only finds and scans */
    public static Builder builder() {
        return new Builder();
    }

    /** One link found in the message. */
    public static final class FoundLink {
        private final String part;
        private final String url;
        private final String anchorText;
        private final boolean rewritten;
        private final boolean neutralised;
        private final LinkVerdict verdict;

        FoundLink(String part, String url, String anchorText, boolean rewritten, LinkVerdict verdict) {
            this(part, url, anchorText, rewritten, false, verdict);
        }

        FoundLink(String part, String url, String anchorText, boolean rewritten, boolean neutralised,
                  LinkVerdict verdict) {
            this.part = part;
            this.url = url;
            this.anchorText = anchorText;
            this.rewritten = rewritten;
            this.neutralised = neutralised;
            this.verdict = verdict;
        }

        /** @return the MIME part path, IMAP style: {@code 1}, {@code 1.2}, ... ({@code 1} for a single-part message) */
        public String part() {
            return part;
        }

        /** @return the URL (resolved against any {@code <base href>}) */
        public String url() {
            return url;
        }

        /** @return the visible anchor text, empty when none */
        public String anchorText() {
            return anchorText;
        }

        /** @return whether it was rewritten to the redirector (neutralised links included) */
        public boolean rewritten() {
            return rewritten;
        }

        /**
         * @return whether it was a malicious link that is not http(s) and was neutralised: its href now leads to
         *     the redirector's warning page, never to the URL
         */
        public boolean neutralised() {
            return neutralised;
        }

        /** @return the scan verdict; clean when no scanner is configured */
        public LinkVerdict verdict() {
            return verdict;
        }

        @Override
        public String toString() {
            return part + " " + verdict.level() + (neutralised ? " neutralised " : rewritten ? " rewritten " : " ") + url;
        }
    }

    /** The result of {@link #process}. */
    public static final class Outcome {
        private final List<FoundLink> links = new ArrayList<>();
        private final List<String> skipped = new ArrayList<>();
        private final List<String> unexamined = new ArrayList<>();
        private boolean changedInPlace;
        private MimeMessage replacement;
        private boolean limitReached;
        private int rewritten;
        private int neutralised;
        private DkimCheck.Result dkim;

        /**
         * @return the DKIM check made because the message carries a {@code DKIM-Signature} and
         *     rewriteDkimSigned is false; empty when no check was made
         */
        public Optional<DkimCheck.Result> dkim() {
            return Optional.ofNullable(dkim);
        }

        /** @return the links found, in message order */
        public List<FoundLink> links() {
            return Collections.unmodifiableList(links);
        }

        /** @return why parts (or the whole message) were not rewritten, e.g. {@code 2: text/calendar} */
        public List<String> skipped() {
            return Collections.unmodifiableList(skipped);
        }

        /**
         * @return the parts whose links were not read at all, so neither scanned nor rewritten, e.g.
         *     {@code 2: text/html larger than 4194304 bytes}: a text part over {@code maxPartBytes} or in an unknown
         *     charset, an attached message over {@code maxPartBytes} sent base64 or quoted-printable encoded or
         *     deeper than {@code maxMessageDepth}, a multipart whose boundary never comes, the parts after
         *     {@code maxParts} and the links after {@code maxLinks}. A subset of {@link #skipped()}; empty when
         *     every link was examined
         */
        public List<String> unexamined() {
            return Collections.unmodifiableList(unexamined);
        }

        /** @return how many links were rewritten, neutralised ones included */
        public int rewritten() {
            return rewritten;
        }

        /** @return how many malicious links that are not http(s) were neutralised */
        public int neutralised() {
            return neutralised;
        }

        /**
         * @return true when parts inside the given message were replaced (and its content set again): the
         *     caller must call {@code saveChanges()} (on James's message wrapper this keeps the Message-ID)
         */
        public boolean changedInPlace() {
            return changedInPlace;
        }

        /**
         * @return for a single-part message whose body was rewritten, the new message (same header lines,
         *     new body) to use instead of the given one
         */
        public Optional<MimeMessage> replacement() {
            return Optional.ofNullable(replacement);
        }

        /** @return whether a limit (parts, links) cut the walk short */
        public boolean limitReached() {
            return limitReached;
        }

        /** @return the highest verdict level among the links, CLEAN when none */
        public LinkVerdict.Level worst() {
            LinkVerdict.Level worst = LinkVerdict.Level.CLEAN;
            for (FoundLink l : links) {
                if (l.verdict.level().compareTo(worst) > 0) {
                    worst = l.verdict.level();
                }
            }
            return worst;
        }

        /** @return how many links have {@code level} */
        public int count(LinkVerdict.Level level) {
            int n = 0;
            for (FoundLink l : links) {
                if (l.verdict.level() == level) {
                    n++;
                }
            }
            return n;
        }
    }

    private final class Walk {
        final Outcome outcome = new Outcome();
        final String recipientId;
        final String messageId;
        /** Shared with the walks of attached messages: the part limit counts the whole mail. */
        final MimeWalker.Walk state;
        Multipart top;

        final PartCache cache;

        /** Parts replaced in place, in order: put back when the message cannot be saved. */
        final List<Replaced> replaced = new ArrayList<>();
        /** A part JavaMail cannot save was met: an unparsable Content-Type, a multipart it cannot read. */
        boolean unsavable;

        Walk(String recipientId, String messageId, MimeWalker.Walk state, PartCache cache) {
            this.recipientId = recipientId;
            this.messageId = messageId;
            this.state = state;
            this.cache = cache;
        }

        /**
         * Replaces child {@code index} of {@code parent} ({@code part}) by one with {@code encodedBody}.
         *
         * @return the new child, {@code part}'s header lines with the new body
         */
        MimeBodyPart replace(MimeMultipart parent, int index, MimePart part, byte[] encodedBody) throws MessagingException {
            javax.mail.BodyPart original = parent.getBodyPart(index);
            MimeBodyPart now = MimeParts.replaceBody(parent, index, part, encodedBody);
            replaced.add(new Replaced(parent, index, original));
            outcome.changedInPlace = true;
            return now;
        }

        /**
         * Puts every replaced part back, the last first, so the message is again as sent, counts none of the
         * links from {@code firstLink} on as rewritten or neutralised, and reports {@code why} as not examined when
         * nothing else was (the links would otherwise reach the reader unprotected). JavaMail saves a message by
         * parsing every part's Content-Type again: a message holding a part it cannot parse cannot be saved once
         * changed, and a half-rewritten copy would be all that is left of it.
         */
        void putBack(int firstLink, String why) throws MessagingException {
            for (int k = replaced.size() - 1; k >= 0; k--) {
                Replaced r = replaced.get(k);
                r.parent.removeBodyPart(r.index);
                r.parent.addBodyPart(r.original, r.index);
            }
            replaced.clear();
            outcome.changedInPlace = false;
            outcome.rewritten = 0;
            outcome.neutralised = 0;
            for (int i = firstLink; i < outcome.links.size(); i++) {
                FoundLink f = outcome.links.get(i);
                if (f.rewritten || f.neutralised) {
                    outcome.links.set(i, new FoundLink(f.part, f.url, f.anchorText, false, false, f.verdict));
                }
            }
            // fail closed: links the policy rewrites would reach the reader live (counted once: a part already
            // reported as not examined is what stopped the save)
            outcome.skipped.add(why);
            if (outcome.unexamined.isEmpty()) {
                outcome.unexamined.add(why);
            }
        }

        /** A limit (parts, links) was reached: nothing more is examined. */
        void limit(String what) {
            if (!outcome.limitReached) {
                outcome.unexamined.add(what);
            }
            outcome.limitReached = true;
            state.stop();
        }

        /** A part whose links are not read at all. */
        void unexamined(String why) {
            outcome.skipped.add(why);
            outcome.unexamined.add(why);
        }
    }

    /**
     * Whether JavaMail can save a message holding {@code top}, tried on a message of its own: saving parses every
     * part's Content-Type again, down to parts the walk never visits (children of a multipart/encrypted, parts past
     * the part or link limit, a digest's children read as messages), and a failed save leaves the message it was
     * tried on changed (its Content-Type gone).
     *
     * @param owner the message {@code top} belongs to, given back to it afterwards
     */
    private static boolean savable(Multipart top, MimeMessage owner) {
        try {
            MimeMessage probe = new MimeMessage(MimeParts.session()) {
                @Override
                protected void updateMessageID() {
                    // a probe: no Message-ID (which would look up this host's name)
                }
            };
            probe.setContent(top);
            probe.saveChanges();
            return true;
        } catch (MessagingException | RuntimeException e) {
            return false;
        } finally {
            top.setParent(owner);
        }
    }

    /** A part replaced in place: where it was, and the part as sent. */
    private static final class Replaced {
        final MimeMultipart parent;
        final int index;
        final javax.mail.BodyPart original;

        Replaced(MimeMultipart parent, int index, javax.mail.BodyPart original) {
            this.parent = parent;
            this.index = index;
            this.original = original;
        }
    }

    /**
     * Finds and scans the links of {@code message} and, when {@code rewrite} is true and a policy is set,
     * rewrites them. Parts of a multipart message are replaced in place (see
     * {@link Outcome#changedInPlace()}); a single-part message gets a {@link Outcome#replacement()}.
     *
     * @param recipientId opaque recipient id carried in tokens, may be empty
     * @param messageId   message id carried in tokens, may be empty
     * @throws MessagingException when the message structure cannot be read
     * @throws IOException        when a part cannot be read
     */
    public Outcome process(MimeMessage message, String recipientId, String messageId, boolean rewrite)
            throws MessagingException, IOException {
        return process(message, recipientId, messageId, rewrite, PartCache.none());
    }

    /**
     * {@link #process(MimeMessage, String, String, boolean)}, taking decoded bodies and parsed HTML from
     * {@code cache} and leaving its own there, for the next component reading the same mail.
     *
     * @param cache what earlier readers of the same mail decoded and parsed
     */
    public Outcome process(MimeMessage message, String recipientId, String messageId, boolean rewrite, PartCache cache)
            throws MessagingException, IOException {
        Walk walk = new Walk(Objects.requireNonNull(recipientId), Objects.requireNonNull(messageId), walker.start(),
                Objects.requireNonNull(cache, "cache"));
        boolean canRewrite = rewrite && policy != null;
        if (canRewrite && !rewriteDkimSigned && message.getHeader("DKIM-Signature") != null) {
            DkimCheck.Result dkim = dkimCheck.check(message);
            walk.outcome.dkim = dkim;
            if (dkim.verified()) {
                walk.outcome.skipped.add("message: DKIM signature verified (" + dkim.detail()
                        + "), not rewritten (rewriteDkimSigned is false)");
                canRewrite = false;
            }
        }
        walk.top = walker.walk(walk.state, message, "", 0, new LinkVisitor(walk, canRewrite)).multipart();
        if (walk.outcome.changedInPlace && (walk.unsavable || !savable(walk.top, message))) {
            walk.putBack(0, "message: a part JavaMail cannot save (unparsable Content-Type or multipart), links not"
                    + " rewritten, not examined");
        }
        if (walk.outcome.changedInPlace) {
            // hand the edited multipart back explicitly: wrappers such as James's MimeMessageWrapper only
            // re-serialise a body they saw being set
            message.setContent(walk.top);
        }
        return walk.outcome;
    }

    /** The rewriting rules at each part of one (possibly attached) message. */
    private final class LinkVisitor implements MimeWalker.Visitor {
        private final Walk walk;
        private final boolean canRewrite;

        LinkVisitor(Walk walk, boolean canRewrite) {
            this.walk = walk;
            this.canRewrite = canRewrite;
        }

        @Override
        public boolean enterMultipart(MimeNode node) {
            boolean notPlain;
            try {
                notPlain = MimeParts.typeNotPlain(node.part());
            } catch (MessagingException e) {
                notPlain = true;
            }
            if (notPlain) {
                // read as a multipart here; under James JavaMail reads it as text/plain, so a reader may see other parts
                walk.unexamined(where(node) + ": Content-Type with a blank, control character or comment around its"
                        + " type, not examined");
            }
            String base = node.baseType();
            if (base.equals("multipart/encrypted")) {
                walk.outcome.skipped.add(where(node) + ": multipart/encrypted (PGP/MIME), not examined");
                return false;
            }
            if (base.equals("multipart/signed")) {
                walk.outcome.skipped.add(where(node) + ": multipart/signed, scanned but never rewritten");
            }
            return true;
        }

        @Override
        public void skipped(MimeNode node, MimeSkipReason reason, Exception cause) {
            switch (reason) {
                case PART_LIMIT:
                    String rest = where(node) + ": more than " + maxParts + " parts, rest not examined";
                    if (!walk.outcome.limitReached) {
                        walk.outcome.skipped.add(rest);
                    }
                    walk.limit(rest);
                    break;
                case MALFORMED:
                    walk.unsavable = true;
                    // a client shows such a body anyway (as text, or by the type before the first ';'), links and all
                    walk.unexamined(node.typeError() != null ? where(node) + ": unparsable Content-Type, not examined"
                            : cause == null ? where(node) + ": multipart content not readable, not examined"
                            : where(node) + ": malformed " + (node.isMultipart() ? "multipart" : "part")
                                    + " (" + cause.getMessage() + "), not examined");
                    break;
                default:
                    walk.outcome.skipped.add(where(node) + ": " + reason + ", not examined");
                    break;
            }
        }

        @Override
        public void leaf(MimeNode node) throws MessagingException, IOException {
            if (node.typeError() != null) {
                // a client reads the type before the first ';' and shows the part, links and all
                walk.unsavable = true;
                walk.unexamined(where(node) + ": unparsable Content-Type, not examined");
                return;
            }
            if (MimeParts.typeNotPlain(node.part())) {
                // JavaMail under James reads text/plain, clients the type (MimeParts.typeNotPlain)
                walk.unexamined(where(node) + ": Content-Type with a blank, control character or comment around its type,"
                        + " not examined");
                return;
            }
            // nothing under multipart/signed is rewritten: the signature covers its bytes (RFC 1847 §2.1)
            boolean rewriteHere = canRewrite && !node.within("multipart/signed");
            String base = node.baseType();
            String label = node.path().isEmpty() ? "1" : node.path();
            if (base.equals("application/pkcs7-mime") || base.equals("application/x-pkcs7-mime")
                    || base.equals("application/pgp-encrypted")) {
                walk.outcome.skipped.add(label + ": " + base + ", not examined");
                return;
            }
            if (MimeParts.isAttachedMessageType(base)) {
                visitAttachedMessage(walk, node, label, rewriteHere);
                return;
            }
            if (base.equals("message/partial")) {
                // RFC 2046 §5.2.2: a client that joins the fragments shows a message no single mail holds
                walk.unexamined(label + ": message/partial, a fragment of a message whose whole is not in this mail,"
                        + " not examined");
                return;
            }
            if (base.equals("text/calendar") || base.equals("application/ics")) {
                walk.outcome.skipped.add(label + ": " + base + ", left untouched");
                return;
            }
            boolean text = base.equals("text/html") || base.equals("text/plain");
            boolean attachment = MimeParts.isAttachmentDisposition(node.part());
            if (isHtmlFile(node, base) && (attachment || !text)) {
                // An attached HTML (or SVG) file opens in a browser, where its links and forms work: scanned like
                // a body, so the link matchers and the verdict see it, but never rewritten (that would change
                // the file the sender attached).
                walk.outcome.skipped.add(label + ": " + base + " attachment, scanned but not rewritten");
                processText(walk, node, label, "text/html", false, true);
                return;
            }
            if (!text) {
                return;
            }
            if (attachment) {
                walk.outcome.skipped.add(label + ": " + base + " attachment, left untouched");
                return;
            }
            processText(walk, node, label, base, rewriteHere, false);
        }
    }

    /** File name endings a browser opens as a page with live links. */
    private static final List<String> HTML_FILE_ENDINGS = List.of(".html", ".htm", ".xhtml", ".xht", ".shtml", ".svg",
            ".svgz");

    /**
     * @return whether the part is an HTML or SVG document: by type ({@code text/html},
     *     {@code application/xhtml+xml}, {@code image/svg+xml}) or by file name, whatever type it is sent as
     *     (an {@code application/octet-stream} named {@code invoice.html} still opens in a browser)
     */
    private static boolean isHtmlFile(MimeNode node, String base) throws MessagingException {
        if (base.equals("text/html") || base.equals("application/xhtml+xml") || base.equals("image/svg+xml")) {
            return true;
        }
        List<String> names = new ArrayList<>();
        String name = MimeParts.fileName(node.part());
        if (name != null) {
            names.add(name);
        }
        // every name as written too: JavaMail keeps the last of two, other readers the first
        names.addAll(MimeParts.parameterValuesAsWritten(node.part(), "Content-Disposition", "filename"));
        names.addAll(MimeParts.parameterValuesAsWritten(node.part(), "Content-Type", "name"));
        for (String n : names) {
            String lower = n.strip().replace("\"", "").strip().toLowerCase(java.util.Locale.ROOT);
            for (String ending : HTML_FILE_ENDINGS) {
                if (lower.endsWith(ending)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String where(MimeNode node) {
        return node.path().isEmpty() ? "message" : node.path();
    }

    /**
     * An attached or forwarded message: its links are scanned like the outer message's, down to
     * {@code maxMessageDepth} levels, and rewritten only with {@code rewriteAttachedMessages} (the same skip
     * rules apply inside: signed and encrypted parts, calendars, an attached message whose DKIM signature verifies). A changed
     * attached message is written back as a new part with the original part header lines.
     */
    private void visitAttachedMessage(Walk walk, MimeNode node, String label, boolean canRewrite)
            throws MessagingException, IOException {
        if (!walker.allowsDepth(node.depth() + 1)) {
            // its links would reach the reader neither scanned nor rewritten, as a sender can arrange by nesting
            walk.unexamined(label + ": attached message deeper than " + maxMessageDepth + ", not examined");
            return;
        }
        MimePart part = node.part();
        MimeBody body = MimeBodies.read(part, maxPartBytes);
        KeepIdMimeMessage inner;
        int size;
        if (body.hasBytes()) {
            byte[] bytes = body.bytes();
            String lineEnds = MimeParts.ambiguousHeaderLineEnds(bytes, bytes.length, true);
            if (lineEnds != null) {
                // JavaMail's header ends elsewhere than James's IMAP server's: another Content-Type may follow
                walk.unexamined(label + ": attached message with " + lineEnds + ", not examined");
                return;
            }
            size = bytes.length;
            inner = new KeepIdMimeMessage(MimeParts.session(), new ByteArrayInputStream(bytes));
        } else {
            // over maxPartBytes: walked in place when its body is the outer message's own bytes (7bit, 8bit or
            // binary, as RFC 2046 §5.2.1 requires of message/rfc822), its text parts each held to maxPartBytes as
            // anywhere else; a bounce returning a large message is then examined, not quarantined as unread
            InputStream raw = TransferEncoding.isIdentity(body.encoding()) ? MimeParts.rawStream(part) : null;
            if (!(raw instanceof SharedInputStream)) {
                if (raw != null) {
                    raw.close();
                }
                walk.unexamined(label + ": attached message larger than " + maxPartBytes + " bytes, not examined");
                return;
            }
            size = Math.max(part.getSize(), 0);
            inner = new KeepIdMimeMessage(MimeParts.session(), raw);
        }
        MimeMultipart parent = node.parentMultipart();
        // only what JavaMail itself reads as message/rfc822 is written back: a digest's message without a valid
        // Content-Type (RFC 2046 §5.1.5) would be written as text/plain, and a message/global's UTF-8 header fields
        // (RFC 6532) not as sent; those are scanned only
        boolean innerRewrite = canRewrite && rewriteAttachedMessages && parent != null
                && TransferEncoding.canEncode(body.encoding()) && part.getHeader("Content-Type") != null
                && part.isMimeType("message/rfc822");
        if (canRewrite && !innerRewrite) {
            walk.outcome.skipped.add(label + ": attached message, scanned but not rewritten");
        }
        if (innerRewrite && !rewriteDkimSigned && inner.getHeader("DKIM-Signature") != null) {
            DkimCheck.Result dkim = dkimCheck.check(inner);
            if (dkim.verified()) {
                walk.outcome.skipped.add(label + ": attached message DKIM signature verified (" + dkim.detail()
                        + "), scanned but not rewritten");
                innerRewrite = false;
            }
        }
        Walk sub = new Walk(walk.recipientId, walk.messageId, walk.state, walk.cache);
        sub.outcome.links.addAll(walk.outcome.links); // the link limit counts the whole mail
        int before = walk.outcome.links.size();
        sub.top = walker.walk(sub.state, inner, label, node.depth() + 1, new LinkVisitor(sub, innerRewrite)).multipart();
        if (sub.outcome.changedInPlace && (sub.unsavable || !savable(sub.top, inner))) {
            sub.putBack(before, label + ": attached message with a part JavaMail cannot save, links not rewritten,"
                    + " not examined");
        }
        walk.outcome.links.addAll(sub.outcome.links.subList(before, sub.outcome.links.size()));
        walk.outcome.skipped.addAll(sub.outcome.skipped);
        for (String u : sub.outcome.unexamined) {
            if (!walk.outcome.unexamined.contains(u)) {
                walk.outcome.unexamined.add(u);
            }
        }
        walk.outcome.limitReached |= sub.outcome.limitReached;
        if (sub.outcome.rewritten == 0 || !innerRewrite) {
            return;
        }
        MimeMessage changed = sub.outcome.replacement;
        if (changed == null && sub.outcome.changedInPlace) {
            inner.setContent(sub.top);
            inner.saveChanges();
            changed = inner;
        }
        if (changed == null) {
            return;
        }
        walk.outcome.rewritten += sub.outcome.rewritten;
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 4096);
        changed.writeTo(out);
        walk.replace(parent, node.index(), part, TransferEncoding.encode(out.toByteArray(), body.encoding()));
    }

    /**
     * @param base       the part's type, {@code text/html} for an attached HTML file whatever it was sent as
     * @param attachment an attached file (scanned, never rewritten): without a charset parameter it is read as
     *                   UTF-8, as browsers usually guess for a file, not as US-ASCII
     */
    private void processText(Walk walk, MimeNode node, String label, String base, boolean canRewrite,
                             boolean attachment) throws MessagingException, IOException {
        MimePart part = node.part();
        // two Content-Transfer-Encoding or Content-Type fields: clients disagree on which applies, so the links a
        // reader sees cannot be known (the DLP scan calls such a part unscannable)
        String repeated = MimeParts.repeatedHeader(part, "Content-Transfer-Encoding", "Content-Type");
        if (repeated != null) {
            walk.unexamined(label + ": " + part.getHeader(repeated).length + " " + repeated + " fields, not examined");
            return;
        }
        // the charset twice (JavaMail reads the last, other readers the first) or RFC 2231-encoded: as above
        String charsetGiven = MimeParts.ambiguousParameter(part, "charset");
        if (charsetGiven != null) {
            walk.unexamined(label + ": Content-Type with " + charsetGiven + ", not examined");
            return;
        }
        String charsetName = MimeParts.charset(node.contentTypeOrDefault());
        // a text part without a charset parameter is US-ASCII (RFC 2046 §4.1.2)
        Optional<Charset> known = MimeParts.javaCharset(charsetName != null ? charsetName
                : attachment ? "utf-8" : "us-ascii");
        if (known.isEmpty()) {
            walk.unexamined(label + ": unknown charset, not examined");
            return;
        }
        Charset charset = known.get();
        MimeBody body;
        try {
            body = MimeBodies.read(part, maxPartBytes, walk.cache);
        } catch (com.sun.mail.util.DecodingException e) {
            // a body its Content-Transfer-Encoding cannot decode (x-uuencode without its begin line): its links are
            // not read, which the unexamined count reports (fail closed), rather than the whole mail failing
            walk.unexamined(label + ": " + base + " body not decodable as " + TransferEncoding.of(part) + ", not examined");
            return;
        }
        if (!body.hasBytes()) {
            walk.unexamined(label + ": " + base + " larger than " + maxPartBytes + " bytes, not examined");
            return;
        }
        byte[] bytes = body.bytes();
        String byteOrder = MimeParts.ambiguousByteOrder(charsetName != null ? charsetName
                : attachment ? "utf-8" : "us-ascii", charset, bytes);
        if (byteOrder != null) {
            // Java and a browser would read other text, links and all
            walk.unexamined(label + ": " + byteOrder + ", not examined");
            return;
        }
        // the text the DLP scan of this part decoded too (malformed bytes replaced by U+FFFD)
        String text = walk.cache.text(bytes, charset);
        boolean exact = true;
        // UTF-8 and US-ASCII replace malformed input with U+FFFD: without one the bytes were valid; otherwise (and for
        // other charsets) a strict decode tells
        boolean knownValid = (charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.US_ASCII))
                && text.indexOf('\uFFFD') < 0;
        if (!knownValid) {
            try {
                charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            } catch (CharacterCodingException e) {
                exact = false;
            }
        }
        boolean partRewrite = canRewrite && (base.equals("text/html") || rewritePlainText);
        if (partRewrite && !exact) {
            walk.outcome.skipped.add(label + ": bytes not valid " + charset.name() + ", scanned but not rewritten");
            partRewrite = false;
        }
        // Inline PGP (RFC 4880 §7) is text whose signature covers its lines: only a plain-text part with an armour
        // line of its own. In HTML a browser never checks one, so a marker there (in a comment, hidden) protects
        // nothing and must not switch rewriting off.
        if (partRewrite && !base.equals("text/html") && INLINE_PGP.matcher(text).find()) {
            walk.outcome.skipped.add(label + ": inline PGP, scanned but not rewritten");
            partRewrite = false;
        }
        String cte = body.encoding();
        // an unknown encoding was read undecoded and cannot be written back (RFC 2045 §6.1)
        if (partRewrite && !TransferEncoding.canEncode(cte)) {
            walk.outcome.skipped.add(label + ": Content-Transfer-Encoding " + cte + ", scanned but not rewritten");
            partRewrite = false;
        }
        final boolean mayRewrite = partRewrite;
        int room = maxLinks - walk.outcome.links.size();
        List<FoundLink> found = new ArrayList<>();
        String newText;
        if (base.equals("text/html")) {
            // Verdicts come first: a malicious link the redirector cannot take is neutralised in the same pass.
            // The cached DOM is shared with other readers (DLP); a text with a CDATA marker is parsed apart for links
            String browserText = HtmlLinkExtractor.cdataAsBogusComment(text);
            List<HtmlLink> extracted = scanner == null ? List.of() : HtmlLinkExtractor.create().extract(
                    browserText == text ? walk.cache.html(text) : org.jsoup.Jsoup.parse(browserText, ""));
            List<LinkVerdict> verdicts = new ArrayList<>(Math.min(extracted.size(), Math.max(room, 0)));
            Set<String> neutralise = new HashSet<>();
            for (int i = 0; i < extracted.size() && i < room; i++) {
                HtmlLink link = extracted.get(i);
                LinkVerdict verdict = scanner.scan(link.resolved(), link.anchorText());
                verdicts.add(verdict);
                if (mayRewrite && verdict.level() == LinkVerdict.Level.MALICIOUS && isHref(link)
                        && policy.decide(link.resolved()) == LinkRewritePolicy.Decision.OTHER_SCHEME) {
                    neutralise.add(link.resolved());
                }
            }
            int[] seen = {0};
            HtmlHrefRewriter.Result r = HREFS.rewrite(text, href -> {
                if (!mayRewrite || seen[0]++ >= room) {
                    return Optional.empty();
                }
                if (neutralise.contains(href.resolved())) {
                    return Optional.of(policy.neutralise(href.resolved(), walk.recipientId, walk.messageId));
                }
                return policy.rewrite(href.resolved(), walk.recipientId, walk.messageId);
            });
            if (scanner == null) {
                for (HtmlHrefRewriter.Href href : r.hrefs()) {
                    if (found.size() >= room) {
                        walk.limit(label + ": link limit reached, rest not examined");
                        break;
                    }
                    found.add(found(label, href.resolved(), "", href.rewritten()));
                }
                if (r.limitReached()) {
                    walk.limit(label + ": link limit reached, rest not examined");
                }
            } else {
                addScanned(walk, label, extracted, verdicts, neutralise, r, found, room);
            }
            newText = r.html();
        } else {
            PlainTextUrlExtractor.Extraction ex = PlainTextUrlExtractor.create().extract(text);
            StringBuilder out = null;
            int at = 0;
            for (UrlSpan span : ex.spans()) {
                if (found.size() >= room) {
                    walk.limit(label + ": link limit reached, rest not examined");
                    break;
                }
                Optional<String> replacement = mayRewrite && !span.overlong()
                        ? policy.rewrite(span.href(), walk.recipientId, walk.messageId) : Optional.empty();
                found.add(found(label, span.href(), "", replacement.isPresent()));
                if (replacement.isPresent()) {
                    if (out == null) {
                        out = new StringBuilder(text.length() + 256);
                    }
                    out.append(text, at, span.start()).append(replacement.get());
                    at = span.end();
                }
            }
            if (ex.limitReached()) {
                walk.limit(label + ": link limit reached, rest not examined");
            }
            newText = out == null ? text : out.append(text, at, text.length()).toString();
        }
        if (newText.equals(text)) {
            walk.outcome.links.addAll(found);
            return;
        }
        byte[] newBytes = newText.getBytes(charset);
        // a strict UTF-8 or US-ASCII decode always re-encodes to the same bytes; other charsets are checked
        boolean roundTrips = charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.US_ASCII)
                || Arrays.equals(text.getBytes(charset), bytes);
        if (!roundTrips) {
            walk.outcome.skipped.add(label + ": " + charset.name() + " does not round-trip, not rewritten");
            for (FoundLink f : found) {
                walk.outcome.links.add(new FoundLink(f.part, f.url, f.anchorText, false, false, f.verdict));
            }
            return;
        }
        walk.outcome.links.addAll(found);
        for (FoundLink f : found) {
            if (f.rewritten) {
                walk.outcome.rewritten++;
            }
            if (f.neutralised) {
                walk.outcome.neutralised++;
            }
        }
        byte[] raw = body.rawQuotedPrintable().orElse(null);
        // a redirector link is longer than most it replaces: a line sent as it is (7bit, 8bit) can grow past what a
        // line may hold, which a relay would break inside the link or refuse; quoted-printable carries it in soft
        // lines (RFC 2045 §6.7), and the part's header then says so
        String written = TransferEncoding.isIdentity(cte) && TransferEncoding.longestLine(newBytes) > TransferEncoding.MAX_LINE_OCTETS
                ? TransferEncoding.QUOTED_PRINTABLE : cte;
        MimePart rewrittenPart;
        if (node.parentMultipart() != null) {
            byte[] requoted = raw == null ? null : TransferEncoding.requotePrintable(raw, bytes, newBytes);
            byte[] encoded = requoted != null ? requoted : TransferEncoding.encode(newBytes, written);
            rewrittenPart = walk.replace(node.parentMultipart(), node.index(), part, encoded);
        } else {
            // the new message's headers and body written into one buffer, which the new message then reads in place
            int capacity = raw == null ? newBytes.length + newBytes.length / 2 + 16
                    : TransferEncoding.requotedCapacity(raw, bytes, newBytes);
            MimeParts.MessageBuffer whole = MimeParts.headersOf(part, capacity);
            if (raw == null || !TransferEncoding.requotePrintable(raw, bytes, newBytes, whole)) {
                whole.writeBytes(TransferEncoding.encode(newBytes, written));
            }
            walk.outcome.replacement = new KeepIdMimeMessage(MimeParts.session(), whole.stream());
            rewrittenPart = walk.outcome.replacement;
        }
        if (!written.equals(cte)) {
            rewrittenPart.setHeader("Content-Transfer-Encoding", written);
        }
    }

    /**
     * Scanning needs every link the jsoup extraction sees (all URL attributes, bare URLs in text, anchor
     * texts); an a/area href counts as rewritten when the rewriter replaced a href with the same URL, and as
     * neutralised when that URL was one to neutralise.
     */
    private static void addScanned(Walk walk, String label, List<HtmlLink> extracted, List<LinkVerdict> verdicts,
                                   Set<String> neutralise, HtmlHrefRewriter.Result r, List<FoundLink> found, int room) {
        Map<String, Integer> rewritten = new HashMap<>();
        for (HtmlHrefRewriter.Href href : r.hrefs()) {
            if (href.rewritten()) {
                rewritten.merge(href.resolved(), 1, Integer::sum);
            }
        }
        for (int i = 0; i < extracted.size(); i++) {
            if (found.size() >= room) {
                walk.limit(label + ": link limit reached, rest not examined");
                break;
            }
            HtmlLink link = extracted.get(i);
            boolean done = isHref(link) && take(rewritten, link.resolved());
            found.add(new FoundLink(label, link.resolved(), link.anchorText() == null ? "" : link.anchorText(), done,
                    done && neutralise.contains(link.resolved()), verdicts.get(i)));
        }
    }

    /**
     * @return whether the link is one {@link HtmlHrefRewriter} replaces (a/area href and ping, form action, meta
     *     refresh, frame and object sources, MathML href, links inside a srcdoc document...)
     */
    private static boolean isHref(HtmlLink link) {
        return HtmlHrefRewriter.rewritable(link);
    }

    private static boolean take(Map<String, Integer> counts, String key) {
        Integer n = counts.get(key);
        if (n == null) {
            return false;
        }
        if (n == 1) {
            counts.remove(key);
        } else {
            counts.put(key, n - 1);
        }
        return true;
    }

    private FoundLink found(String label, String url, String anchor, boolean rewritten) {
        String a = anchor == null ? "" : anchor;
        LinkVerdict verdict = scanner == null ? LinkVerdict.clean() : scanner.scan(url, a);
        return new FoundLink(label, url, a, rewritten, verdict);
    }

    /** A MimeMessage that keeps its Message-ID when saved, as James's own wrapper does. */
    public static final class KeepIdMimeMessage extends MimeMessage {
        /** Parses {@code in}. */
        public KeepIdMimeMessage(Session session, InputStream in) throws MessagingException {
            super(session, in);
        }

        /** Copies {@code source}. */
        public KeepIdMimeMessage(MimeMessage source) throws MessagingException {
            super(source);
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            if (getHeader("Message-ID") == null) {
                super.updateMessageID();
            }
        }
    }

    /** Builder for {@link MessageLinkRewriter}; not thread-safe. */
    public static final class Builder {
        private LinkRewritePolicy policy;
        private LinkScanner scanner;
        private boolean rewritePlainText;
        private boolean rewriteDkimSigned;
        private DkimCheck dkimCheck = DkimCheck.NONE;
        private int maxParts = DEFAULT_MAX_PARTS;
        private int maxPartBytes = DEFAULT_MAX_PART_BYTES;
        private int maxLinks = DEFAULT_MAX_LINKS;
        private int maxMessageDepth = DEFAULT_MAX_MESSAGE_DEPTH;
        private boolean rewriteAttachedMessages;

        private Builder() {
        }

        /** @param depth levels of attached messages ({@code message/rfc822}) examined, 0 for none (default 3) */
        public Builder maxMessageDepth(int depth) {
            if (depth < 0) {
                throw new IllegalArgumentException("must be at least 0");
            }
            this.maxMessageDepth = depth;
            return this;
        }

        /** @param on whether links inside attached messages are rewritten too (default false: scanned only) */
        public Builder rewriteAttachedMessages(boolean on) {
            this.rewriteAttachedMessages = on;
            return this;
        }

        /** @param policy what to rewrite to; null for find-and-scan only */
        public Builder policy(LinkRewritePolicy policy) {
            this.policy = policy;
            return this;
        }

        /** @param scanner scans every link found; null for no scan (verdicts are clean) */
        public Builder scanner(LinkScanner scanner) {
            this.scanner = scanner;
            return this;
        }

        /** @param on whether bare URLs in text/plain parts are rewritten (default false) */
        public Builder rewritePlainText(boolean on) {
            this.rewritePlainText = on;
            return this;
        }

        /**
         * @param on whether messages whose DKIM signature verifies are rewritten too (default false: such a
         *     message is left alone; a signature that fails or cannot be checked never protects a message)
         */
        public Builder rewriteDkimSigned(boolean on) {
            this.rewriteDkimSigned = on;
            return this;
        }

        /**
         * @param check verifies DKIM signatures when rewriteDkimSigned is false; default {@link DkimCheck#NONE}
         *     (no signature counts as verified, so signed mail is rewritten)
         */
        public Builder dkimCheck(DkimCheck check) {
            this.dkimCheck = Objects.requireNonNull(check, "check");
            return this;
        }

        /** @param maxParts MIME parts visited at most, ≥ 1 */
        public Builder maxParts(int maxParts) {
            this.maxParts = positive(maxParts);
            return this;
        }

        /** @param maxPartBytes decoded bytes of one text part at most, ≥ 1 */
        public Builder maxPartBytes(int maxPartBytes) {
            this.maxPartBytes = positive(maxPartBytes);
            return this;
        }

        /** @param maxLinks links handled per message at most, ≥ 1 */
        public Builder maxLinks(int maxLinks) {
            this.maxLinks = positive(maxLinks);
            return this;
        }

        private static int positive(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("must be at least 1");
            }
            return v;
        }

        /** @return the rewriter */
        public MessageLinkRewriter build() {
            return new MessageLinkRewriter(this);
        }
    }
}
