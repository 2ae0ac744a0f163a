package dev.tollgate.bench.e2e;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLSocket;

/**
 * Watches one INBOX over IMAPS (RFC 9051 / 3501) and records when each message first shows up, by its
 * {@code X-Bench-Id} header: every {@code pollMillis} a {@code NOOP} brings the mailbox's {@code EXISTS} count, and
 * when it grew, that header of the new messages is fetched by sequence number (nothing is expunged during a run,
 * so sequence numbers stay put). The time recorded is when the message was stored plus at most one poll interval.
 */
final class MailboxWatcher implements AutoCloseable {
    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\}$");
    private static final Pattern EXISTS = Pattern.compile("^\\* (\\d+) EXISTS");
    private static final Pattern ID = Pattern.compile("(?i)X-Bench-Id:\\s*(\\S+)");

    private final SSLSocket socket;
    private final InputStream in;
    private final OutputStream out;
    private final long pollMillis;
    private final Map<String, Long> seenNanos = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile IOException failure;
    private int tag;
    /** Messages fetched so far, and the mailbox's size as last announced. */
    private long fetched;
    private long exists;

    private MailboxWatcher(SSLSocket socket, long pollMillis) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.pollMillis = pollMillis;
        this.thread = new Thread(this::poll, "mailbox-watcher");
        this.thread.setDaemon(true);
    }

    /** Logs in, selects INBOX and starts polling. */
    static MailboxWatcher open(String host, int imapsPort, String user, String password, long pollMillis)
            throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(host, imapsPort), 10_000);
        SSLSocket socket = (SSLSocket) Submission.trustingAll().createSocket(plain, host, imapsPort, true);
        socket.setSoTimeout(60_000);
        socket.startHandshake();
        MailboxWatcher watcher = new MailboxWatcher(socket, pollMillis);
        try {
            String greeting = watcher.readLine();
            if (greeting == null || !greeting.startsWith("* OK")) {
                throw new IOException("IMAP greeting: " + greeting);
            }
            watcher.command("LOGIN " + quote(user) + " " + quote(password));
            watcher.command("SELECT INBOX");
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        watcher.thread.start();
        return watcher;
    }

    /** While {@link #present} fetches: where its ids go. */
    private Set<String> collecting;

    /** The messages seen so far: X-Bench-Id to {@link System#nanoTime()} of the poll that first saw it. */
    Map<String, Long> seen() {
        return seenNanos;
    }

    /** @throws IOException when polling failed (the connection broke or James answered NO/BAD) */
    void check() throws IOException {
        if (failure != null) {
            throw new IOException("mailbox watcher failed", failure);
        }
    }

    private void poll() {
        try {
            while (running) {
                command("NOOP");
                if (exists > fetched) {
                    long from = fetched + 1;
                    long to = exists;
                    command("FETCH " + from + ":" + to + " (BODY.PEEK[HEADER.FIELDS (X-Bench-Id)])");
                    fetched = to;
                }
                Thread.sleep(pollMillis);
            }
        } catch (IOException e) {
            if (running) {
                failure = e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends one command and reads the responses up to its tagged OK, recording fetched ids. */
    private synchronized void command(String command) throws IOException {
        String t = "w" + (++tag);
        out.write((t + " " + command + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        while (true) {
            String response = readResponse();
            if (response == null) {
                throw new IOException("IMAP connection closed during: " + command);
            }
            if (response.startsWith(t + " ")) {
                if (!response.startsWith(t + " OK")) {
                    throw new IOException("IMAP " + command.split(" ")[0] + ": " + response);
                }
                return;
            }
            Matcher size = EXISTS.matcher(response);
            if (size.find()) {
                exists = Long.parseLong(size.group(1));
            } else if (response.startsWith("* ") && response.contains("FETCH")) {
                record(response);
            }
        }
    }

    /**
     * Every message in the mailbox now, by one {@code FETCH 1:*}. The polls fetch only sequence numbers above the last
     * one fetched, so a message that became visible below it (two deliveries committed out of order) is never seen
     * by them: this tells such a message from one that is missing. What it finds is not added to {@link #seen()}.
     *
     * @return the {@code X-Bench-Id} of each message in the mailbox
     * @throws IOException when James does not answer OK
     */
    synchronized Set<String> present() throws IOException {
        Set<String> ids = new HashSet<>();
        command("NOOP");
        if (exists == 0) {
            return ids;
        }
        collecting = ids;
        try {
            command("FETCH 1:* (BODY.PEEK[HEADER.FIELDS (X-Bench-Id)])");
        } finally {
            collecting = null;
        }
        return ids;
    }

    private void record(String response) {
        Matcher id = ID.matcher(response);
        if (id.find()) {
            if (collecting != null) {
                collecting.add(id.group(1));
            } else {
                seenNanos.putIfAbsent(id.group(1), System.nanoTime());
            }
        }
    }

    /** One response: a line, with any {@code {n}} literals and the lines after them joined in. */
    private String readResponse() throws IOException {
        StringBuilder response = new StringBuilder();
        while (true) {
            String line = readLine();
            if (line == null) {
                return null;
            }
            response.append(line);
            Matcher literal = LITERAL.matcher(line);
            if (!literal.find()) {
                return response.toString();
            }
            byte[] bytes = in.readNBytes(Integer.parseInt(literal.group(1)));
            response.append('\n').append(new String(bytes, StandardCharsets.UTF_8)).append('\n');
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return null;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public void close() throws IOException {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            command("LOGOUT");
        } catch (IOException e) {
            // LOGOUT's BYE may close first; the socket goes anyway.
        } finally {
            socket.close();
        }
    }
}
