package dev.tollgate.core.mime;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.UnaryOperator;

import javax.mail.MessagingException;
import javax.mail.internet.ContentType;
import javax.mail.internet.MimeMultipart;
import javax.mail.internet.ParseException;
import javax.mail.internet.MimePart;

/**
 * Walks the MIME tree of a message depth-first: multiparts (RFC 2046 §5.1) are entered, every other part is
 * handed to a {@link Visitor}. Attached messages ({@code message/rfc822}, RFC 2046 §5.2.1) are leaves; a
 * visitor that reads one walks it with {@link #walk} at {@code depth + 1} after {@link #allowsDepth} agrees.
 *
 * <p>Bounded work: each part counts against a {@link PartCounter} shared by every message of one
 * {@link Walk}; past the limit the visitor gets {@link MimeSkipReason#PART_LIMIT} once and the walk stops. A
 * multipart whose structure cannot be read, or whose Content-Type does not parse, is
 * {@link MimeSkipReason#MALFORMED}; so is one that readers split differently: its boundary parameter missing, given
 * more than once, in the form of RFC 2231 or with a backslash escape ({@link MimeParts#ambiguousParameter}), or its
 * close delimiter followed by text (RFC 2046 §5.1.1), a line of the boundary, blanks and text, a lone CR ending one
 * of its structure's lines, or a part header without its empty line before the end
 * ({@link SplitMultipart#readersSplitDifferently}), or sent base64 or quoted-printable where the walk cannot see
 * both readings ({@link Builder#decodeEncodedMultiparts}). Any part, multipart or not, whose header block holds a line
 * that is neither a header field nor a continuation ({@link MimeParts#headerLineNotAField}), or whose
 * Content-Transfer-Encoding is not one word ({@link MimeParts#ambiguousTransferEncoding}), is
 * {@link MimeSkipReason#MALFORMED} too, and not read further. Any other part whose Content-Type does not parse is a leaf
 * with {@link MimeNode#typeError()} set (the visitor decides what that means).
 *
 * <p>Immutable and thread-safe; a {@link Walk} is not.
 */
public final class MimeWalker {
    private final int maxParts;
    private final int maxDepth;
    private final boolean decodeEncodedMultiparts;
    private final UnaryOperator<InputStream> meter;

    private MimeWalker(Builder b) {
        this.maxParts = b.maxParts;
        this.maxDepth = b.maxDepth;
        this.decodeEncodedMultiparts = b.decodeEncodedMultiparts;
        this.meter = b.meter;
    }

    /** @return a builder: 100 parts, depth 3, encoded multiparts not decoded */
    public static Builder builder() {
        return new Builder();
    }

    /** Counts parts; the default allows {@code maxParts}. */
    @FunctionalInterface
    public interface PartCounter {
        /**
         * Counts one more part.
         *
         * @return false when the part is over the limit
         * @throws IOException a counter that keeps its own budget may stop the walk by throwing
         */
        boolean count() throws IOException;
    }

    /** What the walk does at each part. Runtime exceptions thrown here end the walk. */
    public interface Visitor {
        /**
         * Called for a {@code multipart/*} part before its structure is read.
         *
         * @return whether to walk its children (false, e.g., for {@code multipart/encrypted})
         */
        default boolean enterMultipart(MimeNode node) {
            return true;
        }

        /** Called for every part that is not a multipart (attached messages included). */
        void leaf(MimeNode node) throws MessagingException, IOException;

        /**
         * Called when a part is not walked.
         *
         * @param cause what failed, null when nothing was thrown
         */
        void skipped(MimeNode node, MimeSkipReason reason, Exception cause);
    }

    /** The state of one walk over a message and the messages attached to it. */
    public static final class Walk {
        private final PartCounter counter;
        private boolean stopped;

        private Walk(PartCounter counter) {
            this.counter = counter;
        }

        /** Stops the walk: no further part is visited. */
        public void stop() {
            stopped = true;
        }

        /** @return whether the walk was stopped (by the visitor or the part limit) */
        public boolean stopped() {
            return stopped;
        }
    }

    /** @return a walk limited to this walker's maximum number of parts */
    public Walk start() {
        int[] parts = {0};
        return new Walk(() -> ++parts[0] <= maxParts);
    }

    /** @return a walk whose parts are counted by {@code counter} (which may be shared with other work) */
    public Walk start(PartCounter counter) {
        return new Walk(counter);
    }

    /** @return the maximum levels of attached messages */
    public int maxDepth() {
        return maxDepth;
    }

