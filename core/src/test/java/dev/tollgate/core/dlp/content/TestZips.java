package dev.tollgate.core.dlp.content;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Zips for the extraction tests, entries in the order given. */
final class TestZips {
    private TestZips() {
    }

    /**
     * @param stored  entries stored uncompressed (sizes in the local headers) rather than deflated (sizes after
     *                the data, flag bit 3)
     * @param entries name, content, name, content...; a content is a {@code byte[]} or a String (UTF-8)
     */
    static byte[] zip(boolean stored, Object... entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int i = 0; i < entries.length; i += 2) {
                byte[] data = entries[i + 1] instanceof byte[] ? (byte[]) entries[i + 1]
                        : ((String) entries[i + 1]).getBytes(StandardCharsets.UTF_8);
                ZipEntry e = new ZipEntry((String) entries[i]);
                if (stored) {
                    CRC32 crc = new CRC32();
                    crc.update(data);
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(data.length);
                    e.setCrc(crc.getValue());
                }
                zip.putNextEntry(e);
                zip.write(data);
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
