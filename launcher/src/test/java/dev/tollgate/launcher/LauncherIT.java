package dev.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.Session;
import javax.mail.Store;
import javax.mail.Transport;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.apache.james.GuiceJamesServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * README command 1 stays true: the embedded launcher starts James with conf/ and the bundle on loopback,
 * a message submitted on the STARTTLS submission port with AUTH is readable over IMAPS with Tollgate's header.
 * Forked launchers (as {@code mvn -Prun} forks one) print their PID and stop James on SIGTERM, or when their
 * parent process ends.
 */
class LauncherIT {
    static final int PORT_BASE = 30000;
    static final Pattern PID = Pattern.compile("^\\s+Launcher PID\\s+(\\d+)\\s*$");
    static GuiceJamesServer server;

    @BeforeAll
    static void start() throws Exception {
        Path target = Paths.get("target");
        server = Launcher.start(Paths.get("..", "conf"), target.resolve("bundle/tollgate-dist-extensions-jars.zip"),
                target.resolve("it-james-home"), PORT_BASE);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /**
     * A launcher JVM started as exec-maven-plugin starts it, under a shell that stays its parent (as mvn does) and
     * waits for it: the shell's exit status is the launcher's. The launcher writes to a file: a pipe to this JVM
     * would be closed by the JDK as soon as the shell is gone or signalled through {@link Process}.
     */
    static final class Forked implements AutoCloseable {
        final Process shell;
        final Path log;
        long launcherPid = -1;

        Forked(int portBase) throws IOException {
            Path target = Paths.get("target").toAbsolutePath();
            log = target.resolve("it-forked-" + portBase + ".log");
            Files.deleteIfExists(log);
            List<String> command = new ArrayList<>(List.of("sh", "-c", "log=$1; shift; \"$@\" >\"$log\" 2>&1 & wait $!", "sh",
                    log.toString()));
            command.addAll(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dlogback.configurationFile=" + Paths.get("..", "conf", "logback.xml").toAbsolutePath(),
                    // conf/logback.xml writes the audit file under it, before the launcher sets it.
                    "-Dworking.directory=" + target.resolve("it-forked-home-" + portBase),
                    "-cp", System.getProperty("java.class.path"), Launcher.class.getName(),
                    "--conf=" + Paths.get("..", "conf").toAbsolutePath(),
                    "--bundle=" + target.resolve("bundle/tollgate-dist-extensions-jars.zip"),
                    "--home=" + target.resolve("it-forked-home-" + portBase), "--port-base=" + portBase,
                    "--stop-with-parent=true"));
            shell = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        }

        /** @return the first line of the launcher's output containing {@code text}, waiting at most {@code seconds} */
        String await(String text, int seconds) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            do {
                if (Files.exists(log)) {
                    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                        if (line.contains(text)) {
                            return line;
                        }
                    }
                }
                Thread.sleep(200);
            } while (System.nanoTime() < deadline);
            throw new AssertionError("no line with '" + text + "' within " + seconds + " s; output:\n"
                    + (Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(none)"));
        }

        ProcessHandle launcher() throws Exception {
            Matcher m = PID.matcher(await("Launcher PID", 240));
            assertThat(m.matches()).isTrue();
            launcherPid = Long.parseLong(m.group(1));
            ProcessHandle launcher = ProcessHandle.of(launcherPid).orElseThrow();
            assertThat(launcher.parent().map(ProcessHandle::pid)).hasValue(shell.pid());
            return launcher;
        }

        @Override
        public void close() {
            // a test that failed half-way must not leave a James behind (an orphaned launcher is no descendant)
            if (launcherPid > 1) {
                ProcessHandle.of(launcherPid).ifPresent(ProcessHandle::destroyForcibly);
            }
            shell.destroyForcibly();
        }
    }

