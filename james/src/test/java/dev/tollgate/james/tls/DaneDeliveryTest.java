package dev.tollgate.james.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.tls.DaneLookupResult;
import dev.tollgate.core.tls.EffectiveTlsPolicy;
import dev.tollgate.core.tls.TlsFailureReason;
import dev.tollgate.core.tls.TlsPolicyResolver;
import dev.tollgate.core.tls.TlsSecurityLevel;
import dev.tollgate.core.tls.TlsaRecord;

/**
 * DANE in delivery (RFC 7672): a STARTTLS server with a self-signed certificate no trust store knows is accepted
 * when a DNSSEC-validated DANE-EE TLSA record matches its key, refused ({@code dane-mismatch}, nothing sent) when
 * the record does not match; no PKIX fallback.
 */
class DaneDeliveryTest {
    static KeyPair keys;
    static X509Certificate cert;
    static StartTlsServer server;

    @BeforeAll
    static void start() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        keys = g.generateKeyPair();
        X500Name name = new X500Name("CN=self-signed.invalid");
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                Date.from(Instant.now().minus(Duration.ofDays(1))), Date.from(Instant.now().plus(Duration.ofDays(1))),
                name, keys.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, "self-signed.invalid")));
        cert = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        server = new StartTlsServer();
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    static EffectiveTlsPolicy danePolicy(byte[] spkiSha256) {
        return danePolicy(spkiSha256, dev.tollgate.core.tls.MessageTlsOption.DEFAULT);
    }

    static EffectiveTlsPolicy danePolicy(byte[] spkiSha256, dev.tollgate.core.tls.MessageTlsOption option) {
        TlsaRecord record = TlsaRecord.of(TlsaRecord.USAGE_DANE_EE, TlsaRecord.SELECTOR_SPKI,
                TlsaRecord.MATCHING_SHA256, spkiSha256);
        return TlsPolicyResolver.builder()
                .daneLookup(d -> DaneLookupResult.secureWithTlsa(Map.of("mx.peer.test", List.of(record))))
                .build().resolve("peer.test", option);
    }

    DeliveryResult deliver(EffectiveTlsPolicy policy) throws Exception {
        DNSService dns = (DNSService) Proxy.newProxyInstance(DNSService.class.getClassLoader(),
                new Class<?>[] {DNSService.class}, (p, m, a) -> m.getName().equals("findMXRecords")
                        ? List.of("mx.peer.test.") : List.of(InetAddress.getLoopbackAddress()));
        TlsPolicyDeliveryConfig config = TlsPolicyDeliveryConfig.parse(
                Parameters.of(Map.of("port", String.valueOf(server.port()))));
        return new MxDeliverer(config, config.loadTrust(), dns).deliver(mail(), policy);
    }

    static Mail mail() throws Exception {
        byte[] raw = "From: alice@local.test\r\nSubject: dane\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        return FakeMail.builder().name("m1").sender("alice@local.test").recipients("bob@peer.test")
                .mimeMessage(new MimeMessageWrapper(MimeMessageInputStreamSource.create("m1", new ByteArrayInputStream(raw))))
                .build();
    }

    @Test
    void matchingDaneEeRecordAuthenticatesASelfSignedServer() throws Exception {
        EffectiveTlsPolicy policy = danePolicy(MessageDigest.getInstance("SHA-256").digest(keys.getPublic().getEncoded()));
        assertThat(policy.level()).isEqualTo(TlsSecurityLevel.DANE);
        assertThat(policy.requiresTls()).isTrue();
        server.commands.clear();
        DeliveryResult result = deliver(policy);
        assertThat(result.kind()).as(result.diagnostic()).isEqualTo(DeliveryResult.Kind.SENT);
        assertThat(server.commands).contains("TLS MAIL FROM:<alice@local.test>").noneMatch(c -> c.startsWith("PLAIN MAIL"));
    }

    @Test
    void requireTlsMailIsNotHandedToAHopThatDoesNotOfferRequireTls() throws Exception {
        byte[] spki = MessageDigest.getInstance("SHA-256").digest(keys.getPublic().getEncoded());
        EffectiveTlsPolicy policy = danePolicy(spki, dev.tollgate.core.tls.MessageTlsOption.REQUIRETLS);
        assertThat(policy.requireTlsExtension()).isTrue();
        server.commands.clear();
        server.offerRequireTls = false;
        DeliveryResult result = deliver(policy);
        assertThat(result.tlsReason()).contains(TlsFailureReason.REQUIRETLS_NOT_SUPPORTED);
        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.TEMPORARY);
        assertThat(server.commands).noneMatch(c -> c.contains("MAIL FROM"));
    }

    @Test
    void requireTlsIsRelayedOnMailFromWhenTheHopOffersIt() throws Exception {
        byte[] spki = MessageDigest.getInstance("SHA-256").digest(keys.getPublic().getEncoded());
        server.commands.clear();
        server.offerRequireTls = true;
        try {
            DeliveryResult result = deliver(danePolicy(spki, dev.tollgate.core.tls.MessageTlsOption.REQUIRETLS));
            assertThat(result.kind()).as(result.diagnostic()).isEqualTo(DeliveryResult.Kind.SENT);
            assertThat(server.commands).contains("TLS MAIL FROM:<alice@local.test> REQUIRETLS");
        } finally {
            server.offerRequireTls = false;
        }
    }

    @Test
    void mismatchingRecordDefersWithoutSendingAnythingAndWithoutPkixFallback() throws Exception {
        byte[] wrong = new byte[32];
        server.commands.clear();
        DeliveryResult result = deliver(danePolicy(wrong));
        assertThat(result.tlsReason()).contains(TlsFailureReason.DANE_MISMATCH);
        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.TEMPORARY);
        assertThat(server.commands).noneMatch(c -> c.contains("MAIL FROM"));
    }

    @Test
    void daneOnlyWithoutRecordsForTheHostDefers() throws Exception {
        EffectiveTlsPolicy policy = TlsPolicyResolver.builder()
                .policyMap(dev.tollgate.core.tls.TlsPolicyMap.parse("peer.test dane-only", "policyMap"))
                .daneLookup(d -> DaneLookupResult.secureNoTlsa()).build().resolve("peer.test");
        server.commands.clear();
        DeliveryResult result = deliver(policy);
        assertThat(result.tlsReason()).isPresent();
        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.TEMPORARY);
        assertThat(server.commands).noneMatch(c -> c.contains("MAIL FROM"));
    }

    /** SMTP with STARTTLS on loopback, presenting the self-signed certificate; logs commands as TLS or PLAIN. */
    static final class StartTlsServer implements AutoCloseable {
        final List<String> commands = Collections.synchronizedList(new ArrayList<>());
        volatile boolean offerRequireTls;
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final SSLContext context;

        StartTlsServer() throws Exception {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("k", keys.getPrivate(), "p".toCharArray(), new X509Certificate[] {cert});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "p".toCharArray());
            context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            Thread t = new Thread(this::accept, "starttls-server");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    serve(s);
                } catch (IOException e) {
                    // next connection
                }
            }
        }

        private void serve(Socket plain) throws IOException {
            Socket s = plain;
            boolean tls = false;
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            reply(out, "220 test ESMTP");
            for (String line; (line = in.readLine()) != null; ) {
                commands.add((tls ? "TLS " : "PLAIN ") + line);
                String upper = line.toUpperCase(java.util.Locale.ROOT);
                if (upper.startsWith("EHLO")) {
                    reply(out, tls ? (offerRequireTls ? "250-test\r\n250-REQUIRETLS\r\n250 8BITMIME" : "250-test\r\n250 8BITMIME")
                            : "250-test\r\n250 STARTTLS");
                } else if (upper.equals("STARTTLS") && !tls) {
                    reply(out, "220 go ahead");
                    SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(s, null, s.getPort(), true);
                    ssl.setUseClientMode(false);
                    ssl.startHandshake();
                    s = ssl;
                    tls = true;
                    in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    out = s.getOutputStream();
                } else if (upper.equals("DATA")) {
                    reply(out, "354 go");
                    for (String d; (d = in.readLine()) != null && !d.equals("."); ) {
                        // discard
                    }
                    reply(out, "250 stored");
                } else if (upper.equals("QUIT")) {
                    reply(out, "221 bye");
                    return;
                } else {
                    reply(out, "250 OK");
                }
            }
        }

        private static void reply(OutputStream out, String text) throws IOException {
            out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
