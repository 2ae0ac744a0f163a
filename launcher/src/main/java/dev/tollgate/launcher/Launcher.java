package dev.tollgate.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.apache.james.GuiceJamesServer;
import org.apache.james.MemoryJamesConfiguration;
import org.apache.james.MemoryJamesServerMain;
import org.apache.james.modules.RunArgumentsModule;

/**
 * Starts Apache James 3.8.1 (memory server) in this JVM with Tollgate deployed as an administrator
 * would: the project's {@code conf/} copied into a James home, the drop-in bundle unpacked into
 * {@code extensions-jars/}. Every listener is rebound to 127.0.0.1 on {@code port-base + port}
 * (e.g. 587 becomes 20587), WebAdmin to {@code port-base + 8000}, the link redirector to {@code port-base + 8480}, the self-service security page to {@code port-base + 8443}. A demo domain and two users are
 * created through WebAdmin, then the ports and this JVM's PID are printed.
 *
 * <p>Stopping: SIGINT (Ctrl-C) or SIGTERM to this JVM stops James through a shutdown hook (exit status 130 or
 * 143). With {@code --stop-with-parent=true} (what {@code mvn -Prun} passes) the launcher also stops James and
 * exits when its parent process ends: exec-maven-plugin's {@code exec} goal does not stop its child when mvn
 * itself is terminated, so without this a SIGTERM to mvn would leave James running as an orphan.
 *
 * <p>Arguments: {@code --conf=DIR [--bundle=ZIP] --home=DIR [--port-base=N] [--stop-with-parent=true|false]}.
 * Without {@code --bundle}, {@code extensions-jars/} stays empty: with James's own distribution configuration
 * as {@code --conf} (the {@code conf/} of {@code james-server-memory-app-3.8.1.zip}) this is stock James, moved to
 * the same loopback ports and given the same demo users, which is what the end-to-end benchmark compares
 * Tollgate against. Such a configuration also enables JMAP and JMX; when enabled they are moved too (JMAP to
 * {@code port-base + 80}, JMX to 127.0.0.1 on {@code port-base + 9999}).
 */
public final class Launcher {
    static final String DEMO_DOMAIN = "demo.test";
    static final String DEMO_PASSWORD = "tollgate-demo";
    private static final Pattern BIND = Pattern.compile("<bind>\\s*[^<:]+:(\\d+)\\s*</bind>");
    /** How often the parent process is checked with {@code --stop-with-parent=true}. */
    static final long PARENT_CHECK_MILLIS = 500;

    private Launcher() {
    }

