package dev.tollgate.core.dlp.policy;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.dlp.content.DocumentExtractorSettings;
import dev.tollgate.core.dlp.content.ExtractionLimits;
import dev.tollgate.core.dlp.content.MessageContentExtractor;
import dev.tollgate.core.dlp.content.MimeContentExtractor;
import dev.tollgate.core.dlp.content.WorkerDocumentExtractor;

/**
 * The content extractor of the DLP mailet and the CLI, built from their parameters: a
 * {@link MimeContentExtractor} bounded by {@link ExtractionLimits}, reading documents through the
 * worker JVMs of {@link DocumentExtractorSettings} when the extractor jar is available. Close it to stop
 * the workers. Thread-safe.
 */
public final class DlpExtraction implements AutoCloseable {
    /** Parameters read by {@link #create}. */
    public static final Set<String> PARAMETERS;

    static {
        Set<String> p = new HashSet<>(ExtractionLimits.PARAMETER_NAMES);
        p.addAll(DocumentExtractorSettings.PARAMETER_NAMES);
        PARAMETERS = Set.copyOf(p);
    }

    private final MessageContentExtractor extractor;
    private final Optional<WorkerDocumentExtractor> documents;

    private DlpExtraction(MessageContentExtractor extractor, Optional<WorkerDocumentExtractor> documents) {
        this.extractor = extractor;
        this.documents = documents;
    }

    /**
     * Checks the parameters without starting anything.
     *
     * @throws ConfigException naming an invalid parameter
     */
    public static void validate(Parameters p) {
        ExtractionLimits.fromParameters(p);
        DocumentExtractorSettings.fromParameters(p);
    }

    /**
     * @return the extraction configured by the parameters (document workers start on first use, or with
     *     {@link #startWorkers()})
     * @throws ConfigException naming an invalid parameter
     */
    public static DlpExtraction create(Parameters p) {
        ExtractionLimits limits = ExtractionLimits.fromParameters(p);
        Optional<WorkerDocumentExtractor> documents = DocumentExtractorSettings.fromParameters(p).create();
        MimeContentExtractor.Builder b = MimeContentExtractor.builder().limits(limits);
        documents.ifPresent(b::documentExtractor);
        return new DlpExtraction(b.build(), documents);
    }

    public MessageContentExtractor extractor() {
        return extractor;
    }

    /** @return true when documents (PDF, Office, ODF, RTF) are read; false: they are unscannable */
    public boolean readsDocuments() {
        return documents.isPresent();
    }

    /**
     * Starts the document workers in the background (when documents are read), so that the first mails do
     * not wait for a worker JVM to start.
     *
     * @return this
     */
    public DlpExtraction startWorkers() {
        documents.ifPresent(WorkerDocumentExtractor::startWorkers);
        return this;
    }

    /** Stops the document workers. */
    @Override
    public void close() {
        documents.ifPresent(WorkerDocumentExtractor::close);
    }
}
