package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import dev.tollgate.core.tls.SignedZoneServer;

/**
 * {@code tollgate tls-policy --dane --probe}: the DNSSEC status, the TLSA records and which of them the MX host's
 * live certificate matches, against a signed zone (validated from its own DNSKEY as trust anchor) and a loopback
 * SMTP server offering STARTTLS with a self-signed certificate.
 */
class TlsPolicyDaneProbeTest {
    private static SignedZoneServer dns;
    private static ServerSocket smtp;
    private static X509Certificate cert;
    private static String anchors;

    @BeforeAll
    static void start() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair keys = g.generateKeyPair();
        Instant now = Instant.now();
        cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                new X500Name("CN=mx.dane.test"), BigInteger.ONE, Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=mx.dane.test"), keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        String spki = hex(MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded()));
        String other = hex(MessageDigest.getInstance("SHA-256").digest(new byte[] {1}));
        dns = new SignedZoneServer()
                .zone("dane.test.", List.of(
                        "dane.test. 300 IN MX 10 mx.dane.test.",
                        "mx.dane.test. 300 IN A 127.0.0.1",
                        "_25._tcp.mx.dane.test. 300 IN TLSA 3 1 1 " + other,
                        "_25._tcp.mx.dane.test. 300 IN TLSA 3 1 1 " + spki,
                        "wrong.dane.test. 300 IN MX 10 mx.wrong.dane.test.",
                        "mx.wrong.dane.test. 300 IN A 127.0.0.1",
                        "_25._tcp.mx.wrong.dane.test. 300 IN TLSA 3 1 1 " + other), true, false);
        anchors = dns.trustAnchors().replaceAll("(?m)^(\\S+)\\s+(\\d+\\s+)?IN\\s", "$1 300 IN ");

        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("mx", keys.getPrivate(), "x".toCharArray(), new X509Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "x".toCharArray());
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
        smtp = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> serve(server), "starttls-test-server");
        t.setDaemon(true);
        t.start();
    }

    /** Answers: greeting, EHLO with STARTTLS, STARTTLS, then the handshake; one connection at a time. */
    private static void serve(SSLContext context) {
        while (!smtp.isClosed()) {
            try (Socket s = smtp.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream out = s.getOutputStream();
                out.write("220 mx.dane.test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
                in.readLine();
                out.write("250-mx.dane.test\r\n250 STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
                in.readLine();
                out.write("220 go ahead\r\n".getBytes(StandardCharsets.US_ASCII));
                SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(s, null, s.getPort(), true);
                ssl.setUseClientMode(false);
                ssl.startHandshake();
                new BufferedReader(new InputStreamReader(ssl.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                ssl.close();
            } catch (Exception e) {
                // next connection
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        dns.close();
        smtp.close();
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x));
        }
        return s.toString();
    }

    private static String[] run(Path dir, String domain) throws Exception {
        Path anchorFile = Files.writeString(dir.resolve("anchors.txt"), anchors);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Tollgate.newCommandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("tls-policy", domain, "--dns-server", "127.0.0.1:" + dns.port(), "--no-mta-sts",
                "--dane-trust-anchors", anchorFile.toString(), "--probe", "--port", String.valueOf(smtp.getLocalPort()),
                "--timeout", "5s");
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void showsTheDnssecStatusTheRecordsAndTheRecordTheLiveCertificateMatches(@TempDir Path dir) throws Exception {
        String spki = hex(MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded()));
        String[] r = run(dir, "dane.test");
        assertThat(r[2]).isEmpty();
        assertThat(r[1]).contains("Effective policy: dane (source dane, enforce)")
                .contains("DANE: secure with tlsa (DNSSEC secure)")
                .contains("_25._tcp.mx.dane.test TLSA 3 1 1 " + spki)
                .contains("live certificate of mx.dane.test: matches TLSA 3 1 1 " + spki
                        + " (DANE-EE record matches the server certificate)");
        assertThat(r[0]).isEqualTo("0");
    }

    @Test
    void aCertificateMatchingNoRecordIsNamed(@TempDir Path dir) throws Exception {
        String[] r = run(dir, "wrong.dane.test");
        assertThat(r[1]).contains("DANE: secure with tlsa (DNSSEC secure)")
                .contains("live certificate of mx.wrong.dane.test: matches no usable record: dane-mismatch");
    }
}
