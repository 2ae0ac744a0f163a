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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A receiving MTA with STARTTLS that breaks connections on purpose, for the fault tests. Every stored message
 * is {@code <dir>/<n>.eml}, its header block preceded by one {@code X-Peer-Rcpt: <address>} line per envelope
 * recipient, so a test can count each (message, recipient) it received.
 *
 * <p>Arguments: {@code <port> <dir> <keys> <password> <dropEvery>[:<maxDrops>] [<alwaysDropDomain>]}. {@code keys}
 * is a PKCS12 file, or a directory of {@code <host>.p12} files chosen by the client's SNI name. With
 * {@code dropEvery} k &gt; 0, every k-th connection is broken, the first {@code maxDrops} of them only when given:
 * alternately right after the TLS handshake (before the client's second EHLO is answered) and in the middle of DATA
 * (after some message lines, before the final dot, so the client never gets a reply and the message is not
 * stored). A client that tries each message more than {@code maxDrops} times thus delivers every message: retries
 * that come in lock-step with other mail can otherwise land on every k-th connection each time. Mail to
 * {@code alwaysDropDomain} is
 * broken in the middle of DATA on every connection. Log lines: {@code PEER CONNECT n}, {@code PEER DROP
 * after-starttls n}, {@code PEER DROP mid-data n}, {@code PEER STORED n}, {@code PEER TLS=no MAIL FROM...} for
 * any command received before TLS.
 */
public final class FaultySmtpPeer {
    private FaultySmtpPeer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path dir = Files.createDirectories(Paths.get(args[1]));
        Path keys = Paths.get(args[2]);
        char[] password = args[3].toCharArray();
        String[] drops = args[4].split(":", 2);
        int dropEvery = Integer.parseInt(drops[0]);
        int maxDrops = drops.length > 1 ? Integer.parseInt(drops[1]) : Integer.MAX_VALUE;
        String alwaysDrop = args.length > 5 ? "@" + args[5].toLowerCase(Locale.ROOT) : null;
        SSLContext context;
        if (Files.isDirectory(keys)) {
            context = SniKeys.context(keys, password);
        } else {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keys)) {
                ks.load(in, password);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
        }
        AtomicInteger connections = new AtomicInteger();
        AtomicInteger stored = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(port)) {
            System.out.println("PEER READY on " + port + " dropEvery " + args[4]);
            System.out.flush();
            while (true) {
                Socket client = server.accept();
                int n = connections.incrementAndGet();
                String drop = dropEvery > 0 && n % dropEvery == 0 && n / dropEvery <= maxDrops
                        ? ((n / dropEvery) % 2 == 1 ? "after-starttls" : "mid-data") : "none";
                Session s = new Session(client, dir, context, n, drop, alwaysDrop, stored);
                Thread t = new Thread(s::run);
                t.setDaemon(true);
                t.start();
            }
        }
    }

    private static final class Session {
        private final Socket plain;
        private final Path dir;
        private final SSLContext context;
        private final int n;
        private final String drop;
        private final String alwaysDrop;
        private final AtomicInteger stored;
        private final List<String> rcpts = new ArrayList<>();
        private BufferedReader in;
        private OutputStream out;
        private boolean tls;

        Session(Socket plain, Path dir, SSLContext context, int n, String drop, String alwaysDrop, AtomicInteger stored) {
            this.plain = plain;
            this.dir = dir;
            this.context = context;
            this.n = n;
            this.drop = drop;
            this.alwaysDrop = alwaysDrop;
            this.stored = stored;
        }

        void run() {
            try (Socket s = plain) {
                s.setSoTimeout(120_000);
                use(s);
                log("CONNECT " + n);
                reply("220 peer.test ESMTP faulty test peer");
                String line;
                while ((line = in.readLine()) != null) {
                    String upper = line.toUpperCase(Locale.ROOT);
                    if (!tls) {
                        log("TLS=no " + line);
                    }
                    if (upper.startsWith("EHLO") || upper.startsWith("HELO")) {
                        if (tls && drop.equals("after-starttls")) {
                            log("DROP after-starttls " + n);
                            return;
                        }
                        reply("250-peer.test\r\n250-8BITMIME\r\n" + (tls ? "" : "250-STARTTLS\r\n") + "250 PIPELINING");
                    } else if (upper.equals("STARTTLS") && !tls) {
                        reply("220 2.0.0 go ahead");
                        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(s,
                                s.getInetAddress().getHostAddress(), s.getPort(), true);
                        ssl.setUseClientMode(false);
                        ssl.startHandshake();
                        use(ssl);
                        tls = true;
                        log("HANDSHAKE ok " + n + " sni=" + SniKeys.requested(ssl.getSession()));
                    } else if (upper.startsWith("MAIL FROM") || upper.equals("RSET") || upper.equals("NOOP")) {
                        if (upper.startsWith("MAIL FROM")) {
                            rcpts.clear();
                        }
                        reply("250 OK");
                    } else if (upper.startsWith("RCPT TO")) {
                        rcpts.add(line.replaceFirst("(?i)^RCPT TO:\\s*<([^>]*)>.*$", "$1"));
                        reply("250 OK");
                    } else if (upper.equals("DATA")) {
                        if (!data()) {
                            return;
                        }
                    } else if (upper.equals("QUIT")) {
                        reply("221 bye");
                        return;
                    } else {
                        reply("502 5.5.2 not implemented");
                    }
                }
            } catch (IOException e) {
                log("connection error " + n + " " + e);
            }
        }

        /** @return false when the connection was dropped on purpose */
        private boolean data() throws IOException {
            reply("354 go ahead");
            boolean breakIt = drop.equals("mid-data")
                    || alwaysDrop != null && rcpts.stream().anyMatch(r -> r.toLowerCase(Locale.ROOT).endsWith(alwaysDrop));
            StringBuilder message = new StringBuilder();
            for (String r : rcpts) {
                message.append("X-Peer-Rcpt: ").append(r).append("\r\n");
            }
            int lines = 0;
            String data;
            while ((data = in.readLine()) != null && !data.equals(".")) {
                message.append(data.startsWith("..") ? data.substring(1) : data).append("\r\n");
                if (breakIt && ++lines == 3) {
                    log("DROP mid-data " + n);
                    return false;
                }
            }
            if (data == null) {
                return false;
            }
            int k = stored.incrementAndGet();
            Files.writeString(dir.resolve(k + ".eml"), message.toString(), StandardCharsets.UTF_8);
            log("STORED " + k);
            reply("250 stored as " + k);
            return true;
        }

        private void use(Socket s) throws IOException {
            in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            out = s.getOutputStream();
        }

        private void reply(String text) throws IOException {
            out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        private void log(String text) {
            System.out.println("PEER " + text);
            System.out.flush();
        }
    }
}
