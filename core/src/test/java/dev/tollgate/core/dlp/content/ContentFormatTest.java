package dev.tollgate.core.dlp.content;

import static org.assertj.core.api.Assertions.assertThat;


import org.junit.jupiter.api.Test;

/** Zips told from Office and OpenDocument files by their own entries, whatever they carry inside. */
class ContentFormatTest {
    private static ContentFormat detect(byte[] bytes, String name, String type) {
        int length = Math.min(bytes.length, ContentFormat.HEAD_BYTES);
        byte[] head = java.util.Arrays.copyOf(bytes, ContentFormat.HEAD_BYTES);
        return ContentFormat.detect(head, length, name, type);
    }

    private static byte[] zip(boolean stored, Object... entries) throws Exception {
        return TestZips.zip(stored, entries);
    }

    private static byte[] docx() throws Exception {
        return zip(false, "[Content_Types].xml", "<Types/>", "word/document.xml", "<w:document/>");
    }

    @Test
    void anOfficePackageIsADocumentByItsEntriesWhateverItsNameAndType() throws Exception {
        assertThat(detect(docx(), "file.bin", "application/octet-stream")).isEqualTo(ContentFormat.DOCUMENT);
        // "[Content_Types].xml" after another entry, as some writers order them
        assertThat(detect(zip(true, "_rels/.rels", "<Relationships/>", "[Content_Types].xml", "<Types/>"), "x", null))
                .isEqualTo(ContentFormat.DOCUMENT);
    }

    @Test
    void anOpenDocumentFileIsADocumentByItsMimetypeEntry() throws Exception {
        byte[] odt = zip(true, "mimetype", "application/vnd.oasis.opendocument.text", "content.xml", "<office/>");
        assertThat(detect(odt, "x", null)).isEqualTo(ContentFormat.DOCUMENT);
        // the name alone, or the type in a later entry, is not an OpenDocument file
        assertThat(detect(zip(true, "mimetype", "text/plain", "a.txt", "application/vnd.oasis.opendocument.text"), "x",
                null)).isEqualTo(ContentFormat.ZIP);
    }

    @Test
    void aPlainZipHoldingAnOfficeFileStoredUncompressedIsAZip() throws Exception {
        // the stored document's own entry names lie in the zip's first bytes; only the zip's entries count
        assertThat(detect(zip(true, "report.docx", docx()), "m.zip", "application/zip")).isEqualTo(ContentFormat.ZIP);
        byte[] odt = zip(true, "mimetype", "application/vnd.oasis.opendocument.text", "content.xml", "<office/>");
        assertThat(detect(zip(true, "notes.odt", odt), "m.zip", "application/zip")).isEqualTo(ContentFormat.ZIP);
        assertThat(detect(zip(false, "report.docx", docx()), "m.zip", "application/zip")).isEqualTo(ContentFormat.ZIP);
    }

    @Test
    void aZipWhoseEntrySizesFollowTheirDataIsSearchedForTheContentTypesEntry() throws Exception {
        // ZipOutputStream writes deflated entries with the sizes after the data (flag bit 3)
        byte[] streamed = zip(false, "_rels/.rels", "<Relationships/>", "[Content_Types].xml", "<Types/>");
        assertThat(streamed[6] & 8).isEqualTo(8);
        assertThat(detect(streamed, "x", null)).isEqualTo(ContentFormat.DOCUMENT);
        assertThat(detect(zip(false, "a.txt", "hello"), "x", null)).isEqualTo(ContentFormat.ZIP);
    }
}