    /** @return whether a part at {@code depth} levels of nesting may be examined ({@code depth <= maxDepth}) */
    public boolean allowsDepth(int depth) {
        return depth <= maxDepth;
    }

    /**
     * Walks {@code root} and its descendants.
     *
     * @param path  the root's path: empty for a top-level message, the part path of an attached message
     * @param depth levels of attached messages around {@code root}
     * @return the root node ({@link MimeNode#multipart()} set when it is a multipart that was read)
     * @throws MessagingException from the visitor or when a part's headers cannot be read
     * @throws IOException        from the visitor or the part counter
     */
    public MimeNode walk(Walk walk, MimePart root, String path, int depth, Visitor visitor)
            throws MessagingException, IOException {
        return visit(walk, root, path, depth, null, null, -1, visitor);
    }

    private MimeNode visit(Walk walk, MimePart part, String path, int depth, MimeNode parent,
                           MimeMultipart parentMultipart, int index, Visitor visitor)
            throws MessagingException, IOException {
        ContentType type = null;
        MessagingException typeError = null;
        try {
            type = MimeParts.contentType(part);
        } catch (MessagingException e) {
            typeError = e;
        }
        if (parent != null && "multipart/digest".equals(parent.baseType()) && !namesAType(part)) {
            // RFC 2046 §5.1.5: a digest's part without a (valid) Content-Type is message/rfc822, as James's IMAP
            // server reads it; JavaMail says text/plain
            type = new ContentType("message", "rfc822", null);
            typeError = null;
        }
        MimeNode node = new MimeNode(part, path, depth, parent, parentMultipart, index, type, typeError);
        if (walk.stopped) {
            return node;
        }
        if (!walk.counter.count()) {
            walk.stopped = true;
            visitor.skipped(node, MimeSkipReason.PART_LIMIT, null);
            return node;
        }
        String header = MimeParts.headerLineNotAField(part);
        if (header == null) {
            header = MimeParts.ambiguousTransferEncoding(part);
        }
        if (header != null) {
            // JavaMail reads the rest of the block as header, other readers start the body at that line; or
            // JavaMail decodes by the first word of an encoding other readers do not know
            visitor.skipped(node, MimeSkipReason.MALFORMED, new ParseException(header + ": readers read its body "
                    + "differently"));
            return node;
        }
        if (typeError != null && declaresMultipart(part)) {
            // a multipart cannot be entered without its boundary parameter (RFC 2046 §5.1.1)
            visitor.skipped(node, MimeSkipReason.MALFORMED, typeError);
            return node;
        }
        String base = node.baseType();
        if (base == null || !base.startsWith("multipart/")) {
            visitor.leaf(node);
            return node;
        }
        if (!visitor.enterMultipart(node)) {
            return node;
        }
        String ambiguous = MimeParts.ambiguousParameter(part, "boundary");
        if (ambiguous == null && node.contentType().getParameter("boundary") == null) {
            ambiguous = "no boundary parameter";
        }
        if (ambiguous != null) {
            // JavaMail would split by one boundary (or a guessed one) and a client by another, or not at all
            visitor.skipped(node, MimeSkipReason.MALFORMED,
                    new ParseException("multipart with " + ambiguous + ": readers split it differently"));
            return node;
        }
        String encoding = TransferEncoding.of(part);
        if (TransferEncoding.isEncoding(encoding)) {
            String differently = encodedDifferently(part, encoding);
            if (differently != null) {
                visitor.skipped(node, MimeSkipReason.MALFORMED, new ParseException(differently));
                return node;
            }
        }
        MimeMultipart multipart;
        int count;
        try {
            multipart = decodeEncodedMultiparts ? MimeBodies.multipart(part, meter) : plainMultipart(part);
            if (multipart == null) {
                visitor.skipped(node, MimeSkipReason.MALFORMED, null);
                return node;
            }
            count = multipart.getCount();
            String split = multipart instanceof SplitMultipart ? ((SplitMultipart) multipart).readersSplitDifferently()
                    : null;
            if (split != null) {
                visitor.skipped(node, MimeSkipReason.MALFORMED, new ParseException(split));
                return node;
            }
        } catch (MessagingException | IOException | IndexOutOfBoundsException e) {
            // JavaMail's header reader indexes before the first header for a folded line that starts a part
            visitor.skipped(node, MimeSkipReason.MALFORMED, e);
            return node;
        }
        node.multipart = multipart;
        for (int i = 0; i < count && !walk.stopped; i++) {
            MimePart child;
            try {
                child = (MimePart) multipart.getBodyPart(i);
            } catch (MessagingException e) {
                visitor.skipped(node, MimeSkipReason.MALFORMED, e);
                return node;
            }
            String childPath = path.isEmpty() ? Integer.toString(i + 1) : path + "." + (i + 1);
            visit(walk, child, childPath, depth, node, multipart, i, visitor);
        }
        return node;
    }

