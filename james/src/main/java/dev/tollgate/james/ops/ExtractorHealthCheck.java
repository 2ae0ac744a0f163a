package dev.tollgate.james.ops;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.reactivestreams.Publisher;

import dev.tollgate.core.dlp.content.DocumentText;
import dev.tollgate.core.dlp.content.Unscannable;
import dev.tollgate.core.dlp.content.WorkerDocumentExtractor;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Health of DLP's document extractor workers: a small RTF document through every open worker pool, as a
 * mail's attachment would go. Healthy when a worker parses it and answers; degraded when no worker is free within
 * {@value #PROBE_SECONDS} s (all busy: attachments wait or end as {@code time_limit}); unhealthy when the
 * worker fails (cannot start, crashes, missing jar): every document is then {@code unscannable}. Healthy with
 * nothing to check when no {@code ScanSensitiveData} extracts documents. Each check uses one worker once
 * (counted in {@code tollgate_dlp_extraction}). Listed in {@code healthcheck.properties}.
 */
public class ExtractorHealthCheck implements HealthCheck {
    /** The component name WebAdmin {@code /healthcheck} reports. */
    public static final ComponentName NAME = new ComponentName("Tollgate DLP extractor");
    static final int PROBE_SECONDS = 15;
    /** A minimal RTF document: a format the workers parse with Tika, as they would an attachment. */
    private static final byte[] PROBE = "{\\rtf1\\ansi Tollgate health probe}".getBytes(StandardCharsets.US_ASCII);

    @Override
    public ComponentName componentName() {
        return NAME;
    }

    @Override
    public Publisher<Result> check() {
        return Mono.fromCallable(this::checkNow).subscribeOn(Schedulers.boundedElastic());
    }

    Result checkNow() {
        List<WorkerDocumentExtractor> pools = WorkerDocumentExtractor.openExtractors();
        for (WorkerDocumentExtractor pool : pools) {
            DocumentText t = pool.extract(PROBE, "tollgate-health-probe.rtf", Duration.ofSeconds(PROBE_SECONDS));
            if (t.failure().isPresent()) {
                if (t.failure().get() == Unscannable.Reason.TIME_LIMIT && t.detail().startsWith("no document extractor worker free")) {
                    return Result.degraded(NAME, "every extractor worker is busy: " + t.detail());
                }
                return Result.unhealthy(NAME, "the extractor worker failed: " + t.detail());
            }
        }
        return Result.healthy(NAME);
    }
}
