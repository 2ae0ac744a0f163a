package dev.tollgate.it.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * A DNSSEC test peer: BIND's {@code named} as the authoritative server of a signed anchor zone and of child zones
 * below it, each signed, unsigned or deliberately broken. Keys are generated when the container starts
 * ({@code dnssec-keygen}), zones signed with {@code dnssec-signzone}; the anchor zone's KSK, as a DS record, is
 * the trust anchor a validator is given ({@link #trustAnchor}). A test declares records per zone; owner names
 * are absolute (no trailing dot needed). Example:
 *
 * <pre>
 * DnssecZones zones = new DnssecZones("dane.test");
 * zones.zone("ee.dane.test", DnssecZones.Signing.SIGNED).mx("ee.dane.test", "mx.ee.dane.test", 10)
 *         .a("mx.ee.dane.test", ip).tlsa("mx.ee.dane.test", 3, 1, 1, hex);
 * GenericContainer&lt;?&gt; dns = zones.container(network, "dns");
 * </pre>
 *
 * <p>The server does not recurse: names outside the zones get REFUSED. It logs every query (BIND's query log).
 */
public final class DnssecZones {
    /** How a zone is published. */
    public enum Signing {
        /** Signed, its DS in the anchor zone: answers validate (secure). */
        SIGNED("signed"),
        /** Delegated from the anchor zone without DS (an insecure delegation, RFC 4035 §5.2): answers are insecure. */
        UNSIGNED("unsigned"),
        /** Signed with RRSIG inception and expiration both in the past, DS in the anchor zone: answers are bogus. */
        EXPIRED("expired"),
        /** Signed, but the anchor zone's DS names another key: the chain of trust breaks, answers are bogus. */
        WRONG_DS("wrong-ds"),
        /** Declared with a zone file that cannot load: the server answers SERVFAIL for every name in the zone. */
        SERVFAIL("servfail");

        final String word;

        Signing(String word) {
            this.word = word;
        }
    }

    /** Records of one zone; every method returns this zone for chaining. */
    public static final class Zone {
        private final String name;
        private final List<String> records = new ArrayList<>();

        private Zone(String name) {
            this.name = name;
        }

        /** An MX record (RFC 5321 §5.1). */
        public Zone mx(String domain, String exchange, int preference) {
            return add(domain, "MX", preference + " " + absolute(exchange));
        }

        /** An A record. */
        public Zone a(String host, String ipv4) {
            return add(host, "A", ipv4);
        }

        /**
         * A TLSA record at {@code _25._tcp.<mxHost>} (RFC 7672 §2.2.2, RFC 6698 §2).
         *
         * @param data certificate association data, hex
         */
        public Zone tlsa(String mxHost, int usage, int selector, int matchingType, String data) {
            return add("_25._tcp." + mxHost, "TLSA", usage + " " + selector + " " + matchingType + " " + data);
        }

        /** A TXT record of one string, e.g. {@code _mta-sts.<domain>} or {@code _smtp._tls.<domain>}. */
        public Zone txt(String name, String text) {
            if (text.contains("\"") || text.contains("\\")) {
                throw new IllegalArgumentException("TXT text cannot contain '\"' or '\\'");
            }
            return add(name, "TXT", "\"" + text + "\"");
        }

        private Zone add(String owner, String type, String data) {
            String o = absolute(owner);
            if (!(o.equals(name + ".") || o.endsWith("." + name + "."))) {
                throw new IllegalArgumentException(owner + " is not in zone " + name);
            }
            records.add(o + " 300 IN " + type + " " + data);
            return this;
        }

        private static String absolute(String name) {
            String n = name.toLowerCase(Locale.ROOT);
            return n.endsWith(".") ? n : n + ".";
        }
    }

    private final String anchor;
    private final Map<String, Signing> signing = new LinkedHashMap<>();
    private final Map<String, Zone> zones = new LinkedHashMap<>();

    /** @param anchorZone the signed zone whose KSK is the trust anchor; every other zone is below it */
    public DnssecZones(String anchorZone) {
        this.anchor = anchorZone.toLowerCase(Locale.ROOT);
        zones.put(anchor, new Zone(anchor));
    }

    /** @return the anchor zone's records */
    public Zone anchor() {
        return zones.get(anchor);
    }

    /** @return a child zone of the anchor zone, declared with its signing on first use */
    public Zone zone(String name, Signing how) {
        String n = name.toLowerCase(Locale.ROOT);
        if (!n.endsWith("." + anchor)) {
            throw new IllegalArgumentException(name + " is not below " + anchor);
        }
        Signing before = signing.putIfAbsent(n, how);
        if (before != null && before != how) {
            throw new IllegalArgumentException(name + " is already declared " + before);
        }
        return zones.computeIfAbsent(n, Zone::new);
    }

    /** @return the container (not started); ready once the zones are signed and {@code named} runs */
    @SuppressWarnings("resource")
    public GenericContainer<?> container(Network network, String alias) {
        StringBuilder list = new StringBuilder();
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(Images.base()))
                .withNetwork(network).withNetworkAliases(alias)
                .withCopyToContainer(Transferable.of(script(), 0755), "/dnssec-zones.sh")
                .withCommand("/dnssec-zones.sh")
                .waitingFor(Wait.forLogMessage(".* running\\n", 1)
                        .withStartupTimeout(java.time.Duration.ofSeconds(180)));
        for (Map.Entry<String, Zone> z : zones.entrySet()) {
            if (!z.getKey().equals(anchor)) {
                list.append(z.getKey()).append(' ').append(signing.get(z.getKey()).word).append('\n');
            }
            c.withCopyToContainer(Transferable.of(String.join("\n", z.getValue().records) + "\n"),
                    "/zones/" + z.getKey() + ".records");
        }
        list.append(anchor).append(" anchor\n");
        return c.withCopyToContainer(Transferable.of(list.toString()), "/zones/zones.list");
    }

    /** @return the anchor zone's DS record in zone-file form, for {@code daneTrustAnchors} */
    public static String trustAnchor(GenericContainer<?> started) {
        try {
            String ds = started.execInContainer("cat", "/zones/anchor.ds").getStdout();
            if (!ds.contains(" DS ")) {
                throw new IllegalStateException("no DS record in the DNSSEC peer's anchor.ds: " + ds);
            }
            // The validator's zone-file parser wants a TTL.
            return ds.replaceFirst(" IN DS ", " 3600 IN DS ");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return the SHA2-256 of the certificate's SubjectPublicKeyInfo, hex: TLSA selector 1, matching type 1 */
    public static String spkiSha256(X509Certificate cert) {
        return sha256(cert.getPublicKey().getEncoded());
    }

    /** @return the SHA2-256 of the whole certificate, hex: TLSA selector 0, matching type 1 */
    public static String certSha256(X509Certificate cert) {
        try {
            return sha256(cert.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] data) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(data);
            StringBuilder hex = new StringBuilder();
            for (byte b : d) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String script() {
        try (InputStream in = DnssecZones.class.getResourceAsStream("/peers/dnssec-zones.sh")) {
            if (in == null) {
                throw new IllegalStateException("peers/dnssec-zones.sh missing from the test resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