    /**
     * A multipart sent base64 or quoted-printable (RFC 2045 §6.4 allows only 7bit, 8bit and binary there) is split
     * by JavaMail and James's IMAP server from its undecoded body, by clients that decode it from the decoded one.
     * A walk that does not decode cannot see what the decoding readers see. A walk that decodes sees all of it when
     * the undecoded body holds no part of its own (base64, whose alphabet has no {@code -}); when JavaMail finds
     * parts there too (every quoted-printable multipart, or base64 with delimiter lines among its lines), the two
     * readings can hold different text.
     *
     * @return why the readings may differ, or null when this walk sees what every reader sees
     */
    private String encodedDifferently(MimePart part, String encoding) {
        if (!decodeEncodedMultiparts) {
            return "multipart with a " + encoding + " transfer encoding: readers that decode it see other parts";
        }
        try {
            MimeMultipart undecoded = plainMultipart(part);
            if (undecoded == null || undecoded.getCount() == 0) {
                return null;
            }
        } catch (MessagingException | IOException | IndexOutOfBoundsException e) {
            return null; // no parts without decoding: the decoded reading is the only one
        }
        return "multipart with a " + encoding + " transfer encoding whose undecoded body holds parts too: "
                + "readers that ignore the encoding see other parts";
    }

    /** @return whether the part's Content-Type field gives a type and subtype that parse */
    private static boolean namesAType(MimePart part) throws MessagingException {
        String raw = part.getHeader("Content-Type", null);
        if (raw == null) {
            return false;
        }
        try {
            ContentType t = new ContentType(raw);
            return t.getPrimaryType() != null && !t.getPrimaryType().isEmpty() && t.getSubType() != null
                    && !t.getSubType().isEmpty();
        } catch (ParseException e) {
            return false;
        }
    }

    private static boolean declaresMultipart(MimePart part) throws MessagingException {
        String raw = part.getContentType();
        return raw != null && raw.strip().toLowerCase(java.util.Locale.ROOT).startsWith("multipart/");
    }

    /** The multipart as JavaMail parses it: a transfer encoding on it is ignored (RFC 2045 §6.4). */
    private static MimeMultipart plainMultipart(MimePart part) throws MessagingException, IOException {
        Object content = SplitMultipart.contentOf(part);
        return content instanceof MimeMultipart ? (MimeMultipart) content : null;
    }

    /** Builder for {@link MimeWalker}; not thread-safe. */
    public static final class Builder {
        private int maxParts = 100;
        private int maxDepth = 3;
        private boolean decodeEncodedMultiparts;
        private UnaryOperator<InputStream> meter = UnaryOperator.identity();

        private Builder() {
        }

        /** @param maxParts parts counted by {@link #start()} at most, ≥ 1 (default 100) */
        public Builder maxParts(int maxParts) {
            if (maxParts < 1) {
                throw new IllegalArgumentException("maxParts must be at least 1");
            }
            this.maxParts = maxParts;
            return this;
        }

        /** @param maxDepth levels of attached messages examined, ≥ 0 (default 3) */
        public Builder maxDepth(int maxDepth) {
            if (maxDepth < 0) {
                throw new IllegalArgumentException("maxDepth must be at least 0");
            }
            this.maxDepth = maxDepth;
            return this;
        }

        /**
         * @param on whether a base64 or quoted-printable multipart is decoded before its structure is read
         *           ({@link MimeBodies#multipart}); default false: JavaMail's reading, which ignores the encoding
         *           and keeps the multipart editable in place. Either way, such a multipart is
         *           {@link MimeSkipReason#MALFORMED} when readers that decode it and readers that do not may see
         *           different parts: without decoding, always; decoding, when its undecoded body holds parts too
         */
        public Builder decodeEncodedMultiparts(boolean on) {
            this.decodeEncodedMultiparts = on;
            return this;
        }

        /** @param meter wraps the stream an encoded multipart is decoded from (e.g. to count bytes) */
        public Builder meter(UnaryOperator<InputStream> meter) {
            this.meter = java.util.Objects.requireNonNull(meter, "meter");
            return this;
        }

        /** @return the walker */
        public MimeWalker build() {
            return new MimeWalker(this);
        }
    }
}
