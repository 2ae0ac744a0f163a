package dev.tollgate.core.dlp.content;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * A zip laid out by hand, entries stored (method 0), for tests of archives that archivers and stream readers read
 * differently: local headers (PKWARE APPNOTE §4.3.7) go where they are written, inside other data too, and the
 * central directory (§4.3.12) lists whatever offsets, sizes and CRCs it is given. Public: the integration tests
 * build their hostile zips with it too.
 */
public final class StoredZip {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<byte[]> directory = new ArrayList<>();

    /** @return the CRC-32 of {@code data} (§4.4.7) */
    public static long crc(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return crc.getValue();
    }

    /** A stored entry's local header with the sizes of {@code data} and the CRC-32 given (which may be another's). */
    public static byte[] localHeader(String name, byte[] data, long crc) {
        return localHeader(name.getBytes(StandardCharsets.UTF_8), data, crc, new byte[0]);
    }

    /** A stored entry's local header with a name's bytes as given and extra fields (§4.5). */
    public static byte[] localHeader(byte[] n, byte[] data, long crc, byte[] extra) {
        ByteBuffer b = ByteBuffer.allocate(30 + n.length + extra.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x04034b50).putShort((short) 10).putShort((short) 0).putShort((short) 0).putInt(0).putInt((int) crc)
                .putInt(data.length).putInt(data.length).putShort((short) n.length).putShort((short) extra.length)
                .put(n).put(extra);
        return b.array();
    }

    /** An Info-ZIP Unicode Path extra field (0x7075, §4.6.9) naming {@code unicode} for the name bytes {@code raw}. */
    public static byte[] unicodePath(byte[] raw, String unicode) {
        byte[] u = unicode.getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(raw);
        return ByteBuffer.allocate(9 + u.length).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x7075)
                .putShort((short) (5 + u.length)).put((byte) 1).putInt((int) crc.getValue()).put(u).array();
    }

    /** @return the offset the next bytes written go to */
    public int offset() {
        return out.size();
    }

    /** Appends bytes as they are (another entry's data, a hidden header). */
    public StoredZip write(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** Appends a local header for {@code data}, claiming {@code crc}, then the data; nothing is listed. */
    public StoredZip local(String name, byte[] data, long crc) {
        return write(localHeader(name, data, crc)).write(data);
    }

    /** Lists an entry in the central directory with the sizes of {@code data}, {@code crc} and a local header offset. */
    public StoredZip listed(String name, byte[] data, long crc, int localHeaderOffset) {
        return listed(name.getBytes(StandardCharsets.UTF_8), data, crc, localHeaderOffset, new byte[0]);
    }

    /** Lists an entry with a name's bytes as given and extra fields. */
    public StoredZip listed(byte[] n, byte[] data, long crc, int localHeaderOffset, byte[] extra) {
        ByteBuffer b = ByteBuffer.allocate(46 + n.length + extra.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x02014b50).putShort((short) 20).putShort((short) 10).putShort((short) 0).putShort((short) 0)
                .putInt(0).putInt((int) crc).putInt(data.length).putInt(data.length).putShort((short) n.length)
                .putShort((short) extra.length).putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0)
                .putInt(localHeaderOffset).put(n).put(extra);
        directory.add(b.array());
        return this;
    }

    /** Appends a local entry with a name's bytes and extra fields, and lists it with {@code directoryExtra}. */
    public StoredZip entry(byte[] name, byte[] data, byte[] localExtra, byte[] directoryExtra) {
        int at = offset();
        write(localHeader(name, data, crc(data), localExtra)).write(data);
        return listed(name, data, crc(data), at, directoryExtra);
    }

    /** Appends a local entry for {@code data} and lists it, honestly. */
    public StoredZip entry(String name, byte[] data) {
        int at = offset();
        return local(name, data, crc(data)).listed(name, data, crc(data), at);
    }

    /** @return the bytes written, then the central directory and its end record (§4.3.16) */
    public byte[] finish() {
        int at = out.size();
        int size = 0;
        for (byte[] h : directory) {
            out.writeBytes(h);
            size += h.length;
        }
        ByteBuffer end = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) directory.size())
                .putShort((short) directory.size()).putInt(size).putInt(at).putShort((short) 0);
        out.writeBytes(end.array());
        return out.toByteArray();
    }
}
