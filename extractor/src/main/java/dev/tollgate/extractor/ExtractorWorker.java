package dev.tollgate.extractor;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;

/**
 * Main class of the worker JVM: reads requests from stdin, answers on stdout (see
 * {@link WorkerProtocol}), one document at a time, until stdin closes. Started by core's
 * {@code WorkerDocumentExtractor} with a bounded heap; it kills and restarts the worker on a
 * timeout, crash or OutOfMemoryError. Arguments: {@code maxChars} (text cap per document).
 * Anything a library prints goes to stderr, never into the protocol stream.
 *
 * <p>Before its first request the worker parses a few small documents it writes itself (PDF, DOCX, XLSX),
 * so that the parsers' classes are loaded while it waits, not while a mail does. After each document it
 * asks to be retired ({@link WorkerProtocol#RETIRE}) when the heap still in use after the last full
 * collection exceeds {@link #RETIRE_RETAINED_FRACTION} of the maximum: a parser that leaks is replaced
 * by what it leaks, not after a fixed number of documents.
 */
public final class ExtractorWorker {
    /** Share of {@code -Xmx} still in use after a full collection that retires the worker. */
    static final double RETIRE_RETAINED_FRACTION = 0.5;

    private ExtractorWorker() {
    }

    public static void main(String[] args) throws IOException {
        int maxChars = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8.name()));
        DataInputStream in = new DataInputStream(new BufferedInputStream(System.in, 1 << 16));
        DocumentParser parser = new DocumentParser(maxChars);
        WarmUp.run(parser);
        WorkerProtocol.writeFrame(out, WorkerProtocol.READY);
        out.flush();
        while (true) {
            byte[] name = WorkerProtocol.readFrame(in);
            if (name == null) {
                return;
            }
            byte[] document = WorkerProtocol.readFrame(in);
            if (document == null) {
                return;
            }
            DocumentParser.Result result;
            try {
                result = parser.parse(document, name.length == 0 ? null : new String(name, StandardCharsets.UTF_8));
            } catch (DocumentParser.TextTooLong e) {
                result = new DocumentParser.Result("SIZE_LIMIT", "document text longer than " + maxChars + " characters");
            } catch (OutOfMemoryError e) {
                // The heap is bounded on purpose; report, then exit so that the parent starts a fresh worker.
                WorkerProtocol.writeFrame(out, "SIZE_LIMIT");
                WorkerProtocol.writeFrame(out, "document needs more memory than the extractor worker has");
                WorkerProtocol.writeFrame(out, new byte[0]);
                WorkerProtocol.writeFrame(out, WorkerProtocol.RETIRE);
                out.flush();
                System.exit(3);
                return;
            }
            WorkerProtocol.writeFrame(out, result.status);
            WorkerProtocol.writeFrame(out, result.body);
            WorkerProtocol.writeFrame(out, result.status.equals(WorkerProtocol.OK) ? result.metadata.encode() : new byte[0]);
            WorkerProtocol.writeFrame(out, retainedTooMuch() ? WorkerProtocol.RETIRE : WorkerProtocol.KEEP);
            out.flush();
        }
    }

    /**
     * @return whether the heap in use after the last collection of the old generation is over the limit, and still
     *     after the objects waiting for finalization are finalized and the heap collected once more
     */
    static boolean retainedTooMuch() {
        if (!retainedOverLimit()) {
            return false;
        }
        // PDFBox's documents have finalizers: a full collection that finds a parsed document unreachable keeps it,
        // and the buffers it references, until its finalizer has run, so after about 5,000 PDFs of 100 KB the old
        // generation's usage "after collection" passes half the heap with nothing else alive. Retiring the worker for
        // that would throw its compiled code away; finalize and collect first, then decide.
        System.runFinalization();
        System.gc();
        return retainedOverLimit();
    }

    static boolean retainedOverLimit() {
        long max = Runtime.getRuntime().maxMemory();
        if (max == Long.MAX_VALUE) {
            return false;
        }
        long retained = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage afterGc = pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported()
                    ? pool.getCollectionUsage() : null;
            if (afterGc != null) {
                retained += afterGc.getUsed();
            }
        }
        return retained > max * RETIRE_RETAINED_FRACTION;
    }
}
