package dev.tollgate.extractor;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The frames exchanged with {@code dev.tollgate.core.dlp.content.WorkerDocumentExtractor} over the
 * worker's stdin/stdout. Every field is length-prefixed (4-byte big-endian length, then bytes):
 * <ul>
 *   <li>once, when the worker has loaded and exercised its parsers: {@code READY 2} (UTF-8; {@value #VERSION}
 *       is the protocol version, which a parent checks: a worker of another version is not used);</li>
 *   <li>request: file name (UTF-8), document bytes;</li>
 *   <li>response: status (UTF-8: {@code OK}, or the name of an {@code Unscannable.Reason} such as
 *       {@code ENCRYPTED}, {@code EXTRACTION_FAILED}, {@code SIZE_LIMIT}), then the text (UTF-8) on
 *       {@code OK} or a short detail otherwise, then the document's metadata (on {@code OK}; empty otherwise:
 *       key and value pairs, each field itself length-prefixed UTF-8, see {@link DocumentMetadata#encode()}),
 *       then the worker's state (UTF-8: {@code KEEP}, or {@code RETIRE} when it asks to be replaced after
 *       this document).</li>
 * </ul>
 * Version 1 (a bare {@code READY}) had no metadata frame. Core keeps its own copy of these few lines (it must not
 * depend on this module).
 */
final class WorkerProtocol {
    static final String OK = "OK";
    /** Protocol version: 2 added the metadata frame. */
    static final int VERSION = 2;
    /** Sent once after warm-up: the parent starts a document's time limit only from here. */
    static final String READY = "READY " + VERSION;
    /** The worker takes further documents. */
    static final String KEEP = "KEEP";
    /** The worker asks to be replaced (it retains too much memory); it still answered this document. */
    static final String RETIRE = "RETIRE";
    /** Largest frame accepted, a guard against a desynchronised stream. */
    static final int MAX_FRAME = 1 << 30;

    private WorkerProtocol() {
    }

    /** @return the frame, or null at a clean end of stream before its length */
    static byte[] readFrame(DataInputStream in) throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException e) {
            return null;
        }
        if (length < 0 || length > MAX_FRAME) {
            throw new IOException("bad frame length " + length);
        }
        byte[] frame = new byte[length];
        in.readFully(frame);
        return frame;
    }

    static void writeFrame(DataOutputStream out, byte[] frame) throws IOException {
        out.writeInt(frame.length);
        out.write(frame);
    }

    static void writeFrame(DataOutputStream out, String text) throws IOException {
        writeFrame(out, text.getBytes(StandardCharsets.UTF_8));
    }
}
