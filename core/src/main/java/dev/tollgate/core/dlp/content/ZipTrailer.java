package dev.tollgate.core.dlp.content;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a zip holds at its end and a streaming reader never returns: the archive comment (end of central directory
 * record) and, per entry, the central directory's file name and file comment (PKWARE APPNOTE 6.3.10 §4.3.12,
 * §4.3.16, §4.4.14, §4.4.17). An archiver lists the central directory's names, which may differ from the names in
 * the local headers that the stream reader gives.
 *
 * <p>{@link Tail} keeps the last {@value #KEPT} bytes of the archive as they stream by; {@link #parse} reads the
 * records from them. A central directory that does not fit in what is kept is reported as such ({@link
 * Trailer#complete} false), never as empty.
 */
final class ZipTrailer {
    /** Bytes kept from the end of an archive: the end record, its comment (at most 64 KiB) and the directory. */
    static final int KEPT = 1 << 20;
    private static final int EOCD_SIG = 0x06054b50;
    private static final int EOCD_LEN = 22;
    private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
    private static final int ZIP64_EOCD_SIG = 0x06064b50;
    private static final int CFH_SIG = 0x02014b50;
    private static final int CFH_LEN = 46;

    private ZipTrailer() {
    }

    /** One central directory entry: its name and its comment (empty when it has none). */
    static final class Entry {
        final String name;
        final String comment;

        Entry(String name, String comment) {
            this.name = name;
            this.comment = comment;
        }
    }

    /** The archive comment and the central directory's entries, in directory order. */
    static final class Trailer {
        final String comment;
        final List<Entry> entries;
        /** false when the end record was found but its directory was not all kept, or did not parse. */
        final boolean complete;

        Trailer(String comment, List<Entry> entries, boolean complete) {
            this.comment = comment;
            this.entries = entries;
            this.complete = complete;
        }
    }

    /**
     * @param tail the last bytes of the archive ({@link Tail#tail()})
     * @return the trailer; null when the bytes hold no end of central directory record
     */
    static Trailer parse(byte[] tail) {
        int eocd = -1;
        int fallback = -1;
        for (int p = tail.length - EOCD_LEN; p >= 0 && p >= tail.length - EOCD_LEN - 0xFFFF; p--) {
            if (u32(tail, p) == EOCD_SIG) {
                int commentLength = u16(tail, p + 20);
                if (p + EOCD_LEN + commentLength == tail.length) {
                    eocd = p;
                    break;
                }
                if (fallback < 0 && p + EOCD_LEN + commentLength <= tail.length) {
                    fallback = p; // bytes after the comment: read the last record that fits
                }
            }
        }
        if (eocd < 0) {
            eocd = fallback;
        }
        if (eocd < 0) {
            return null;
        }
        int commentLength = u16(tail, eocd + 20);
        String comment = text(tail, eocd + EOCD_LEN, Math.min(commentLength, tail.length - eocd - EOCD_LEN));
        long directorySize = u32(tail, eocd + 12) & 0xFFFFFFFFL;
        int directoryEnd = eocd;
        // Zip64 end record and locator (§4.3.14, §4.3.15) between the directory and the end record: written when a
        // count or size does not fit, and by Info-ZIP's zip for any entry of unknown size (read from a pipe)
        int record = zip64Record(tail, eocd);
        if (record >= 0) {
            directorySize = u64(tail, record + 40);
            directoryEnd = record;
        } else if (directorySize == 0xFFFFFFFFL || u16(tail, eocd + 10) == 0xFFFF) {
            return new Trailer(comment, List.of(), false);
        }
        if (directorySize > directoryEnd) {
            return new Trailer(comment, List.of(), false);
        }
        List<Entry> entries = new ArrayList<>();
        int p = directoryEnd - (int) directorySize;
        while (p + CFH_LEN <= directoryEnd && u32(tail, p) == CFH_SIG) {
            int nameLength = u16(tail, p + 28);
            int extraLength = u16(tail, p + 30);
            int entryCommentLength = u16(tail, p + 32);
            int next = p + CFH_LEN + nameLength + extraLength + entryCommentLength;
            if (next > directoryEnd) {
                return new Trailer(comment, entries, false);
            }
            entries.add(new Entry(text(tail, p + CFH_LEN, nameLength),
                    text(tail, p + CFH_LEN + nameLength + extraLength, entryCommentLength)));
            p = next;
        }
        return new Trailer(comment, entries, p == directoryEnd);
    }

    /**
     * @return the index of the zip64 end of central directory record whose locator ends right before the end record
     *     at {@code eocd} and which ends right before that locator (its size field counts what follows it, §4.3.14),
     *     or -1 when there is none
     */
    private static int zip64Record(byte[] tail, int eocd) {
        int locator = eocd - 20;
        if (locator < 0 || u32(tail, locator) != ZIP64_LOCATOR_SIG) {
            return -1;
        }
        for (int r = locator - 56; r >= 0 && r >= locator - 56 - 0xFFFF; r--) {
            if (u32(tail, r) == ZIP64_EOCD_SIG && r + 12 + u64(tail, r + 4) == locator) {
                return r;
            }
        }
        return -1;
    }

    /** Names and comments as the stream reader reads names: UTF-8 (the digits of a value are ASCII either way). */
    private static String text(byte[] b, int from, int length) {
        return new String(b, from, length, StandardCharsets.UTF_8);
    }

    private static int u16(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
    }

    private static int u32(byte[] b, int p) {
        return u16(b, p) | u16(b, p + 2) << 16;
    }

    private static long u64(byte[] b, int p) {
        return (u32(b, p) & 0xFFFFFFFFL) | (long) u32(b, p + 4) << 32;
    }

    /** Passes an archive through, keeping its last {@value #KEPT} bytes (grown as needed, then a ring). */
    static final class Tail extends FilterInputStream {
        private byte[] buf = new byte[8192];
        private int size;
        private boolean ring;
        private int head;

        Tail(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                keep(new byte[] {(byte) b}, 0, 1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                keep(b, off, n);
            }
            return n;
        }

        /** Skipped bytes are read, so that the end of the archive is kept whatever the reader skips. */
        @Override
        public long skip(long n) throws IOException {
            byte[] scratch = new byte[8192];
            long skipped = 0;
            while (skipped < n) {
                int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        private void keep(byte[] b, int off, int len) {
            if (len > KEPT) {
                off += len - KEPT;
                len = KEPT;
            }
            for (int i = 0; i < len; ) {
                if (!ring) {
                    if (size == buf.length) {
                        buf = Arrays.copyOf(buf, Math.min(KEPT, buf.length * 2));
                    }
                    int n = Math.min(len - i, buf.length - size);
                    System.arraycopy(b, off + i, buf, size, n);
                    size += n;
                    i += n;
                    ring = size == KEPT;
                } else {
                    int n = Math.min(len - i, KEPT - head);
                    System.arraycopy(b, off + i, buf, head, n);
                    head = (head + n) % KEPT;
                    i += n;
                }
            }
        }

        /** @return the kept bytes, oldest first */
        byte[] tail() {
            if (!ring) {
                return Arrays.copyOf(buf, size);
            }
            byte[] out = new byte[KEPT];
            System.arraycopy(buf, head, out, 0, KEPT - head);
            System.arraycopy(buf, 0, out, KEPT - head, head);
            return out;
        }
    }
}
