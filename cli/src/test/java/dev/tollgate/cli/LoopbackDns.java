package dev.tollgate.cli;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * A loopback UDP DNS server for tests: answers from records given in zone-file form ({@code
 * "example.test. 300 IN MX 10 mx.example.test."}), NXDOMAIN for names it has nothing for, and records every
 * question it was asked. Names starting with {@code servfail.} are answered SERVFAIL. Built on dnsjava's message parser.
 */
final class LoopbackDns implements AutoCloseable {
    private final DatagramSocket socket;
    private final Map<String, List<Record>> records = new ConcurrentHashMap<>();
    final List<String> questions = new CopyOnWriteArrayList<>();
    private final Thread thread;

    LoopbackDns(String... zoneLines) throws IOException {
        for (String line : zoneLines) {
            Record r = parse(line);
            records.computeIfAbsent(key(r.getName().toString(), r.getType()), k -> new ArrayList<>()).add(r);
        }
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        thread = new Thread(this::serve, "loopback-dns");
        thread.setDaemon(true);
        thread.start();
    }

    private static Record parse(String line) throws IOException {
        String[] f = line.trim().split("\\s+", 5);
        org.xbill.DNS.Name name = org.xbill.DNS.Name.fromString(f[0]);
        int type = org.xbill.DNS.Type.value(f[3]);
        return Record.fromString(name, type, org.xbill.DNS.DClass.IN, Long.parseLong(f[1]), f[4],
                org.xbill.DNS.Name.root);
    }

    private static String key(String name, int type) {
        return name.toLowerCase(java.util.Locale.ROOT) + "/" + type;
    }

    int port() {
        return socket.getLocalPort();
    }

    private void serve() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                Record question = query.getQuestion();
                questions.add(question.getName() + " " + org.xbill.DNS.Type.string(question.getType()));
                Message reply = new Message(query.getHeader().getID());
                reply.getHeader().setFlag(Flags.QR);
                reply.getHeader().setFlag(Flags.AA);
                reply.addRecord(question, Section.QUESTION);
                List<Record> answers = records.get(key(question.getName().toString(), question.getType()));
                boolean nameExists = records.keySet().stream()
                        .anyMatch(k -> k.startsWith(question.getName().toString().toLowerCase(java.util.Locale.ROOT) + "/"));
                if (question.getName().toString().toLowerCase(java.util.Locale.ROOT).startsWith("servfail.")) {
                    reply.getHeader().setRcode(Rcode.SERVFAIL);
                } else if (answers != null) {
                    answers.forEach(r -> reply.addRecord(r, Section.ANSWER));
                } else if (!nameExists) {
                    reply.getHeader().setRcode(Rcode.NXDOMAIN);
                }
                byte[] wire = reply.toWire();
                socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                // malformed query: ignore
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
