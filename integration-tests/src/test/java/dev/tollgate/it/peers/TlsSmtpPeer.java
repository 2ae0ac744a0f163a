package dev.tollgate.it.peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.security.Security;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A receiving MTA for the TLS delivery tests, run in a container of the base image from the test classes.
 * Logs every command line with whether TLS was active ({@code PEER TLS=no MAIL FROM:<...>}), so a test can
 * prove that nothing was sent in plain text.
 *
 * <p>Arguments: {@code <port> <dir> <mode> [pkcs12-keystore password]}. Modes:
 * <ul>
 *   <li>{@code plain}: no STARTTLS advertised;
 *   <li>{@code refuse454}: STARTTLS advertised, answered {@code 454 4.7.0 TLS not available} (RFC 3207 §4);
 *   <li>{@code drop}: STARTTLS answered 220, then the connection is closed during the handshake;
 *   <li>{@code tls10}: STARTTLS with TLS 1.0 only (RFC 8996 deprecates it);
 *   <li>{@code tls}: STARTTLS with the given key store (valid, wrong-name, self-signed or expired certificate);
 *   <li>{@code sni}: STARTTLS for several MX host names at once: the key store argument is a directory of
 *       {@code <host>.p12} files (same password) and the certificate is chosen by the client's SNI name, so one
 *       container can stand for many MX hosts (network aliases). The handshake line names the SNI.
 * </ul>
 */
public final class TlsSmtpPeer {
    private TlsSmtpPeer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path dir = Files.createDirectories(Paths.get(args[1]));
        String mode = args[2];
        if (mode.equals("tls10")) {
            // Java 17 disables TLS 1.0 by default; this peer must speak nothing else.
            Security.setProperty("jdk.tls.disabledAlgorithms", "");
        }
        SSLContext context = null;
        if (mode.equals("sni")) {
            context = SniKeys.context(Paths.get(args[3]), args[4].toCharArray());
        } else if (args.length >= 5) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(Paths.get(args[3]))) {
                ks.load(in, args[4].toCharArray());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, args[4].toCharArray());
            context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
        }
        AtomicInteger counter = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(port)) {
            System.out.println("PEER READY on " + port + " mode " + mode);
            System.out.flush();
            while (true) {
                Socket client = server.accept();
                SSLContext ctx = context;
                Thread t = new Thread(() -> new Session(client, dir, mode, ctx, counter).run());
                t.setDaemon(true);
                t.start();
            }
        }
    }

    private static final class Session {
        private final Socket plain;
        private final Path dir;
        private final String mode;
        private final SSLContext context;
        private final AtomicInteger counter;
        private Socket socket;
        private BufferedReader in;
        private OutputStream out;
        private boolean tls;

        Session(Socket plain, Path dir, String mode, SSLContext context, AtomicInteger counter) {
            this.plain = plain;
            this.dir = dir;
            this.mode = mode;
            this.context = context;
            this.counter = counter;
        }

        void run() {
            try (Socket s = plain) {
                use(s);
                log("CONNECT from " + s.getInetAddress().getHostAddress());
                reply("220 peer.test ESMTP test peer (" + mode + ")");
                String line;
                while ((line = in.readLine()) != null) {
                    log(line.toUpperCase(Locale.ROOT).startsWith("AUTH") ? "AUTH ***" : line);
                    String upper = line.toUpperCase(Locale.ROOT);
                    if (upper.startsWith("EHLO") || upper.startsWith("HELO")) {
                        boolean offer = !tls && !mode.equals("plain");
                        reply("250-peer.test\r\n250-8BITMIME\r\n" + (offer ? "250-STARTTLS\r\n" : "") + "250 PIPELINING");
                    } else if (upper.equals("STARTTLS")) {
                        if (tls || mode.equals("plain")) {
                            reply("503 5.5.1 STARTTLS not available");
                        } else if (mode.equals("refuse454")) {
                            reply("454 4.7.0 TLS not available due to temporary reason");
                        } else if (mode.equals("drop")) {
                            reply("220 2.0.0 go ahead");
                            log("DROP closing during handshake");
                            return;
                        } else {
                            reply("220 2.0.0 go ahead");
                            if (!handshake()) {
                                return;
                            }
                        }
                    } else if (upper.startsWith("MAIL FROM") || upper.startsWith("RCPT TO") || upper.equals("RSET")
                            || upper.equals("NOOP")) {
                        reply("250 OK");
                    } else if (upper.equals("DATA")) {
                        reply("354 go ahead");
                        StringBuilder message = new StringBuilder();
                        String data;
                        while ((data = in.readLine()) != null && !data.equals(".")) {
                            message.append(data.startsWith("..") ? data.substring(1) : data).append("\r\n");
                        }
                        int n = counter.incrementAndGet();
                        Files.writeString(dir.resolve(n + ".eml"), message.toString(), StandardCharsets.UTF_8);
                        log("STORED " + n);
                        reply("250 stored as " + n);
                    } else if (upper.equals("QUIT")) {
                        reply("221 bye");
                        return;
                    } else {
                        reply("502 5.5.2 not implemented");
                    }
                }
            } catch (IOException e) {
                log("connection error " + e);
            }
        }

        private boolean handshake() {
            try {
                SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket,
                        socket.getInetAddress().getHostAddress(), socket.getPort(), true);
                ssl.setUseClientMode(false);
                if (mode.equals("tls10")) {
                    ssl.setEnabledProtocols(new String[] {"TLSv1"});
                }
                ssl.startHandshake();
                use(ssl);
                tls = true;
                log("HANDSHAKE ok " + ssl.getSession().getProtocol() + " sni=" + SniKeys.requested(ssl.getSession()));
                return true;
            } catch (IOException e) {
                log("HANDSHAKE failed " + e);
                return false;
            }
        }

        private void use(Socket s) throws IOException {
            socket = s;
            in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            out = s.getOutputStream();
        }

        private void reply(String text) throws IOException {
            out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        private void log(String text) {
            System.out.println("PEER TLS=" + (tls ? "yes" : "no") + " " + text);
            System.out.flush();
        }
    }
}
