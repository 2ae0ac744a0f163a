package dev.tollgate.it.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A plain SMTP client (RFC 5321) for tests that need to see every reply code: EHLO, STARTTLS (RFC 3207),
 * AUTH PLAIN (RFC 4616), MAIL, RCPT, DATA with dot-stuffing. Trusts any server certificate: the servers
 * under test use generated certificates, and certificate checking is not what these tests are about.
 */
public final class SmtpClient implements AutoCloseable {
    /** One SMTP reply: the code and the text of all its lines. */
    public static final class Reply {
        public final int code;
        public final String text;

        Reply(int code, String text) {
            this.code = code;
            this.text = text;
        }

        public boolean positive() {
            return code >= 200 && code < 400;
        }

        @Override
        public String toString() {
            return code + " " + text;
        }
    }

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final String host;
    private final Reply greeting;

    private SmtpClient(String host, Socket socket) throws IOException {
        this.host = host;
        use(socket);
        this.greeting = read();
    }

    /** Connects; with {@code implicitTls} the TLS handshake happens first (port 465, RFC 8314). */
    public static SmtpClient connect(String host, int port, boolean implicitTls) {
        try {
            Socket plain = new Socket(host, port);
            plain.setSoTimeout(60_000);
            Socket socket = implicitTls ? handshake(plain, host, port) : plain;
            return new SmtpClient(host, socket);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + host + ":" + port, e);
        }
    }

    public Reply greeting() {
        return greeting;
    }

    public Reply ehlo(String name) {
        return command("EHLO " + name);
    }

    /** Sends STARTTLS and, on 220, performs the handshake. The caller must EHLO again. */
    public Reply startTls() {
        Reply reply = command("STARTTLS");
        if (reply.code == 220) {
            try {
                use(handshake(socket, host, socket.getPort()));
            } catch (IOException e) {
                throw new UncheckedIOException("TLS handshake failed", e);
            }
        }
        return reply;
    }

    public boolean isTls() {
        return socket instanceof SSLSocket;
    }

    public Reply authPlain(String user, String password) {
        String token = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
        return command("AUTH PLAIN " + token);
    }

    public Reply mailFrom(String address) {
        return command("MAIL FROM:<" + address + ">");
    }

    public Reply rcptTo(String address) {
        return command("RCPT TO:<" + address + ">");
    }

    /**
     * Sends DATA then the message. Bare LF line ends become CRLF; lines starting with '.' are dot-stuffed.
     *
     * @return the reply after the final dot (or the reply to DATA when it was refused)
     */
    public Reply data(byte[] message) {
        Reply go = command("DATA");
        if (go.code != 354) {
            return go;
        }
        try {
            ByteArrayOutputStream body = new ByteArrayOutputStream(message.length + 64);
            boolean lineStart = true;
            for (int i = 0; i < message.length; i++) {
                byte b = message[i];
                if (lineStart && b == '.') {
                    body.write('.');
                }
                if (b == '\n' && (i == 0 || message[i - 1] != '\r')) {
                    body.write('\r');
                }
                body.write(b);
                lineStart = b == '\n';
            }
            if (!lineStart) {
                body.write('\r');
                body.write('\n');
            }
            body.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(body.toByteArray());
            out.flush();
            return read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Reply data(String message) {
        return data(message.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends one command line and reads the reply. */
    public Reply command(String line) {
        try {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return read();
        } catch (IOException e) {
            throw new UncheckedIOException("SMTP command failed: " + line.split(" ")[0], e);
        }
    }

    @Override
    public void close() {
        try {
            if (!socket.isClosed()) {
                try {
                    command("QUIT");
                } catch (UncheckedIOException ignored) {
                    // the server may have closed already
                }
            }
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    private void use(Socket s) throws IOException {
        this.socket = s;
        this.in = s.getInputStream();
        this.out = s.getOutputStream();
    }

    private Reply read() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line == null) {
                throw new IOException("connection closed by server after " + lines);
            }
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() < 4 || line.charAt(3) != '-') {
                int code = Integer.parseInt(line.substring(0, 3));
                return new Reply(code, String.join("\n", lines));
            }
        }
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

    private static SSLSocket handshake(Socket plain, String host, int port) throws IOException {
        SSLSocket tls = (SSLSocket) trustAll().getSocketFactory().createSocket(plain, host, port, true);
        tls.setUseClientMode(true);
        tls.startHandshake();
        return tls;
    }

    /** A TLS context that trusts any server certificate (test servers use self-signed ones); never for real use. */
    public static SSLContext trustAll() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
