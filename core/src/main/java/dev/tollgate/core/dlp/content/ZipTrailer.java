package dev.tollgate.core.dlp.content;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.tollgate.core.mime.ByteScan;

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
    private static final int LFH_SIG = 0x04034b50;
    private static final int LFH_LEN = 30;

    private ZipTrailer() {
    }

    /** One central directory entry: its name and its comment (empty when it has none). */
    static final class Entry {
        final String name;
        final String comment;
        /** The name's bytes as written, one char per byte (ISO-8859-1): to compare with a local header's. */
        final String rawName;
        /**
         * The name of the entry's Info-ZIP Unicode Path extra field (0x7075, APPNOTE §4.6.9) when its CRC-32 is that
         * of the name's bytes, as Info-ZIP's unzip and 7-Zip list it instead of the name; null without one.
         */
        final String unicodeName;
        /** The compression method the directory gives (§4.4.5: 0 stored, 8 deflated...). */
        final int method;
        /** Whether the directory's general purpose flag marks the entry encrypted (§4.4.4, bit 0). */
        final boolean encrypted;
        /** The CRC-32 of the uncompressed data (§4.4.7). */
        final long crc;
        /** @return the name an archiver that reads Unicode Path fields lists: {@link #unicodeName}, else {@link #name} */
        String listedName() {
            return unicodeName != null ? unicodeName : name;
        }

        /**
         * Compressed and uncompressed size (§4.4.8, §4.4.9), taken from the entry's zip64 extended information extra
         * field where the directory holds 0xFFFFFFFF (§4.5.3); 0xFFFFFFFF when that field does not give it.
         */
        final long compressedSize;
        final long size;
        /** Offset of the entry's local header from the archive's start (§4.4.16), zip64 as the sizes; -1 if not given. */
        final long localHeaderOffset;

        Entry(String name, String comment, String rawName, String unicodeName, int method, boolean encrypted, long crc,
              long compressedSize, long size, long localHeaderOffset) {
            this.name = name;
            this.comment = comment;
            this.rawName = rawName;
            this.unicodeName = unicodeName;
            this.method = method;
            this.encrypted = encrypted;
            this.crc = crc;
            this.compressedSize = compressedSize;
            this.size = size;
            this.localHeaderOffset = localHeaderOffset;
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
     * @param tail      the last bytes of the archive ({@link Tail#tail()})
     * @param tailStart the offset of {@code tail}'s first byte in the archive ({@link Tail#tailStart()})
     * @return the trailer; null when the bytes hold no end of central directory record
     */
    static Trailer parse(byte[] tail, long tailStart) {
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
        long entryCount = u16(tail, eocd + 10);
        long directorySize = u32(tail, eocd + 12) & 0xFFFFFFFFL;
        long directoryOffset = u32(tail, eocd + 16) & 0xFFFFFFFFL;
        int directoryEnd = eocd;
        // A zip64 end record (§4.3.14) is found as archivers find it: through the locator right before the end
        // record (§4.3.15), at the offset the locator gives, and used only when its values agree with the end
        // record's where those are not the zip64 markers. Info-ZIP's zip writes one for any entry of unknown size
        // (read from a pipe) even when every value fits. The directory then ends where the zip64 record begins.
        int record = zip64Record(tail, tailStart, eocd);
        boolean saturated = entryCount == 0xFFFF || directorySize == 0xFFFFFFFFL || directoryOffset == 0xFFFFFFFFL;
        if (record >= 0 && agrees(entryCount, u64(tail, record + 32), 0xFFFF)
                && agrees(directorySize, u64(tail, record + 40), 0xFFFFFFFFL)
                && agrees(directoryOffset, u64(tail, record + 48), 0xFFFFFFFFL)) {
            entryCount = u64(tail, record + 32);
            directorySize = u64(tail, record + 40);
            directoryOffset = u64(tail, record + 48);
            directoryEnd = record;
        } else if (saturated) {
            return new Trailer(comment, List.of(), false);
        }
        if (directorySize < 0 || directorySize > directoryEnd) {
            // a zip64 size with its top bit set is negative here, and as far past the start as any too large
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
            // §4.5.3: the zip64 field holds, in this order, those of size, compressed size and local header offset
            // that the directory entry saturates
            long[] values = {u32(tail, p + 24) & 0xFFFFFFFFL, u32(tail, p + 20) & 0xFFFFFFFFL,
                    u32(tail, p + 42) & 0xFFFFFFFFL};
            zip64Values(tail, p + CFH_LEN + nameLength, extraLength, values);
            entries.add(new Entry(text(tail, p + CFH_LEN, nameLength),
                    text(tail, p + CFH_LEN + nameLength + extraLength, entryCommentLength),
                    new String(tail, p + CFH_LEN, nameLength, StandardCharsets.ISO_8859_1),
                    unicodePath(tail, p + CFH_LEN, nameLength, p + CFH_LEN + nameLength, extraLength), u16(tail, p + 10),
                    (u16(tail, p + 8) & 1) != 0, u32(tail, p + 16) & 0xFFFFFFFFL, values[1], values[0],
                    values[2] == 0xFFFFFFFFL ? -1 : values[2]));
            p = next;
        }
        // the directory must be where the end record places it: otherwise bytes came before the archive it describes
        // (another zip in front, whose entries were read instead)
        boolean placed = directoryOffset + directorySize == tailStart + directoryEnd;
        return new Trailer(comment, entries, p == directoryEnd && entries.size() == entryCount && placed);
    }

    /**
     * @return the name of the Info-ZIP Unicode Path extra field (header id 0x7075: version 1, the CRC-32 of the
     *     entry's name bytes, the name in UTF-8; APPNOTE §4.6.9) among the extra fields at {@code from}, when its
     *     CRC-32 is that of the name bytes at {@code name}; null otherwise
     */
    private static String unicodePath(byte[] b, int name, int nameLength, int from, int length) {
        String[] found = new String[1];
        int[] fields = new int[1];
        extraFields(b, from, length, (id, data, size) -> {
            if (id != 0x7075) {
                return;
            }
            fields[0]++;
            if (size >= 5 && b[data] == 1 && found[0] == null) {
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(b, name, nameLength);
                if ((u32(b, data + 1) & 0xFFFFFFFFL) == crc.getValue()) {
                    found[0] = new String(b, data + 5, size - 5, StandardCharsets.UTF_8);
                }
            }
        });
        // archivers differ on which of several fields they take (Info-ZIP's unzip the last): none names it for sure
        return fields[0] > 1 ? SEVERAL_UNICODE_PATHS : found[0];
    }

    /** One extra field (§4.5.1): its header id, where its data starts and the data's size. */
    private interface ExtraField {
        void accept(int id, int data, int size);
    }

    /** Each extra field among the {@code length} bytes at {@code from}, in order, up to one that runs past them. */
    private static void extraFields(byte[] b, int from, int length, ExtraField field) {
        int end = from + length;
        for (int f = from; f + 4 <= end; ) {
            int size = u16(b, f + 2);
            if (f + 4 + size > end) {
                return;
            }
            field.accept(u16(b, f), f + 4, size);
            f += 4 + size;
        }
    }

    /** {@link Entry#unicodeName} of an entry with more than one Unicode Path field, whose name archivers disagree on. */
    static final String SEVERAL_UNICODE_PATHS = "\u0000several Unicode Path fields";

    /**
     * Replaces the saturated values (0xFFFFFFFF) of {@code values} (size, compressed size, local header offset, in
     * that order) with those of the zip64 extended information extra field (header id 0x0001, §4.5.3) among the
     * extra fields at {@code from}; a value the field does not hold stays saturated.
     */
    private static void zip64Values(byte[] b, int from, int length, long[] values) {
        boolean[] read = new boolean[1];
        extraFields(b, from, length, (id, data, size) -> {
            if (id != 0x0001 || read[0]) {
                return;
            }
            read[0] = true;
            int at = data;
            for (int i = 0; i < values.length; i++) {
                if (values[i] == 0xFFFFFFFFL && at + 8 <= data + size) {
                    values[i] = u64(b, at);
                    at += 8;
                }
            }
        });
    }

    /** Whether an end record's value agrees with the zip64 record's: equal, or the end record holds the marker. */
    private static boolean agrees(long endRecordValue, long zip64Value, long marker) {
        return endRecordValue == marker || endRecordValue == zip64Value;
    }

    /**
     * @return the index in {@code tail} of the zip64 end of central directory record that the locator right before
     *     the end record at {@code eocd} points to (its offset field, from the archive's start), or -1 when there is
     *     no locator or no such record before it
     */
    private static int zip64Record(byte[] tail, long tailStart, int eocd) {
        int locator = eocd - 20;
        if (locator < 0 || u32(tail, locator) != ZIP64_LOCATOR_SIG) {
            return -1;
        }
        long at = u64(tail, locator + 8) - tailStart;
        if (at < 0 || at > locator - 56 || u32(tail, (int) at) != ZIP64_EOCD_SIG) {
            return -1;
        }
        return (int) at;
    }

    /** Bytes at the end of an archive that hold its end record and the longest archive comment (§4.3.16). */
    static final int END_SEARCH = EOCD_LEN + 0xFFFF;

    /**
     * Whether {@code b}'s first {@code length} bytes end as a zip does, as archivers search for one: an end of central
     * directory record within the last {@value #END_SEARCH} bytes (whatever its comment length says, bytes may follow
     * it) whose directory, as long as it or the zip64 end record before its locator says, ends right before that
     * record with a directory entry at its start. Archivers open a zip by its end, so such bytes are a zip whatever
     * comes first (a self-extracting program, text, a PDF).
     */
    static boolean endsWithEndRecord(byte[] b, int length) {
        int lowest = Math.max(0, length - END_SEARCH);
        for (int p = length - EOCD_LEN; p >= lowest; p--) {
            // the candidates first: most of a document's bytes are not 'P', and the search runs over 64 KiB
            p = ByteScan.lastIndexOf(b, (byte) 'P', lowest, p + 1);
            if (p < 0) {
                break;
            }
            if (u32(b, p) != EOCD_SIG) {
                continue;
            }
            long size = u32(b, p + 12) & 0xFFFFFFFFL;
            int end = p;
            if (p >= 20 + 56 && u32(b, p - 20) == ZIP64_LOCATOR_SIG) {
                for (int r = p - 20 - 56; r >= 0 && r >= p - 20 - 56 - 0xFFFF; r--) {
                    if (u32(b, r) == ZIP64_EOCD_SIG && r + 12 + u64(b, r + 4) == p - 20) {
                        size = u64(b, r + 40);
                        end = r;
                        break;
                    }
                }
            }
            // a zip64 size is read as a signed long: one with its top bit set is past any directory, not before it
            if (size == 0 ? u16(b, p + 10) == 0 : size > 0 && size <= end && u32(b, end - (int) size) == CFH_SIG) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads {@code in} to its end, keeping only its last {@value #END_SEARCH} bytes, and tells whether they end as a
     * zip does ({@link #endsWithEndRecord}).
     */
    static boolean endsAsZip(InputStream in) throws IOException {
        byte[] ring = new byte[END_SEARCH];
        long total = 0;
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) {
            for (int i = 0; i < n; ) {
                int at = (int) ((total + i) % END_SEARCH);
                int k = Math.min(n - i, END_SEARCH - at);
                System.arraycopy(buf, i, ring, at, k);
                i += k;
            }
            total += n;
        }
        int kept = (int) Math.min(total, END_SEARCH);
        byte[] last = new byte[kept];
        int start = (int) ((total - kept) % END_SEARCH);
        int first = Math.min(kept, END_SEARCH - start);
        System.arraycopy(ring, start, last, 0, first);
        System.arraycopy(ring, 0, last, first, kept - first);
        return endsWithEndRecord(last, kept);
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

    /** Local header signatures a {@link Tail} records at most; an archive with more is not matched entry by entry. */
    static final int MAX_LOCAL_HEADERS = 1 << 16;

    /**
     * Passes an archive through, keeping its last {@value #KEPT} bytes (grown as needed, then a ring) and the offset of
     * every local file header signature in it (§4.3.7), wherever it is (inside another entry's data too), with the
     * offset where that header's data begins: what an archiver reads for a directory entry that points there.
     */
    static final class Tail extends FilterInputStream {
        private byte[] buf = new byte[8192];
        private int size;
        private boolean ring;
        private int head;
        /** Bytes passed through. */
        private long total;
        /** The last bytes passed, fewer than a local header: a header that began there is read with the next bytes. */
        private final byte[] edge = new byte[LFH_LEN - 1];
        private int edgeLength;
        private byte[] scan = new byte[0];
        private long[] headerAt = new long[16];
        private long[] dataAt = new long[16];
        private int headers;
        private boolean tooManyHeaders;

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
            findLocalHeaders(b, off, len);
            total += len;
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

        private void findLocalHeaders(byte[] b, int off, int len) {
            int n = edgeLength + len;
            if (scan.length < n) {
                scan = new byte[Math.max(n, 8192)];
            }
            System.arraycopy(edge, 0, scan, 0, edgeLength);
            System.arraycopy(b, off, scan, edgeLength, len);
            long base = total - edgeLength;
            int end = n - LFH_LEN + 1;
            for (int p = ByteScan.indexOf(scan, (byte) 'P', 0, end); p >= 0;
                    p = ByteScan.indexOf(scan, (byte) 'P', p + 1, end)) {
                if (u32(scan, p) == LFH_SIG) {
                    // §4.3.7: the data follows the fixed fields, the file name and the extra field
                    record(base + p, base + p + LFH_LEN + u16(scan, p + 26) + u16(scan, p + 28));
                }
            }
            edgeLength = Math.min(LFH_LEN - 1, n);
            System.arraycopy(scan, n - edgeLength, edge, 0, edgeLength);
        }

        private void record(long header, long data) {
            if (headers == MAX_LOCAL_HEADERS) {
                tooManyHeaders = true;
                return;
            }
            if (headers == headerAt.length) {
                headerAt = Arrays.copyOf(headerAt, headers * 2);
                dataAt = Arrays.copyOf(dataAt, headers * 2);
            }
            headerAt[headers] = header;
            dataAt[headers++] = data;
        }

        /**
         * @param headerOffset an offset from the archive's start (a directory entry's local header offset)
         * @return where the data of the local header at that offset begins, or -1 when no local header signature is
         *     there (or more than {@value #MAX_LOCAL_HEADERS} were passed and it is not among those recorded)
         */
        long dataStart(long headerOffset) {
            int i = Arrays.binarySearch(headerAt, 0, headers, headerOffset);
            return i >= 0 ? dataAt[i] : -1;
        }

        /** @return false when more than {@value #MAX_LOCAL_HEADERS} local header signatures passed */
        boolean allLocalHeadersKept() {
            return !tooManyHeaders;
        }

        /** @return the offset in the archive of the first byte {@link #tail()} returns */
        long tailStart() {
            return total - (ring ? KEPT : size);
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