    static boolean portFree(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void forkedLauncherPrintsItsPidAndSigtermStopsJamesCleanly() throws Exception {
        int base = 31000;
        try (Forked forked = new Forked(base)) {
            ProcessHandle launcher = forked.launcher();
            assertThat(forked.await(" Stop: ", 5)).contains("kill " + launcher.pid() + " (SIGTERM)")
                    .contains("kill " + forked.shell.pid() + " (mvn)");
            assertThat(forked.await("Security page (users)", 5)).endsWith("https://127.0.0.1:" + (base + 8443) + "/");
            assertThat(portFree(base + 587)).isFalse();
            assertThat(portFree(base + 8443)).isFalse();
            assertThat(launcher.destroy()).isTrue(); // SIGTERM
            assertThat(forked.shell.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(forked.shell.exitValue()).as("the launcher's exit status").isEqualTo(143);
            forked.await("Tollgate launcher: James stopped.", 5);
            forked.await("JAMES server stopped", 5);
            assertThat(portFree(base + 587)).isTrue();
            assertThat(portFree(base + 8000)).isTrue();
            assertThat(portFree(base + 8443)).isTrue();
        }
    }

    /** mvn's exec goal leaves its child running when mvn is killed: the launcher must notice and stop James. */
    @Test
    void forkedLauncherStopsJamesWhenItsParentEnds() throws Exception {
        int base = 32000;
        try (Forked forked = new Forked(base)) {
            ProcessHandle launcher = forked.launcher();
            assertThat(portFree(base + 587)).isFalse();
            forked.shell.toHandle().destroyForcibly(); // SIGKILL: the shell can pass nothing on, as a killed mvn
            assertThat(forked.shell.waitFor(10, TimeUnit.SECONDS)).isTrue();
            launcher.onExit().get(60, TimeUnit.SECONDS);
            forked.await("parent process " + forked.shell.pid() + " ended; stopping James.", 5);
            forked.await("JAMES server stopped", 5);
            forked.await("Tollgate launcher: James stopped.", 5);
            assertThat(portFree(base + 587)).isTrue();
            assertThat(portFree(base + 8000)).isTrue();
        }
    }

    /** The self-service security page answers over HTTPS (James's generated keystore) with its sign-in form. */
    @Test
    void securityPageAnswersOverHttps() throws Exception {
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509ExtendedTrustManager() {
            @Override public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) { }
            @Override public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) { }
            @Override public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a, java.net.Socket s) { }
            @Override public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a, java.net.Socket s) { }
            @Override public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a, javax.net.ssl.SSLEngine e) { }
            @Override public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a, javax.net.ssl.SSLEngine e) { }
            @Override public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        java.net.http.HttpResponse<String> page = java.net.http.HttpClient.newBuilder().sslContext(tls).build().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("https://127.0.0.1:" + (PORT_BASE + 8443) + "/"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("action=\"/signin\"");
        assertThat(page.headers().firstValue("content-security-policy").orElse("")).startsWith("default-src 'none'");
    }

    @Test
    void submittedMessageIsReadableOverImapsWithTheTransportHeader() throws Exception {
        Properties smtp = new Properties();
        smtp.put("mail.smtp.host", "127.0.0.1");
        smtp.put("mail.smtp.port", String.valueOf(PORT_BASE + 587));
        smtp.put("mail.smtp.auth", "true");
        smtp.put("mail.smtp.starttls.enable", "true");
        smtp.put("mail.smtp.starttls.required", "true");
        smtp.put("mail.smtp.ssl.trust", "*");
        smtp.put("mail.smtp.ssl.checkserveridentity", "false");
        Session session = Session.getInstance(smtp);
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("alice@" + Launcher.DEMO_DOMAIN));
        message.setRecipients(Message.RecipientType.TO, "bob@" + Launcher.DEMO_DOMAIN);
        message.setSubject("Launcher smoke test");
        message.setText("hello from the launcher test");
        Transport.send(message, "alice@" + Launcher.DEMO_DOMAIN, Launcher.DEMO_PASSWORD);

        Properties imap = new Properties();
        imap.put("mail.imaps.ssl.trust", "*");
        imap.put("mail.imaps.ssl.checkserveridentity", "false");
        String raw = null;
        for (int attempt = 0; attempt < 60 && raw == null; attempt++) {
            Store store = Session.getInstance(imap).getStore("imaps");
            store.connect("127.0.0.1", PORT_BASE + 993, "bob@" + Launcher.DEMO_DOMAIN, Launcher.DEMO_PASSWORD);
            try {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                for (Message m : inbox.getMessages()) {
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    m.writeTo(bytes);
                    if (bytes.toString(StandardCharsets.UTF_8).contains("Launcher smoke test")) {
                        raw = bytes.toString(StandardCharsets.UTF_8);
                    }
                }
                inbox.close(false);
            } finally {
                store.close();
            }
            if (raw == null) {
                Thread.sleep(500);
            }
        }
        assertThat(raw).isNotNull();
        assertThat(raw).contains("X-Tollgate-Transport: tls=yes").contains("port=" + (PORT_BASE + 587))
                .contains("user=alice@" + Launcher.DEMO_DOMAIN);
    }
}
