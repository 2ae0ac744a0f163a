package dev.tollgate.bench.e2e;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * One message submitted in one SMTP session, as a mail client does on port 587: EHLO, STARTTLS (RFC 3207), EHLO,
 * AUTH PLAIN (RFC 4954), MAIL, RCPT, DATA, QUIT. AUTH is sent whether or not the server announces it: James's
 * distribution configuration does not announce AUTH to loopback clients (its {@code authorizedAddresses}) but
 * accepts it, and both servers must do the same work.
 */
final class Submission {
    private final String host;
    private final int port;
    private final SSLSocketFactory tls;
    private final String authPlain;
    private final int timeoutMillis;

    Submission(String host, int port, String user, String password, int timeoutMillis) {
        this.host = host;
        this.port = port;
        this.tls = trustingAll();
        this.authPlain = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * Submits {@code message} (CRLF line ends) from {@code from} to {@code to}.
     *
     * @throws IOException on a connection failure or any reply other than the expected one, naming the command
     */
    void submit(String from, String to, byte[] message) throws IOException {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(host, port), timeoutMillis);
            plain.setSoTimeout(timeoutMillis);
            plain.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(plain.getInputStream());
            OutputStream out = plain.getOutputStream();
            expect(in, "greeting", 220);
            command(out, "EHLO load.bench");
            expect(in, "EHLO", 250);
            command(out, "STARTTLS");
            expect(in, "STARTTLS", 220);
            try (SSLSocket secure = (SSLSocket) tls.createSocket(plain, host, port, true)) {
                secure.startHandshake();
                in = new BufferedInputStream(secure.getInputStream());
                out = new BufferedOutputStream(secure.getOutputStream(), 64 * 1024);
                command(out, "EHLO load.bench");
                expect(in, "EHLO after STARTTLS", 250);
                command(out, "AUTH PLAIN " + authPlain);
                expect(in, "AUTH", 235);
                command(out, "MAIL FROM:<" + from + ">");
                expect(in, "MAIL FROM", 250);
                command(out, "RCPT TO:<" + to + ">");
                expect(in, "RCPT TO", 250);
                command(out, "DATA");
                expect(in, "DATA", 354);
                writeDotStuffed(out, message);
                out.flush();
                expect(in, "end of DATA", 250);
                command(out, "QUIT");
                expect(in, "QUIT", 221);
            }
        }
    }

    private static void command(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Writes the message with lines starting with '.' doubled (RFC 5321 §4.5.2) and the final {@code CRLF.CRLF}. */
    static void writeDotStuffed(OutputStream out, byte[] message) throws IOException {
        boolean lineStart = true;
        int from = 0;
        for (int i = 0; i < message.length; i++) {
            if (lineStart && message[i] == '.') {
                out.write(message, from, i - from);
                out.write('.');
                from = i;
            }
            lineStart = message[i] == '\n';
        }
        out.write(message, from, message.length - from);
        boolean endsWithCrlf = message.length >= 2 && message[message.length - 2] == '\r'
                && message[message.length - 1] == '\n';
        out.write((endsWithCrlf ? ".\r\n" : "\r\n.\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** Reads one (possibly multi-line) reply and fails unless its code is {@code code}. */
    private static void expect(InputStream in, String step, int code) throws IOException {
        String line;
        StringBuilder reply = new StringBuilder();
        do {
            line = readLine(in);
            if (line == null) {
                throw new IOException(step + ": connection closed; reply so far: " + reply);
            }
            reply.append(line).append(' ');
        } while (line.length() > 3 && line.charAt(3) == '-');
        if (!line.startsWith(Integer.toString(code))) {
            throw new IOException(step + ": expected " + code + ", got: " + reply.toString().trim());
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.US_ASCII);
            }
            line.write(b);
        }
        return null;
    }

    /** The servers' certificates are self-signed ones James generated at start: the benchmark does not check them. */
    static SSLSocketFactory trustingAll() {
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
            return context.getSocketFactory();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
