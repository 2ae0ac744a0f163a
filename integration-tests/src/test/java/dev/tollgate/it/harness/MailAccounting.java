package dev.tollgate.it.harness;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;

/**
 * The ledger of a load run: which messages the server accepted (250 after DATA, RFC 5321 §4.1.1.4), which it
 * refused (4xx/5xx at any step: refused, not lost), and where each accepted one ended up. Every accepted message
 * carries a unique {@value #HEADER} header; each (message, recipient) pair found in a mailbox, a mail
 * repository, a peer's store or a DSN is recorded in a named bucket, and {@link #report()} says which pairs are
 * missing, found more than once, or unknown.
 *
 * <p>A load runs in the background ({@link #startLoad}): a few concurrent connections, one authenticated
 * submission per message (587, STARTTLS, AUTH PLAIN), so a fault can be injected while it runs.
 */
public final class MailAccounting {
    /** The header naming each load message; also the key the buckets are filled by. */
    public static final String HEADER = "X-Load-Id";
    public static final String MAILBOX = "mailbox";
    public static final String DSN = "dsn";
    public static final String PEER = "peer";

    private static final Pattern LOAD_ID = Pattern.compile("(?im)^" + HEADER + ":\\s*(\\S+)");
    private static final Pattern FINAL_RECIPIENT = Pattern.compile("(?im)^Final-Recipient:\\s*rfc822;\\s*<?([^>\\s]+)>?");

    private final String run;
    private final Map<String, List<String>> accepted = new ConcurrentHashMap<>();
    private final Map<String, String> refused = new ConcurrentHashMap<>();
    private final Map<String, String> uncertain = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Integer>> buckets = new TreeMap<>();

    /** @param run a prefix making this run's ids unique (letters, digits, '-') */
    public MailAccounting(String run) {
        this.run = run;
    }

    /** @return the id of the {@code n}-th message of this run */
    public String id(int n) {
        return run + "-" + n;
    }

    /** What one message of a load is: its recipients and its bytes (which must carry {@code HEADER: id}). */
    public static final class Submission {
        final List<String> recipients;
        final byte[] message;

        public Submission(List<String> recipients, byte[] message) {
            this.recipients = List.copyOf(recipients);
            this.message = message;
        }
    }

    /** A running load; {@link #await} waits for its end. */
    public static final class Load {
        private final ExecutorService pool;
        private final List<Future<?>> tasks;
        private final AtomicInteger done;

        Load(ExecutorService pool, List<Future<?>> tasks, AtomicInteger done) {
            this.pool = pool;
            this.tasks = tasks;
            this.done = done;
        }

        /** @return submissions finished so far (accepted, refused or uncertain) */
        public int finished() {
            return done.get();
        }

        /** Waits for every submission to finish; a sender thread's unexpected failure fails here. */
        public void await(Duration timeout) throws Exception {
            long end = System.nanoTime() + timeout.toNanos();
            for (Future<?> f : tasks) {
                f.get(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            pool.shutdown();
        }
    }

    /**
     * Submits {@code messages} messages over {@code connections} concurrent connections, one message per
     * connection, to {@code james}'s port 587 as {@code user}.
     *
     * @param submission builds message {@code n} (0-based) given its id
     * @param pause      pause between two submissions of one connection (keeps the load spread over a fault)
     */
    public Load startLoad(JamesContainer james, String user, String password, int messages, int connections,
            Duration pause, BiFunction<Integer, String, Submission> submission) {
        return startLoad(james, user, password, 0, messages, connections, pause, submission);
    }

    /** As {@link #startLoad(JamesContainer, String, String, int, int, Duration, BiFunction)}, numbering from {@code first}. */
    public Load startLoad(JamesContainer james, String user, String password, int first, int messages, int connections,
            Duration pause, BiFunction<Integer, String, Submission> submission) {
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        int end = first + messages;
        AtomicInteger next = new AtomicInteger(first);
        AtomicInteger done = new AtomicInteger();
        List<Future<?>> tasks = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            tasks.add(pool.submit(() -> {
                for (int n; (n = next.getAndIncrement()) < end; ) {
                    String id = id(n);
                    submit(james, user, password, id, submission.apply(n, id));
                    done.incrementAndGet();
                    Thread.sleep(pause.toMillis());
                }
                return null;
            }));
        }
        return new Load(pool, tasks, done);
    }

