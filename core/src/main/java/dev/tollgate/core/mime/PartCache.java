package dev.tollgate.core.mime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * What the components reading one mail learnt about its parts, kept so that the next one does not redo it: the
 * quoted-printable decoding of a body, the text of decoded bytes in a charset, and the jsoup parse of an HTML
 * text. Entries are found by the bytes (or the text instance) they were made from, never by a part's identity, so a part
 * that a component changed (links rewritten, a header added) is simply not found and is read again: nothing stale
 * can be returned.
 *
 * <p>Bounded: an entry over {@link #MAX_ENTRY_CHARS} is never kept, and once {@link #MAX_TOTAL_CHARS} are kept
 * nothing more is (the work is then done again, as without the cache). A parsed {@link Document} is shared:
 * callers only read it, never change it. Thread-safe.
 */
public final class PartCache {
    /** Largest body (encoded bytes) or HTML text (chars) kept. */
    public static final int MAX_ENTRY_CHARS = 2 * 1024 * 1024;
    /** Most bytes and chars kept in all, over every entry. */
    public static final long MAX_TOTAL_CHARS = 8L * 1024 * 1024;

    private static final PartCache NONE = new PartCache(false);

    private final boolean keeps;
    private final Map<Bytes, byte[]> quotedPrintable = new HashMap<>();
    /** By identity: the readers of a part share {@link #text}'s instance, and hashing a long text costs a pass over it. */
    private final Map<String, Document> html = new IdentityHashMap<>();
    /** Texts by the decoded array they were made from (arrays this cache hands out are never changed). */
    private final Map<byte[], Map<Charset, String>> texts = new IdentityHashMap<>();
    private final AtomicInteger decodes = new AtomicInteger();
    private final AtomicInteger parses = new AtomicInteger();
    private long kept;

    private PartCache(boolean keeps) {
        this.keeps = keeps;
    }

    /** @return an empty cache for one mail */
    public static PartCache create() {
        return new PartCache(true);
    }

    /** @return a cache that keeps nothing: every call does the work (for callers reading one message once) */
    public static PartCache none() {
        return NONE;
    }

    /**
     * @param raw a quoted-printable body as transmitted
     * @return {@link TransferEncoding#decodeQuotedPrintableStrict}{@code (raw)}: the decoded bytes, or null when
     *     the body has a malformed escape (RFC 2045 §6.7); the same array to every caller (not to be
     *     changed)
     */
    public byte[] decodedQuotedPrintable(byte[] raw) {
        if (!keeps || raw.length > MAX_ENTRY_CHARS) {
            decodes.incrementAndGet();
            return TransferEncoding.decodeQuotedPrintableStrict(raw);
        }
        Bytes key = new Bytes(raw);
        synchronized (this) {
            if (quotedPrintable.containsKey(key)) {
                return quotedPrintable.get(key);
            }
        }
        decodes.incrementAndGet();
        byte[] decoded = TransferEncoding.decodeQuotedPrintableStrict(raw);
        synchronized (this) {
            long size = raw.length + (decoded == null ? 0 : decoded.length);
            if (kept + size <= MAX_TOTAL_CHARS) {
                quotedPrintable.put(key, decoded);
                kept += size;
            }
        }
        return decoded;
    }

    /**
     * The text of decoded body bytes, as {@code new String(bytes, charset)} gives it (malformed or unmappable input
     * replaced by U+FFFD): the same {@code String} to every caller that passes the same array, so that the readers
     * of one part share one decoding, and {@link #html}'s look-up of it costs no second hash of the text.
     *
     * @param bytes   decoded body bytes, found by identity (an array from {@link #decodedQuotedPrintable}); the
     *                caller must not change them afterwards
     * @param charset the part's charset
     */
    public String text(byte[] bytes, Charset charset) {
        if (!keeps || bytes.length > MAX_ENTRY_CHARS) {
            return decode(bytes, charset);
        }
        synchronized (this) {
            Map<Charset, String> byCharset = texts.get(bytes);
            String t = byCharset == null ? null : byCharset.get(charset);
            if (t != null) {
                return t;
            }
        }
        String t = decode(bytes, charset);
        synchronized (this) {
            long size = 2L * t.length();
            if (kept + size <= MAX_TOTAL_CHARS) {
                texts.computeIfAbsent(bytes, b -> new HashMap<>(2)).putIfAbsent(charset, t);
                kept += size;
            }
        }
        return t;
    }

    private static String decode(byte[] bytes, Charset charset) {
        return charset.equals(StandardCharsets.UTF_8) ? Utf8Text.decode(bytes) : new String(bytes, charset);
    }

    /**
     * @param text an HTML text (decoded from its charset), found by identity: pass the instance {@link #text} gave
     * @return the jsoup document of {@code text} (no document URI); callers must not change it
     */
    public Document html(String text) {
        if (!keeps || text.length() > MAX_ENTRY_CHARS) {
            parses.incrementAndGet();
            return Jsoup.parse(text, "");
        }
        synchronized (this) {
            Document d = html.get(text);
            if (d != null) {
                return d;
            }
        }
        parses.incrementAndGet();
        Document d = Jsoup.parse(text, "");
        synchronized (this) {
            // two chars for the text, about as much again for the document
            long size = 2L * text.length();
            if (kept + size <= MAX_TOTAL_CHARS) {
                html.putIfAbsent(text, d);
                kept += size;
            }
        }
        return d;
    }

    /** @return how many quoted-printable bodies were decoded (not found here) */
    public int decodes() {
        return decodes.get();
    }

    /** @return how many HTML texts were parsed (not found here) */
    public int parses() {
        return parses.get();
    }

    @Override
    public String toString() {
        return "PartCache[decodes=" + decodes + ", parses=" + parses + "]";
    }

    /** Eight bytes at a time: JDK 17's {@code Arrays.hashCode} takes one byte per step. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** @return a hash of the content of {@code b} (a polynomial over its 64-bit words, then the rest byte by byte) */
    static int contentHash(byte[] b) {
        long h = b.length;
        int i = 0;
        for (; i + 8 <= b.length; i += 8) {
            h = h * 0x9E3779B97F4A7C15L + (long) LONGS.get(b, i);
        }
        for (; i < b.length; i++) {
            h = h * 31 + b[i];
        }
        return (int) (h ^ (h >>> 32));
    }

    /** A byte array compared by content. */
    private static final class Bytes {
        private final byte[] bytes;
        private final int hash;

        Bytes(byte[] bytes) {
            this.bytes = bytes;
            this.hash = contentHash(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes && ((Bytes) o).hash == hash && Arrays.equals(((Bytes) o).bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
