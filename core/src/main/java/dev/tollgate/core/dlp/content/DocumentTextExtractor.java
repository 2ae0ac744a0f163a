package dev.tollgate.core.dlp.content;

import java.time.Duration;

/**
 * Turns one office or PDF document (PDF, DOCX, XLSX, PPTX, ODF, RTF, legacy OLE2 Office) into its
 * text. {@link MimeContentExtractor} calls it for attachments and archive entries it recognises as
 * documents; it handles text, HTML, CSV and archives itself.
 *
 * <p>Contract: thread-safe, never throws for bad content, returns within about {@code timeout}.
 * The production implementation is {@link WorkerDocumentExtractor}: Apache Tika in a separate,
 * memory-bounded JVM so that a hostile document cannot exhaust or crash James.
 */
public interface DocumentTextExtractor {
    /**
     * @param document the document bytes
     * @param name its file name, if known (a hint only; the format is detected from the bytes)
     * @param timeout how long the extraction may take
     * @return the text, or why there is none
     */
    DocumentText extract(byte[] document, String name, Duration timeout);
}