    private void submit(JamesContainer james, String user, String password, String id, Submission s) {
        try (SmtpClient smtp = james.smtp(JamesContainer.SUBMISSION)) {
            smtp.ehlo("load.test");
            SmtpClient.Reply r = smtp.startTls();
            if (r.code != 220) {
                refused.put(id, "STARTTLS " + r);
                return;
            }
            smtp.ehlo("load.test");
            for (SmtpClient.Reply step : new SmtpClient.Reply[] {smtp.authPlain(user, password), smtp.mailFrom(user)}) {
                if (!step.positive()) {
                    refused.put(id, step.toString());
                    return;
                }
            }
            List<String> taken = new ArrayList<>();
            for (String rcpt : s.recipients) {
                if (smtp.rcptTo(rcpt).code == 250) {
                    taken.add(rcpt);
                }
            }
            if (taken.isEmpty()) {
                refused.put(id, "every RCPT refused");
                return;
            }
            SmtpClient.Reply end = smtp.data(s.message);
            if (end.code == 250) {
                accepted.put(id, taken);
            } else {
                refused.put(id, end.toString());
            }
        } catch (UncheckedIOException e) {
            // The connection broke before a final reply: the server may or may not have taken the message.
            uncertain.put(id, String.valueOf(e.getCause()));
        }
    }

    /** Forgets every pair found so far (before counting the stores again). */
    public synchronized void clearFound() {
        buckets.clear();
    }

    /** @return whether James has a mail repository at {@code repositoryUrl} (memory repositories appear on first use) */
    public static boolean repositoryExists(WebAdmin webAdmin, String repositoryUrl) {
        String path = repositoryUrl.replaceFirst("^[a-z0-9]+://", "").replaceAll("/+$", "");
        return webAdmin.send("GET", "/mailRepositories", null).body().contains("\"" + path + "\"");
    }

    /** Records one (id, recipient) pair found in {@code bucket}. */
    public synchronized void found(String bucket, String id, String recipient) {
        buckets.computeIfAbsent(bucket, b -> new TreeMap<>())
                .merge(id + " " + recipient.toLowerCase(Locale.ROOT), 1, Integer::sum);
    }

    /**
     * Reads each user's INBOX: a delivery status notification (multipart/report, RFC 3464) counts its
     * {@code Final-Recipient}s in {@link #DSN} (the bounced message's id from the returned content); any other
     * message counts in {@link #MAILBOX} for that user.
     */
    public void countMailboxes(JamesContainer james, Map<String, String> usersAndPasswords) {
        for (Map.Entry<String, String> user : usersAndPasswords.entrySet()) {
            List<String> messages = readInbox(james, user.getKey(), user.getValue());
            for (String raw : messages) {
                String headers = headers(raw);
                boolean dsn = headers.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ")
                        .matches("(?s).*content-type: multipart/report;.*report-type=\"?delivery-status.*");
                if (dsn) {
                    Matcher id = LOAD_ID.matcher(raw);
                    String original = id.find() ? id.group(1) : "?";
                    Matcher r = FINAL_RECIPIENT.matcher(raw);
                    while (r.find()) {
                        found(DSN, original, r.group(1));
                    }
                } else {
                    Matcher id = LOAD_ID.matcher(headers);
                    if (id.find()) {
                        found(MAILBOX, id.group(1), user.getKey());
                    }
                }
            }
        }
    }

