package dev.tollgate.it.peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A receiving MTA for container tests (runs inside a container of the base image, from the test classes):
 * accepts every envelope, stores each message as {@code <dir>/<n>.eml} and prints one line per event
 * ({@code SINK READY}, {@code SINK MAIL FROM:<...> TLS=no}, {@code SINK STORED n}) for the test to read.
 *
 * <p>Arguments: {@code <port> <dir>}. No STARTTLS is offered (plaintext peer).
 */
public final class SmtpSink {
    private SmtpSink() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        Path dir = Files.createDirectories(Paths.get(args[1]));
        AtomicInteger counter = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(port)) {
            System.out.println("SINK READY on " + port);
            System.out.flush();
            while (true) {
                Socket client = server.accept();
                Thread t = new Thread(() -> serve(client, dir, counter));
                t.setDaemon(true);
                t.start();
            }
        }
    }

    private static void serve(Socket client, Path dir, AtomicInteger counter) {
        try (client;
             BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
             OutputStream out = client.getOutputStream()) {
            reply(out, "220 sink.test ESMTP test sink");
            String line;
            while ((line = in.readLine()) != null) {
                String upper = line.toUpperCase();
                if (upper.startsWith("EHLO") || upper.startsWith("HELO")) {
                    reply(out, "250-sink.test\r\n250-8BITMIME\r\n250 PIPELINING");
                } else if (upper.startsWith("MAIL FROM")) {
                    System.out.println("SINK " + line + " TLS=no");
                    reply(out, "250 OK");
                } else if (upper.startsWith("RCPT TO")) {
                    System.out.println("SINK " + line);
                    reply(out, "250 OK");
                } else if (upper.equals("DATA")) {
                    reply(out, "354 go ahead");
                    StringBuilder message = new StringBuilder();
                    String data;
                    while ((data = in.readLine()) != null && !data.equals(".")) {
                        message.append(data.startsWith("..") ? data.substring(1) : data).append("\r\n");
                    }
                    int n = counter.incrementAndGet();
                    Files.writeString(dir.resolve(n + ".eml"), message.toString(), StandardCharsets.UTF_8);
                    System.out.println("SINK STORED " + n);
                    reply(out, "250 stored as " + n);
                } else if (upper.equals("QUIT")) {
                    reply(out, "221 bye");
                    return;
                } else if (upper.equals("RSET") || upper.equals("NOOP")) {
                    reply(out, "250 OK");
                } else {
                    reply(out, "502 not implemented");
                }
                System.out.flush();
            }
        } catch (IOException e) {
            System.out.println("SINK connection error " + e);
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
