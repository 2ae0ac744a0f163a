package dev.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Properties;

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
 */
class LauncherIT {
    static final int PORT_BASE = 30000;
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