    private static List<String> readInbox(JamesContainer james, String user, String password) {
        IllegalStateException last = null;
        // James's memory mailbox may answer one FETCH with BAD while a delivery lands: read again.
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return james.imap(user, password).messages();
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Counts every mail of a James mail repository (e.g. {@code memory://var/mail/error/}) in {@code bucket}. */
    public void countRepository(WebAdmin webAdmin, String repositoryUrl, String bucket) {
        for (String key : webAdmin.mailKeys(repositoryUrl)) {
            Matcher id = LOAD_ID.matcher(headers(webAdmin.mailContent(repositoryUrl, key)));
            String loadId = id.find() ? id.group(1) : "?" + key;
            JsonNode details = webAdmin.mailDetails(repositoryUrl, key);
            for (JsonNode rcpt : details.path("recipients")) {
                found(bucket, loadId, rcpt.asText());
            }
        }
    }

    /**
     * Counts the messages a peer stored as {@code <dir>/<n>.eml} whose header block starts with one
     * {@code X-Peer-Rcpt: <address>} line per envelope recipient (as {@code FaultySmtpPeer} writes them).
     */
    public void countPeer(GenericContainer<?> peer, String dir) throws Exception {
        ExecResult r = peer.execInContainer("sh", "-c", "for f in " + dir + "/*.eml; do [ -e \"$f\" ] || continue; "
                + "sed -n '/^\\r\\?$/q;p' \"$f\" | grep -i -E '^(X-Peer-Rcpt|" + HEADER + "):' | tr -d '\\r' "
                + "| sed \"s|^|$f |\"; done");
        if (r.getExitCode() != 0) {
            throw new IllegalStateException("cannot list the peer's store: " + r.getStderr());
        }
        Map<String, List<String>> rcpts = new TreeMap<>();
        Map<String, String> ids = new TreeMap<>();
        for (String line : r.getStdout().split("\n")) {
            String[] f = line.split(" ", 3);
            if (f.length < 3) {
                continue;
            }
            if (f[1].equalsIgnoreCase("X-Peer-Rcpt:")) {
                rcpts.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f[2].trim());
            } else {
                ids.put(f[0], f[2].trim());
            }
        }
        for (Map.Entry<String, List<String>> file : rcpts.entrySet()) {
            for (String rcpt : file.getValue()) {
                found(PEER, ids.getOrDefault(file.getKey(), "?" + file.getKey()), rcpt);
            }
        }
    }

    private static String headers(String raw) {
        int end = raw.indexOf("\r\n\r\n");
        if (end < 0) {
            end = raw.indexOf("\n\n");
        }
        return end < 0 ? raw : raw.substring(0, end);
    }

    /** @return the accounting of every accepted (message, recipient) pair against the buckets filled so far */
    public synchronized Report report() {
        Map<String, Integer> total = new TreeMap<>();
        Map<String, Integer> perBucket = new TreeMap<>();
        for (Map.Entry<String, Map<String, Integer>> b : buckets.entrySet()) {
            int n = 0;
            for (Map.Entry<String, Integer> e : b.getValue().entrySet()) {
                total.merge(e.getKey(), e.getValue(), Integer::sum);
                n += e.getValue();
            }
            perBucket.put(b.getKey(), n);
        }
        List<String> expected = new ArrayList<>();
        accepted.forEach((id, rcpts) -> rcpts.forEach(r -> expected.add(id + " " + r.toLowerCase(Locale.ROOT))));
        Collections.sort(expected);
        List<String> missing = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        for (String key : expected) {
            int n = total.getOrDefault(key, 0);
            if (n == 0) {
                missing.add(key);
            } else if (n > 1) {
                duplicated.add(key + " x" + n + " " + where(key));
            }
        }
        List<String> unknown = new ArrayList<>(total.keySet());
        unknown.removeAll(expected);
        return new Report(accepted.size(), expected.size(), new TreeMap<>(refused), new TreeMap<>(uncertain),
                perBucket, missing, duplicated, unknown);
    }

    private String where(String key) {
        List<String> in = new ArrayList<>();
        buckets.forEach((b, keys) -> {
            if (keys.containsKey(key)) {
                in.add(b + "=" + keys.get(key));
            }
        });
        return in.toString();
    }

    /** @return the bucket's (id, recipient) pairs, each as "id recipient" with its count */
    public synchronized Map<String, Integer> bucket(String name) {
        return new TreeMap<>(buckets.getOrDefault(name, Map.of()));
    }

    /** The end of a run: counts and the pairs that break "each accepted pair exactly once". */
    public static final class Report {
        public final int acceptedMessages;
        public final int acceptedPairs;
        public final Map<String, String> refused;
        public final Map<String, String> uncertain;
        public final Map<String, Integer> perBucket;
        public final List<String> missing;
        public final List<String> duplicated;
        public final List<String> unknown;

        Report(int acceptedMessages, int acceptedPairs, Map<String, String> refused, Map<String, String> uncertain,
                Map<String, Integer> perBucket, List<String> missing, List<String> duplicated, List<String> unknown) {
            this.acceptedMessages = acceptedMessages;
            this.acceptedPairs = acceptedPairs;
            this.refused = refused;
            this.uncertain = uncertain;
            this.perBucket = perBucket;
            this.missing = missing;
            this.duplicated = duplicated;
            this.unknown = unknown;
        }

        /** @return pairs found in the buckets, all buckets together */
        public int foundPairs() {
            return perBucket.values().stream().mapToInt(Integer::intValue).sum();
        }

        @Override
        public String toString() {
            return "accepted messages=" + acceptedMessages + " pairs=" + acceptedPairs + " refused=" + refused.size()
                    + " uncertain=" + uncertain.size() + " found=" + perBucket + " missing=" + missing.size()
                    + " duplicated=" + duplicated.size() + " unknown=" + unknown.size()
                    + (missing.isEmpty() ? "" : "\n  missing " + missing)
                    + (duplicated.isEmpty() ? "" : "\n  duplicated " + duplicated)
                    + (unknown.isEmpty() ? "" : "\n  unknown " + unknown)
                    + (refused.isEmpty() ? "" : "\n  refused " + refused)
                    + (uncertain.isEmpty() ? "" : "\n  uncertain " + uncertain);
        }
    }

    /** Builds a text message carrying {@code HEADER: id} and a unique Message-ID. */
    public static byte[] textMessage(String id, String from, List<String> to, String subject) {
        return Messages.text(from, String.join(", ", to), subject + " " + id, "load message " + id,
                HEADER + ": " + id);
    }
}
