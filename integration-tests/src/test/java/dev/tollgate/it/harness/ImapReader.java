package dev.tollgate.it.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Store;

import org.awaitility.Awaitility;

/**
 * Reads a user's INBOX over IMAPS (RFC 9051 / RFC 8314 implicit TLS) with JavaMail, as a mail client would.
 * Accepts the server's generated certificate.
 */
public final class ImapReader {
    private final String host;
    private final int port;
    private final String user;
    private final String password;

    ImapReader(String host, int port, String user, String password) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    /** @return every message of INBOX, raw (headers and body as sent over IMAP), oldest first */
    public List<String> messages() {
        Properties props = new Properties();
        props.put("mail.imaps.ssl.trust", "*");
        props.put("mail.imaps.ssl.checkserveridentity", "false");
        props.put("mail.imaps.connectiontimeout", "30000");
        props.put("mail.imaps.timeout", "30000");
        try {
            Store store = Session.getInstance(props).getStore("imaps");
            store.connect(host, port, user, password);
            try {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                List<String> raw = new ArrayList<>();
                for (Message m : inbox.getMessages()) {
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    m.writeTo(bytes);
                    raw.add(bytes.toString(StandardCharsets.UTF_8));
                }
                inbox.close(false);
                return raw;
            } finally {
                store.close();
            }
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("IMAP read for " + user + " failed", e);
        }
    }

    /*
     * The waits below retry a failed IMAP read: James's memory mailbox can answer "BAD FETCH failed. Invalid
     * messageset" when a delivery lands between SELECT and FETCH. A read failing until the timeout still fails.
     */

    /** Waits (up to {@code timeout}) until INBOX holds at least {@code count} messages, then returns them all. */
    public List<String> awaitMessages(int count, Duration timeout) {
        List<List<String>> seen = new ArrayList<>();
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsInstanceOf(IllegalStateException.class).until(() -> {
            List<String> now = messages();
            seen.add(0, now);
            return now.size() >= count;
        });
        return seen.get(0);
    }

    /** Waits for the first message whose raw text contains {@code marker}, and returns it. */
    public String awaitMessageContaining(String marker, Duration timeout) {
        String[] found = new String[1];
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsInstanceOf(IllegalStateException.class).until(() -> {
            for (String m : messages()) {
                if (m.contains(marker)) {
                    found[0] = m;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }
}
