package dev.tollgate.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Fetches the certificate chain an SMTP server presents after STARTTLS (RFC 3207), so that {@code tollgate
 * tls-policy} can say which TLSA record it matches. The chain is only collected here, never trusted: the caller
 * matches it against DNSSEC-validated TLSA records ({@code DaneTlsaMatcher}). Sends EHLO, STARTTLS (with SNI
 * naming the MX host), completes the handshake and QUITs; nothing else. At most 100 reply lines per command.
 */
final class StartTlsProbe {
    private static final int MAX_LINES = 100;

    private StartTlsProbe() {
    }

    /**
     * @param address where the MX host listens
     * @param port    the SMTP port (25)
     * @param mxHost  the MX host name, sent as SNI
     * @param timeout connect and read timeout each
     * @return the chain as presented, leaf first
     * @throws IOException when the server cannot be reached, does not offer STARTTLS or the handshake fails
     */
    static X509Certificate[] chain(InetAddress address, int port, String mxHost, Duration timeout) throws IOException {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), millis);
            socket.setSoTimeout(millis);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            reply(in, "220", "greeting");
            send(out, "EHLO tollgate-tls-policy.invalid");
            List<String> ehlo = reply(in, "250", "EHLO");
            if (ehlo.stream().noneMatch(l -> l.length() > 4 && l.substring(4).trim().toUpperCase(Locale.ROOT)
                    .equals("STARTTLS"))) {
                throw new IOException("the server does not offer STARTTLS");
            }
            send(out, "STARTTLS");
            reply(in, "220", "STARTTLS");
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new Collecting()}, null);
            try (SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket, mxHost, port, true)) {
                SSLParameters parameters = ssl.getSSLParameters();
                try {
                    parameters.setServerNames(List.of(new SNIHostName(mxHost)));
                } catch (IllegalArgumentException e) {
                    // not a valid SNI name: send none
                }
                ssl.setSSLParameters(parameters);
                ssl.startHandshake();
                Certificate[] peer = ssl.getSession().getPeerCertificates();
                X509Certificate[] chain = new X509Certificate[peer.length];
                for (int i = 0; i < peer.length; i++) {
                    chain[i] = (X509Certificate) peer[i];
                }
                try {
                    send(ssl.getOutputStream(), "QUIT");
                } catch (IOException e) {
                    // the chain is what was needed
                }
                return chain;
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("no TLS client available: " + e.getMessage(), e);
        }
    }

    private static void send(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static List<String> reply(BufferedReader in, String code, String what) throws IOException {
        List<String> lines = new java.util.ArrayList<>();
        while (lines.size() < MAX_LINES) {
            String line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed during " + what);
            }
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                if (!line.startsWith(code)) {
                    throw new IOException(what + " answered: " + line);
                }
                return lines;
            }
        }
        throw new IOException(what + " reply longer than " + MAX_LINES + " lines");
    }

    /** Accepts any chain: it is authenticated afterwards against the TLSA records, not here. */
    private static final class Collecting implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("client certificates are not checked here");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // collected only; matched against TLSA records by the caller
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
