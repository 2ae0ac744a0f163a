package dev.tollgate.core.dlp.policy;

import java.util.Set;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.dlp.content.ExtractionLimits;
import dev.tollgate.core.dlp.content.MessageContentExtractor;
import dev.tollgate.core.dlp.content.MimeContentExtractor;

/**
 * Creates the content extractor used by the DLP mailet and the CLI from their parameters: a
 * {@link MimeContentExtractor} bounded by {@link ExtractionLimits} ({@code extractionMaxDepth},
 * {@code extractionMaxExpandedSize}, {@code extractionMaxEntries}, {@code extractionMaxCompressionRatio},
 * {@code extractionTimePerMessage}).
 */
public final class DlpExtraction {
    /** Parameters read by {@link #create}. */
    public static final Set<String> PARAMETERS = ExtractionLimits.PARAMETER_NAMES;

    private DlpExtraction() {
    }

    /**
     * @return the extractor configured by the parameters
     * @throws ConfigException naming an invalid limit
     */
    public static MessageContentExtractor create(Parameters p) {
        return MimeContentExtractor.builder().limits(ExtractionLimits.fromParameters(p)).build();
    }
}
