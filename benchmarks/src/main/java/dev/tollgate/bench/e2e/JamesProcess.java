package dev.tollgate.bench.e2e;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One James 3.8.1 in its own JVM, started by the project's launcher ({@code dev.tollgate.launcher.Launcher}) on
 * loopback ports {@code portBase + port}, with the demo domain and users the launcher creates. The launcher is
 * told to stop James when this JVM ends, so an interrupted benchmark leaves nothing running.
 */
final class JamesProcess implements AutoCloseable {
    static final String DOMAIN = "demo.test";
    static final String PASSWORD = "tollgate-demo";

    final String name;
    final int portBase;
    private final Process process;
    private final HttpClient http = HttpClient.newHttpClient();

    private JamesProcess(String name, int portBase, Process process) {
        this.name = name;
        this.portBase = portBase;
        this.process = process;
    }

    /**
     * Starts James and waits for the launcher's banner.
     *
     * @param bundle Tollgate's bundle for {@code extensions-jars/}, or null for stock James
     * @param jvmOptions options of James's JVM (heap), the same for both variants
     * @throws IOException when the JVM ends or the banner does not appear within {@code startSeconds}; the log
     *     file says why
     */
    static JamesProcess start(String name, Path repo, Path conf, Path bundle, Path home, int portBase,
            List<String> jvmOptions, Path log, long startSeconds) throws IOException, InterruptedException {
        Path launcher = repo.resolve("launcher/target");
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        // The same logging for both (Tollgate's conf/logback.xml: INFO for James, the audit file under the home):
        // the distribution's logback.xml writes to /logs, outside the benchmark's folders.
        command.add("-Dlogback.configurationFile=" + repo.resolve("conf/logback.xml"));
        command.add("-Dworking.directory=" + home);
        command.add("-Djdk.tls.ephemeralDHKeySize=2048");
        command.add("-cp");
        command.add(launcher.resolve("classes") + File.pathSeparator + launcher.resolve("james/libs") + File.separator + "*");
        command.add("dev.tollgate.launcher.Launcher");
        command.add("--conf=" + conf);
        if (bundle != null) {
            command.add("--bundle=" + bundle);
        }
        command.add("--home=" + home);
        command.add("--port-base=" + portBase);
        command.add("--stop-with-parent=true");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        JamesProcess james = new JamesProcess(name, portBase, process);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(startSeconds);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + ": James ended at start (exit " + process.exitValue() + "); see " + log);
            }
            if (Files.readString(log, StandardCharsets.UTF_8).contains("is running on loopback.")) {
                return james;
            }
            Thread.sleep(500);
        }
        james.close();
        throw new IOException(name + ": James did not start within " + startSeconds + " s; see " + log);
    }

    long pid() {
        return process.pid();
    }

    int submissionPort() {
        return portBase + 587;
    }

    int imapsPort() {
        return portBase + 993;
    }

    ProcCpu.Sample cpu() throws IOException {
        if (!process.isAlive()) {
            throw new IOException(name + ": James's JVM has ended (exit " + process.exitValue() + ")");
        }
        return ProcCpu.sample(process.pid());
    }

    /**
     * Tollgate's document worker counters ({@code tollgate_dlp_worker:<event>_total} in WebAdmin's {@code GET /metrics}:
     * worker starts, spare admissions, recycles, timeouts, crashes).
     *
     * @return counter name to value; empty for a James without Tollgate
     * @throws IOException when WebAdmin does not answer
     */
    Map<String, Long> workerEvents() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + (portBase + 8000) + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, Long> events = new java.util.TreeMap<>();
        for (String line : response.body().split("\n")) {
            String[] nameValue = line.split(" ");
            if (line.startsWith("tollgate_dlp_worker:") && nameValue.length == 2) {
                events.put(nameValue[0].substring("tollgate_dlp_worker:".length()).replace("_total", ""),
                        (long) Double.parseDouble(nameValue[1]));
            }
        }
        return events;
    }

    /** Creates a user through WebAdmin ({@code PUT /users/{user}}). */
    void addUser(String user) throws IOException, InterruptedException {
        send("PUT", "/users/" + encode(user), "{\"password\":\"" + PASSWORD + "\"}");
    }

    /** Deletes a user's mailboxes, then the user, so the memory mailbox does not grow from run to run. */
    void removeUser(String user) throws IOException, InterruptedException {
        send("DELETE", "/users/" + encode(user) + "/mailboxes", null);
        send("DELETE", "/users/" + encode(user), null);
    }

    private void send(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (portBase + 8000) + path));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(name + ": WebAdmin " + method + " " + path + " answered " + response.statusCode()
                    + ": " + response.body());
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** SIGTERM (James stops through the launcher's shutdown hook), then SIGKILL after a minute. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
