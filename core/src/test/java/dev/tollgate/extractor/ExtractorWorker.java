package dev.tollgate.extractor;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A stand-in for the extractor module's worker, under the main class name core starts, for core's tests of
 * the worker pool: it speaks protocol version 2 and answers every document with {@code OK}, a text naming its
 * process id and how many documents it has answered and no metadata, and asks to be retired after a document whose
 * name is {@code retire}; a document named {@code slow} takes 2 s, one named {@code pause:N} N ms. Its argument
 * (the pool's {@code maxChars}) doubles as a start-up script: {@value #SLOW_START} waits 3 s before {@code READY},
 * {@value #NEVER_READY} never says it, {@value #PROTOCOL_1} announces protocol version 1 (a bare {@code READY}).
 */
public final class ExtractorWorker {
    public static final int SLOW_START = 7_777;
    public static final int NEVER_READY = 7_778;
    public static final int PROTOCOL_1 = 7_779;

    private ExtractorWorker() {
    }

    public static void main(String[] args) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(System.in));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(System.out));
        int script = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        try {
            if (script == SLOW_START) {
                Thread.sleep(3_000);
            } else if (script == NEVER_READY) {
                Thread.sleep(600_000);
            }
        } catch (InterruptedException e) {
            return;
        }
        write(out, script == PROTOCOL_1 ? "READY" : "READY 2");
        out.flush();
        long pid = ProcessHandle.current().pid();
        for (int n = 1; ; n++) {
            String name;
            try {
                name = new String(frame(in), StandardCharsets.UTF_8);
                frame(in);
            } catch (EOFException e) {
                return;
            }
            if (name.equals("slow") || name.startsWith("pause:")) {
                try {
                    Thread.sleep(name.equals("slow") ? 2_000 : Long.parseLong(name.substring(6)));
                } catch (InterruptedException e) {
                    return;
                }
            }
            write(out, "OK");
            write(out, pid + " " + n);
            write(out, "");
            write(out, name.equals("retire") ? "RETIRE" : "KEEP");
            out.flush();
        }
    }

    private static byte[] frame(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }

    private static void write(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }
}
