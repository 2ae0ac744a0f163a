package dev.tollgate.core.tls;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A loopback UDP name server for DNSSEC tests: zones signed at start with fresh ECDSA P-256 keys
 * (algorithm 13) by dnsjava's {@link DNSSEC#sign}; answers each question with the RRset and its RRSIG,
 * REFUSED for names in no zone, NXDOMAIN/NODATA without proofs. {@link #trustAnchors()} gives the zones'
 * DNSKEYs in zone-file form. Public for the tests of other modules (core's test jar).
 */
public final class SignedZoneServer implements AutoCloseable {
    private final DatagramSocket socket;
    private final Map<String, List<Record>> answers = new ConcurrentHashMap<>();
    private final StringBuilder anchors = new StringBuilder();
    private final List<String> zones = new ArrayList<>();

    public SignedZoneServer() throws IOException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::serve, "signed-zone-server");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Adds a zone.
     *
     * @param origin   e.g. {@code dane.test.}
     * @param records  zone-file lines with absolute names, e.g. {@code dane.test. 300 IN MX 10 mx.dane.test.}
     * @param signed   false for an unsigned zone
     * @param tamperTlsa true to change TLSA data after signing (a bogus answer)
     */
    public SignedZoneServer zone(String origin, List<String> records, boolean signed, boolean tamperTlsa) throws Exception {
        Name apex = Name.fromString(origin);
        zones.add(origin.toLowerCase(Locale.ROOT));
        List<Record> all = new ArrayList<>();
        for (String line : records) {
            String[] f = line.trim().split("\\s+", 5);
            all.add(Record.fromString(Name.fromString(f[0]), Type.value(f[3]), DClass.IN, Long.parseLong(f[1]), f[4],
                    Name.root));
        }
        DNSKEYRecord key = null;
        KeyPair keys = null;
        if (signed) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            keys = g.generateKeyPair();
            key = new DNSKEYRecord(apex, DClass.IN, 300, 257, DNSKEYRecord.Protocol.DNSSEC,
                    DNSSEC.Algorithm.ECDSAP256SHA256, keys.getPublic());
            all.add(key);
            anchors.append(key).append('\n');
        }
        Map<String, RRset> sets = new java.util.LinkedHashMap<>();
        for (Record r : all) {
            sets.computeIfAbsent(key(r.getName(), r.getType()), k -> new RRset()).addRR(r);
        }
        Instant now = Instant.now();
        for (Map.Entry<String, RRset> e : sets.entrySet()) {
            List<Record> out = new ArrayList<>(e.getValue().rrs(false));
            if (signed) {
                RRSIGRecord sig = DNSSEC.sign(e.getValue(), key, keys.getPrivate(), now.minus(Duration.ofHours(1)),
                        now.plus(Duration.ofDays(1)));
                if (tamperTlsa && e.getValue().getType() == Type.TLSA) {
                    List<Record> forged = new ArrayList<>();
                    for (Record r : out) {
                        byte[] data = ((org.xbill.DNS.TLSARecord) r).getCertificateAssociationData().clone();
                        data[0] ^= 1;
                        forged.add(new org.xbill.DNS.TLSARecord(r.getName(), DClass.IN, r.getTTL(),
                                ((org.xbill.DNS.TLSARecord) r).getCertificateUsage(),
                                ((org.xbill.DNS.TLSARecord) r).getSelector(),
                                ((org.xbill.DNS.TLSARecord) r).getMatchingType(), data));
                    }
                    out = forged;
                }
                out.add(sig);
            }
            answers.put(e.getKey(), out);
        }
        return this;
    }

    public String trustAnchors() {
        return anchors.toString();
    }

    public int port() {
        return socket.getLocalPort();
    }

    private static String key(Name name, int type) {
        return name.toString().toLowerCase(Locale.ROOT) + "/" + type;
    }

    private void serve() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
                Record q = query.getQuestion();
                Message reply = new Message(query.getHeader().getID());
                reply.getHeader().setFlag(Flags.QR);
                reply.getHeader().setFlag(Flags.AA);
                reply.addRecord(q, Section.QUESTION);
                String name = q.getName().toString().toLowerCase(Locale.ROOT);
                boolean inZone = zones.stream().anyMatch(z -> name.equals(z) || name.endsWith("." + z));
                List<Record> found = answers.get(key(q.getName(), q.getType()));
                if (!inZone) {
                    reply.getHeader().setRcode(Rcode.REFUSED);
                } else if (found != null) {
                    found.forEach(r -> reply.addRecord(r, Section.ANSWER));
                } else if (answers.keySet().stream().noneMatch(k -> k.startsWith(name + "/"))) {
                    reply.getHeader().setRcode(Rcode.NXDOMAIN);
                }
                if (query.getOPT() != null) {
                    reply.addRecord(new org.xbill.DNS.OPTRecord(4096, 0, 0, org.xbill.DNS.ExtendedFlags.DO),
                            Section.ADDITIONAL);
                }
                byte[] wire = reply.toWire();
                socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (SocketException closed) {
                return;
            } catch (Exception e) {
                // ignore malformed queries
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
