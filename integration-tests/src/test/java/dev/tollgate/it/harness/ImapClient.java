package dev.tollgate.it.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.SSLSocket;

/**
 * A minimal IMAP4rev1 client (RFC 9051 syntax) speaking the raw protocol, so tests can assert the exact tagged
 * replies (e.g. {@code NO [AUTHENTICATIONFAILED]}). Literals in responses are read by their announced length.
 * STARTTLS and implicit TLS trust any certificate (test only). Not thread-safe.
 */
public final class ImapClient implements AutoCloseable {
    /** One command's outcome: the untagged lines (literals inlined) and the tagged completion line. */
    public static final class Reply {
        public final List<String> untagged;
        public final String tagged;

        Reply(List<String> untagged, String tagged) {
            this.untagged = untagged;
            this.tagged = tagged;
        }

        /** @return the completion after the tag, e.g. {@code OK LOGIN completed.} */
        public String status() {
            int space = tagged.indexOf(' ');
            return space < 0 ? tagged : tagged.substring(space + 1);
        }

        public boolean ok() {
            return status().startsWith("OK");
        }

        /** @return every untagged line and the tagged one, joined by newlines */
        public String all() {
            return String.join("\n", untagged) + "\n" + tagged;
        }

        @Override
        public String toString() {
            return all();
        }
    }

    private final String host;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private int tag;
    private final String greeting;

    private ImapClient(String host, Socket socket) throws IOException {
        this.host = host;
        use(socket);
        this.greeting = readLine();
    }

    /** Connects; with {@code implicitTls} the TLS handshake happens first (port 993, RFC 8314). */
    public static ImapClient connect(String host, int port, boolean implicitTls) {
        try {
            Socket plain = new Socket(host, port);
            plain.setSoTimeout(60_000);
            Socket s = implicitTls ? handshake(plain, host, port) : plain;
            return new ImapClient(host, s);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + host + ":" + port, e);
        }
    }

    public String greeting() {
        return greeting;
    }

    /** Sends STARTTLS and, on OK, performs the handshake (RFC 9051 §6.2.1). */
    public Reply startTls() {
        Reply reply = command("STARTTLS");
        if (reply.ok()) {
            try {
                use(handshake(socket, host, socket.getPort()));
            } catch (IOException e) {
                throw new UncheckedIOException("TLS handshake failed", e);
            }
        }
        return reply;
    }

    /** LOGIN with both arguments as quoted strings. */
    public Reply login(String user, String password) {
        return command("LOGIN " + quote(user) + " " + quote(password));
    }

    /** AUTHENTICATE PLAIN with the initial response (RFC 4959 SASL-IR), empty authorization identity. */
    public Reply authenticatePlain(String user, String password) {
        String ir = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
        return command("AUTHENTICATE PLAIN " + ir);
    }

    /** Sends one command with a fresh tag and reads up to its tagged completion. */
    public Reply command(String command) {
        String t = "t" + (++tag);
        try {
            out.write((t + " " + command + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            List<String> untagged = new ArrayList<>();
            while (true) {
                String line = readResponseLine();
                if (line == null) {
                    throw new IOException("connection closed by server after " + untagged);
                }
                if (line.startsWith(t + " ")) {
                    return new Reply(untagged, line);
                }
                untagged.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return whether the server closed the connection (after a BYE, say) */
    public boolean closedByServer() {
        try {
            return in.read() == -1;
        } catch (IOException e) {
            return true;
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** A response line with any literal {@code {n}} it ends with read and appended. */
    private String readResponseLine() throws IOException {
        StringBuilder full = new StringBuilder();
        String line = readLine();
        if (line == null) {
            return null;
        }
        full.append(line);
        while (line.endsWith("}") && line.lastIndexOf('{') >= 0) {
            int n = Integer.parseInt(line.substring(line.lastIndexOf('{') + 1, line.length() - 1));
            byte[] literal = in.readNBytes(n);
            full.append("\n").append(new String(literal, StandardCharsets.UTF_8));
            line = readLine();
            if (line == null) {
                break;
            }
            full.append(line);
        }
        return full.toString();
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    private void use(Socket s) throws IOException {
        this.socket = s;
        this.in = s.getInputStream();
        this.out = s.getOutputStream();
    }

    private static SSLSocket handshake(Socket plain, String host, int port) throws IOException {
        SSLSocket tls = (SSLSocket) SmtpClient.trustAll().getSocketFactory().createSocket(plain, host, port, true);
        tls.setUseClientMode(true);
        tls.startHandshake();
        return tls;
    }

    @Override
    public void close() {
        try {
            if (!socket.isClosed()) {
                try {
                    command("LOGOUT");
                } catch (UncheckedIOException ignored) {
                    // the server may have closed already
                }
            }
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