    /** Files Tollgate generates in {@code conf/} at first start, kept when the home is prepared again. */
    static final List<String> GENERATED_SECRETS = List.of("tollgate-mfa.key", "tollgate-links.keys");

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        String stopWithParent = options.getOrDefault("stop-with-parent", "false");
        if (!stopWithParent.equals("true") && !stopWithParent.equals("false")) {
            throw new IllegalArgumentException("--stop-with-parent: must be true or false, was " + stopWithParent);
        }
        ProcessHandle parent = stopWithParent.equals("true") ? ProcessHandle.current().parent().orElse(null) : null;
        if (parent != null) {
            // Watch from the start: mvn may end while James is still starting.
            watchParent(parent);
        }
        GuiceJamesServer server;
        try {
            server = start(
                    Paths.get(require(options, "conf")),
                    options.containsKey("bundle") ? Paths.get(require(options, "bundle")) : null,
                    Paths.get(require(options, "home")), Integer.parseInt(options.getOrDefault("port-base", "20000")),
                    parent);
        } catch (Exception e) {
            // Threads James or the redirector already started are not daemons: exit, or the JVM would hang.
            System.err.println("Tollgate launcher: James did not start: " + e);
            e.printStackTrace();
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            System.out.println("Tollgate launcher: James stopped.");
            System.out.flush();
        }, "james-shutdown"));
        Thread.currentThread().join();
    }

    /**
     * Exits (stopping James through the shutdown hook) once {@code parent} has ended. A process that is not our
     * child cannot be waited for, so it is polled; {@link ProcessHandle#isAlive()} also compares start times,
     * so a reused PID does not count as the parent.
     */
    static void watchParent(ProcessHandle parent) {
        Thread watch = new Thread(() -> {
            try {
                while (parent.isAlive()) {
                    Thread.sleep(PARENT_CHECK_MILLIS);
                }
            } catch (InterruptedException e) {
                return;
            }
            System.out.println("Tollgate launcher: parent process " + parent.pid() + " ended; stopping James.");
            System.out.flush();
            System.exit(0);
        }, "tollgate-parent-watch");
        watch.setDaemon(true);
        watch.start();
    }

    /**
     * Prepares the James home, starts James, creates the demo domain and users, prints the banner.
     *
     * @param bundle the drop-in bundle unpacked into {@code extensions-jars/}, or null for none (stock James)
     * @return the running server; the caller stops it
     */
    public static GuiceJamesServer start(Path conf, Path bundle, Path home, int portBase) throws Exception {
        return start(conf, bundle, home, portBase, null);
    }

    /** As {@link #start(Path, Path, Path, int)}; {@code watchedParent}, when not null, is named in the banner. */
    static GuiceJamesServer start(Path conf, Path bundle, Path home, int portBase, ProcessHandle watchedParent)
            throws Exception {
        conf = conf.toAbsolutePath().normalize();
        bundle = bundle == null ? null : bundle.toAbsolutePath().normalize();
        home = home.toAbsolutePath().normalize();
        requireFreePorts(portBase);
        prepareHome(conf, bundle, home, portBase);
        System.setProperty("working.directory", home.toString());

        GuiceJamesServer server = MemoryJamesServerMain.createServer(
                        MemoryJamesConfiguration.builder().workingDirectory(home.toFile()).build())
                .overrideWith(new RunArgumentsModule(new String[] {"--generate-keystore"}));
        server.start();
        int webadmin = portBase + 8000;
        try {
            provision(webadmin);
        } catch (IOException | RuntimeException e) {
            server.stop();
            throw e;
        }
        printBanner(home, portBase, webadmin, watchedParent, bundle != null);
        return server;
    }

    /** Fails with the port's name and how to move when a port James would bind is taken. */
    static void requireFreePorts(int portBase) {
        int[] ports = {25, 465, 587, 143, 993, 8000, 8443};
        String[] names = {"SMTP", "submission (implicit TLS)", "submission (STARTTLS)", "IMAP", "IMAPS", "WebAdmin",
            "security page"};
        for (int i = 0; i < ports.length; i++) {
            int port = portBase + ports[i];
            try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
                probe.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            } catch (IOException e) {
                throw new IllegalStateException("port " + port + " (" + names[i] + ") on 127.0.0.1 is in use: stop what "
                        + "holds it, or choose other ports with -Dtollgate.portBase=N (ports become N+25, N+587, ...)", e);
            }
        }
    }

    static void prepareHome(Path conf, Path bundle, Path home, int portBase) throws IOException {
        if (!Files.isDirectory(conf)) {
            throw new IllegalArgumentException("--conf: not a directory: " + conf);
        }
        if (bundle != null && !Files.isRegularFile(bundle)) {
            throw new IllegalArgumentException("--bundle: no such file: " + bundle + " (build it with mvn package)");
        }
        // Secrets generated at first start are kept across launches: without the MFA store key the enrolments
        // stored under var/ become unreadable, and without the link keys every rewritten link already delivered
        // is refused by the redirector.
        Map<String, byte[]> kept = new LinkedHashMap<>();
        for (String name : GENERATED_SECRETS) {
            Path file = home.resolve("conf").resolve(name);
            if (Files.isRegularFile(file)) {
                kept.put(name, Files.readAllBytes(file));
            }
        }
        deleteRecursively(home.resolve("conf"));
        deleteRecursively(home.resolve("extensions-jars"));
        Files.createDirectories(home.resolve("conf"));
        for (Map.Entry<String, byte[]> secret : kept.entrySet()) {
            if (Files.exists(conf.resolve(secret.getKey()))) {
                continue;
            }
            Path file = home.resolve("conf").resolve(secret.getKey());
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            }
            Files.write(file, secret.getValue());
        }
        try (Stream<Path> files = Files.list(conf)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    Files.copy(file, home.resolve("conf").resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        rebind(home.resolve("conf/smtpserver.xml"), portBase);
        rebind(home.resolve("conf/imapserver.xml"), portBase);
        Path webadmin = home.resolve("conf/webadmin.properties");
        String properties = Files.readString(webadmin, StandardCharsets.UTF_8);
        properties = setProperty(properties, "host", "127.0.0.1", webadmin);
        properties = setProperty(properties, "port", String.valueOf(portBase + 8000), webadmin);
        Files.writeString(webadmin, properties, StandardCharsets.UTF_8);
        Path links = home.resolve("conf/tollgate-links.properties");
        if (Files.exists(links)) {
            int redirector = portBase + 8480;
            String linkProperties = Files.readString(links, StandardCharsets.UTF_8);
            linkProperties = setProperty(linkProperties, "bindAddress", "127.0.0.1", links);
            linkProperties = setProperty(linkProperties, "port", String.valueOf(redirector), links);
            Files.writeString(links, linkProperties, StandardCharsets.UTF_8);
            Path mailets = home.resolve("conf/mailetcontainer.xml");
            // every RewriteLinks of the file (transport, and dlp-released for mail released from the DLP quarantine)
            Files.writeString(mailets, replaceEvery(Files.readString(mailets, StandardCharsets.UTF_8),
                    "<redirectorUrl>http://localhost:8480</redirectorUrl>",
                    "<redirectorUrl>http://127.0.0.1:" + redirector + "</redirectorUrl>", mailets), StandardCharsets.UTF_8);
        }
        Path page = home.resolve("conf/tollgate-selfservice.properties");
        if (Files.exists(page)) {
            String pageProperties = Files.readString(page, StandardCharsets.UTF_8);
            pageProperties = setProperty(pageProperties, "bind", "127.0.0.1", page);
            pageProperties = setProperty(pageProperties, "port", String.valueOf(portBase + 8443), page);
            Files.writeString(page, pageProperties, StandardCharsets.UTF_8);
        }
        moveJmapAndJmx(home.resolve("conf"), portBase);
        if (bundle != null) {
            unzip(bundle, home.resolve("extensions-jars"));
        } else {
            Files.createDirectories(home.resolve("extensions-jars"));
        }
    }

    /**
     * Moves JMAP (default port 80) to {@code portBase + 80} and JMX (default 9999) to 127.0.0.1 on
     * {@code portBase + 9999} when their properties file enables them; Tollgate's {@code conf/} disables both,
     * James's distribution configuration enables both.
     */
    static void moveJmapAndJmx(Path confDir, int portBase) throws IOException {
        Path jmap = confDir.resolve("jmap.properties");
        if (Files.exists(jmap)) {
            String text = Files.readString(jmap, StandardCharsets.UTF_8);
            if (Pattern.compile("(?m)^enabled=true\\s*$").matcher(text).find()) {
                Files.writeString(jmap, setOrAdd(text, "jmap.port", String.valueOf(portBase + 80)), StandardCharsets.UTF_8);
            }
        }
        Path jmx = confDir.resolve("jmx.properties");
        if (Files.exists(jmx)) {
            String text = Files.readString(jmx, StandardCharsets.UTF_8);
            // James's JMX is on unless jmx.enabled=false.
            if (!Pattern.compile("(?m)^jmx\\.enabled=false\\s*$").matcher(text).find()) {
                text = setOrAdd(text, "jmx.address", "127.0.0.1");
                Files.writeString(jmx, setOrAdd(text, "jmx.port", String.valueOf(portBase + 9999)), StandardCharsets.UTF_8);
            }
        }
    }

    /** Sets every {@code key=...} line, or appends one when there is none. */
    private static String setOrAdd(String properties, String key, String value) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + "=.*$").matcher(properties);
        if (m.find()) {
            return m.replaceAll(Matcher.quoteReplacement(key + "=" + value));
        }
        String separator = properties.isEmpty() || properties.endsWith("\n") ? "" : System.lineSeparator();
        return properties + separator + key + "=" + value + System.lineSeparator();
    }

    /**
     * Rewrites every {@code <bind>host:port</bind>} to {@code 127.0.0.1:(portBase + port)}.
     *
     * @throws IllegalStateException when the file has no {@code <bind>}: its listeners would not be moved
     */
    static void rebind(Path xml, int portBase) throws IOException {
        if (!Files.exists(xml)) {
            return;
        }
        Matcher m = BIND.matcher(Files.readString(xml, StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder();
        int found = 0;
        while (m.find()) {
            int port = Integer.parseInt(m.group(1));
            m.appendReplacement(out, "<bind>127.0.0.1:" + (portBase + port) + "</bind>");
            found++;
        }
        if (found == 0) {
            throw notFound(xml, "a <bind>host:port</bind> element", "<bind>127.0.0.1:(port base + port)</bind>");
        }
        m.appendTail(out);
        Files.writeString(xml, out.toString(), StandardCharsets.UTF_8);
    }

    /**
     * Sets every {@code key=...} line of a properties text (the last of repeated keys wins, so all are set).
     *
     * @throws IllegalStateException naming the file when no line sets {@code key}: the shipped value would stay
     */
    private static String setProperty(String properties, String key, String value, Path file) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + "=.*$").matcher(properties);
        if (!m.find()) {
            throw notFound(file, "a line " + key + "=...", key + "=" + value);
        }
        return m.replaceAll(Matcher.quoteReplacement(key + "=" + value));
    }

    /**
     * @return {@code text} with every {@code target} replaced
     * @throws IllegalStateException naming the file and the text when {@code target} does not occur
     */
    private static String replaceEvery(String text, String target, String replacement, Path file) {
        if (!text.contains(target)) {
            throw notFound(file, target, replacement);
        }
        return text.replace(target, replacement);
    }

    private static IllegalStateException notFound(Path file, String what, String replacement) {
        return new IllegalStateException(file + ": cannot find " + what + " to change it to " + replacement
                + " (the launcher moves James to loopback ports and does not start with a setting it could not change;"
                + " the file is a copy of the one in the --conf directory: fix it there)");
    }

    private static void unzip(Path zip, Path target) throws IOException {
        Files.createDirectories(target);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("bundle entry escapes extensions-jars: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void provision(int webadminPort) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + webadminPort;
        put(http, base + "/domains/" + DEMO_DOMAIN, "");
        for (String user : new String[] {"alice", "bob"}) {
            put(http, base + "/users/" + user + "@" + DEMO_DOMAIN, "{\"password\":\"" + DEMO_PASSWORD + "\"}");
        }
    }

    private static void put(HttpClient http, String url, String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("WebAdmin PUT " + url + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private static void printBanner(Path home, int base, int webadmin, ProcessHandle watchedParent, boolean tollgate) {
        long pid = ProcessHandle.current().pid();
        String stop = " Stop: Ctrl-C here, or kill " + pid + " (SIGTERM)"
                + (watchedParent == null ? "." : ", or kill " + watchedParent.pid() + " (mvn): James stops when it ends.");
        String banner = String.join(System.lineSeparator(),
                "",
                "==================================================================================",
                tollgate ? " Apache James 3.8.1 with Tollgate is running on loopback."
                        : " Apache James 3.8.1 (no extensions) is running on loopback.",
                "   Launcher PID                   " + pid,
                "   SMTP (MX, STARTTLS offered)    127.0.0.1:" + (base + 25),
                "   Submission, implicit TLS       127.0.0.1:" + (base + 465),
                "   Submission, STARTTLS           127.0.0.1:" + (base + 587),
                "   IMAP (STARTTLS required)       127.0.0.1:" + (base + 143),
                "   IMAPS                          127.0.0.1:" + (base + 993),
                "   WebAdmin                       http://127.0.0.1:" + webadmin,
                "   Link redirector                http://127.0.0.1:" + (base + 8480),
                "   Security page (users)          https://127.0.0.1:" + (base + 8443) + "/",
                "   Demo users: alice@" + DEMO_DOMAIN + ", bob@" + DEMO_DOMAIN + "   password: " + DEMO_PASSWORD,
                "   James home: " + home + "  (self-signed certificate: clients must not verify it)",
                "",
                " Send (curl):  m=$(mktemp) && printf 'Subject: hi\\r\\n\\r\\nhello\\r\\n' > \"$m\" && curl -sk --ssl-reqd \\",
                "                 smtp://127.0.0.1:" + (base + 587) + " -u alice@" + DEMO_DOMAIN + ":" + DEMO_PASSWORD
                        + " --mail-from alice@" + DEMO_DOMAIN + " --mail-rcpt bob@" + DEMO_DOMAIN + " -T \"$m\"",
                " Read (curl):  curl -sk 'imaps://127.0.0.1:" + (base + 993) + "/INBOX;UID=1' -u bob@" + DEMO_DOMAIN + ":" + DEMO_PASSWORD,
                " (Once a user is enrolled in MFA, give the password followed by the current code, or an app password.)",
                stop,
                "==================================================================================",
                "");
        System.out.println(banner);
        System.out.flush();
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --name=value, got: " + arg);
            }
            int eq = arg.indexOf('=');
            options.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        return options;
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing --" + name + "=...");
        }
        return value;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
