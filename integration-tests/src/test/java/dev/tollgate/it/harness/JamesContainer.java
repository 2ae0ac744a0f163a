package dev.tollgate.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.awaitility.Awaitility;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * A real James 3.8.1 memory server in a container, deployed as an administrator deploys Tollgate:
 * the project's {@code conf/} copied to {@code /root/conf} (optionally with per-test changes), the drop-in
 * bundle unpacked in {@code /root/extensions-jars}, the keystore generated at first start.
 *
 * <pre>{@code
 * JamesContainer james = new JamesContainer()
 *     .withConfEdit("mailetcontainer.xml", xml -> xml.replaceOnce(...))
 *     .withNetwork(network).withNetworkAliases("james");
 * }</pre>
 * Everything James logs is kept ({@link #logs()}) so tests can assert on it.
 */
public class JamesContainer extends GenericContainer<JamesContainer> {
    public static final int SMTP = 25;
    public static final int SMTPS = 465;
    public static final int SUBMISSION = 587;
    public static final int IMAP = 143;
    public static final int IMAPS = 993;
    public static final int WEBADMIN = 8000;

    private final Map<String, UnaryOperator<String>> confTransforms = new LinkedHashMap<>();
    private final List<Path> extensionJars = new ArrayList<>();
    private final StringBuffer logs = new StringBuffer();

    public JamesContainer() {
        super(DockerImageName.parse(Images.james()));
        withExposedPorts(SMTP, SMTPS, SUBMISSION, IMAP, IMAPS, WEBADMIN);
        withCommand("--generate-keystore");
        withLogConsumer(frame -> logs.append(frame.getUtf8String()));
        // conf/ binds WebAdmin (no authentication) to loopback; inside this throwaway container it must listen
        // on all interfaces for Docker to publish it to the test.
        withConfEdit("webadmin.properties", p -> p.replaceLines("host=.*", "host=0.0.0.0"));
        waitingFor(new JamesReady(WEBADMIN, Duration.ofMinutes(6)));
    }

    /** Starts James; on failure the exception carries the end of James's log, which says why. */
    @Override
    public void start() {
        try {
            super.start();
        } catch (RuntimeException e) {
            String all = logs.toString();
            String tail = all.length() > 6000 ? all.substring(all.length() - 6000) : all;
            throw new ContainerLaunchException("James did not start. End of its log:\n" + tail, e);
        }
    }

    /** Replaces a file of conf/ (or adds one) for this container only. */
    public JamesContainer withConfFile(String name, String content) {
        return withConfTransform(name, ignored -> content);
    }

    /**
     * Edits a file of conf/ for this container only through a {@link ConfEdit} of the shipped text, so that a
     * target the file no longer holds fails the test instead of leaving the shipped setting in place.
     */
    public JamesContainer withConfEdit(String name, UnaryOperator<ConfEdit> edit) {
        return withConfTransform(name, text -> edit.apply(ConfEdit.of(name, text)).text());
    }

    /**
     * Rewrites a file of conf/ for this container only; the function gets the shipped text ("" if absent).
     * For edits of the shipped text use {@link #withConfEdit}; a function given here checks its own targets.
     */
    public JamesContainer withConfTransform(String name, UnaryOperator<String> transform) {
        confTransforms.merge(name, transform, (a, b) -> s -> b.apply(a.apply(s)));
        return this;
    }

    /** Adds a jar to /root/extensions-jars beside the bundle (e.g. test fixtures). */
    public JamesContainer withExtensionJar(Path jar) {
        extensionJars.add(jar);
        return this;
    }

    @Override
    protected void configure() {
        super.configure();
        try {
            Path stage = Files.createTempDirectory(Files.createDirectories(ItSettings.workDir()), "james-");
            Path conf = Files.createDirectories(stage.resolve("conf"));
            try (Stream<Path> files = Files.list(ItSettings.conf())) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(file) && !file.getFileName().toString().equals("keystore")) {
                        Files.copy(file, conf.resolve(file.getFileName()));
                    }
                }
            }
            for (Map.Entry<String, UnaryOperator<String>> t : confTransforms.entrySet()) {
                Path file = conf.resolve(t.getKey());
                String current = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
                Files.writeString(file, t.getValue().apply(current), StandardCharsets.UTF_8);
            }
            Path extensions = Files.createDirectories(stage.resolve("extensions-jars"));
            unzip(ItSettings.bundle(), extensions);
            for (Path jar : extensionJars) {
                Files.copy(jar, extensions.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            withCopyFileToContainer(MountableFile.forHostPath(conf), "/root/conf");
            withCopyFileToContainer(MountableFile.forHostPath(extensions), "/root/extensions-jars");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage James configuration", e);
        }
    }

    /** @return a WebAdmin client on the mapped port */
    public WebAdmin webAdmin() {
        return new WebAdmin("http://" + getHost() + ":" + getMappedPort(WEBADMIN));
    }

    /** @return an SMTP client connected to the mapped port of {@code containerPort} (25, 465 or 587) */
    public SmtpClient smtp(int containerPort) {
        return SmtpClient.connect(getHost(), getMappedPort(containerPort), containerPort == SMTPS);
    }

    /**
     * Submits a message as an authenticated user over 587 (EHLO, STARTTLS, EHLO, AUTH PLAIN), asserting every reply:
     * 220 to STARTTLS, 235 to AUTH, 250 to MAIL, each RCPT and the end of DATA.
     */
    public void submit(String user, String password, byte[] message, String... recipients) {
        try (SmtpClient smtp = smtp(SUBMISSION)) {
            smtp.ehlo("client.test");
            org.assertj.core.api.Assertions.assertThat(smtp.startTls().code).isEqualTo(220);
            smtp.ehlo("client.test");
            org.assertj.core.api.Assertions.assertThat(smtp.authPlain(user, password).code).isEqualTo(235);
            org.assertj.core.api.Assertions.assertThat(smtp.mailFrom(user).code).isEqualTo(250);
            for (String r : recipients) {
                org.assertj.core.api.Assertions.assertThat(smtp.rcptTo(r).code).isEqualTo(250);
            }
            org.assertj.core.api.Assertions.assertThat(smtp.data(message).code).isEqualTo(250);
        }
    }

    /**
     * @return a raw IMAP client on the mapped port of {@code containerPort}: 993 with implicit TLS, 143 in plain
     *         text (the caller issues STARTTLS)
     */
    public ImapClient imapClient(int containerPort) {
        return ImapClient.connect(getHost(), getMappedPort(containerPort), containerPort == IMAPS);
    }

    /** @return an IMAPS reader for a user, on the mapped port 993 */
    public ImapReader imap(String user, String password) {
        return new ImapReader(getHost(), getMappedPort(IMAPS), user, password);
    }

    /** @return everything the container has logged so far */
    public String logs() {
        return logs.toString();
    }

    /**
     * James's log once it holds {@code line}: the container's output reaches the test asynchronously, a line
     * written just before an SMTP reply may arrive after it.
     *
     * @throws org.awaitility.core.ConditionTimeoutException when the line does not appear within 10 s
     */
    public String logsOnceContaining(String line) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> logs.toString().contains(line));
        return logs.toString();
    }

    private static void unzip(Path zip, Path target) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("zip entry escapes target: " + entry.getName());
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
}
