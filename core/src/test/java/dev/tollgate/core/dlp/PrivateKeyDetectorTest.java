package dev.tollgate.core.dlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PrivateKeyDetectorTest {
    private static KeyPair rsa;
    private static KeyPair ec;
    private static KeyPair dsa;

    private final TextScanner scanner = TextScanner.builder()
            .detect(PrivateKeyDetector.create())
            .withoutDefaultContextRules()
            .build();

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        rsa = g.generateKeyPair();
        KeyPairGenerator e = KeyPairGenerator.getInstance("EC");
        e.initialize(new ECGenParameterSpec("secp256r1"));
        ec = e.generateKeyPair();
        KeyPairGenerator d = KeyPairGenerator.getInstance("DSA");
        d.initialize(2048);
        dsa = d.generateKeyPair();
    }

    private static String pem(Object o) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        }
        return sw.toString();
    }

    private static String pkcs8(KeyPair kp) {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(kp.getPrivate().getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n";
    }

    private Finding single(String text) {
        List<Finding> f = scanner.scan(text);
        assertThat(f).hasSize(1);
        return f.get(0);
    }

    @Test
    void findsPkcs1RsaKeyWithFullSpanAndHeaderOnlySample() throws Exception {
        String key = pem(rsa); // KeyPair -> PKCS#1 "RSA PRIVATE KEY"
        String text = "here it is:\n" + key + "thanks";
        Finding f = single(text);
        assertThat(f.label()).isEqualTo("RSA PRIVATE KEY");
        assertThat(f.start()).isEqualTo(12);
        assertThat(text.substring(f.start(), f.end())).isEqualTo(key.trim());
        assertThat(f.maskedSample()).isEqualTo("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(f.confidence()).isEqualTo(Confidence.HIGH);
    }

    @Test
    void findsEcDsaAndPkcs8Keys() throws Exception {
        assertThat(single(pem(ec)).label()).isEqualTo("EC PRIVATE KEY");
        assertThat(single(pem(dsa)).label()).isEqualTo("DSA PRIVATE KEY");
        assertThat(single(pkcs8(rsa)).label()).isEqualTo("PRIVATE KEY");
    }

    @Test
    void findsSmallestRealKeys() throws Exception {
        // Ed25519 PKCS#8 is 48 bytes: 64 base64 chars on one line
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertThat(ed.getPrivate().getEncoded()).hasSize(48);
        assertThat(single(pkcs8(ed)).label()).isEqualTo("PRIVATE KEY");
        // BC without provider writes a minimal SEC1 EC key (no public key): 52 base64 chars
        String ecPem = pem(ec);
        assertThat(single(ecPem).label()).isEqualTo("EC PRIVATE KEY");
    }

    @Test
    void findsEncryptedKeys() throws Exception {
        String pkcs8Enc = pem(new JcaPKCS8Generator(rsa.getPrivate(),
                new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                        .setProvider(new BouncyCastleProvider()).setRandom(new SecureRandom()).setPassword("pw".toCharArray()).build()));
        assertThat(single(pkcs8Enc).label()).isEqualTo("ENCRYPTED PRIVATE KEY");

        // legacy OpenSSL encryption with RFC 1421 header lines (Proc-Type, DEK-Info)
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(rsa, new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(new BouncyCastleProvider()).build("pw".toCharArray()));
        }
        assertThat(sw.toString()).contains("Proc-Type:");
        assertThat(single(sw.toString()).label()).isEqualTo("RSA PRIVATE KEY");
    }

    @Test
    void findsOpenSshKeyFromResource() throws IOException {
        String key;
        try (InputStream in = getClass().getResourceAsStream("/dlp/openssh-ed25519-test-key")) {
            key = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        Finding f = single("ssh key\r\n" + key.replace("\n", "\r\n"));
        assertThat(f.label()).isEqualTo("OPENSSH PRIVATE KEY");
        assertThat(f.maskedSample()).isEqualTo("-----BEGIN OPENSSH PRIVATE KEY-----");
    }

    @Test
    void findsJsonEscapedKey() throws Exception {
        String escaped = pkcs8(ec).replace("\n", "\\n");
        String json = "{\"type\":\"service_account\",\"private_key\":\"" + escaped + "\",\"x\":1}";
        Finding f = single(json);
        assertThat(f.label()).isEqualTo("PRIVATE KEY");
        assertThat(json.substring(f.end())).startsWith("\\n\",\"x\"");
        assertThat(json.substring(f.start(), f.end())).endsWith("-----END PRIVATE KEY-----");
    }

    @Test
    void findsJsonEscapedOpenSshKeyAndEscapedCrLf() throws Exception {
        // A key pasted into JSON (e.g. a CI secret or a service-account file) keeps its line breaks as "\n"
        String key;
        try (InputStream in = getClass().getResourceAsStream("/dlp/openssh-ed25519-test-key")) {
            key = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        }
        String json = "{\"deploy_key\": \"" + key.replace("\n", "\\n") + "\\n\"}";
        Finding f = single(json);
        assertThat(f.label()).isEqualTo("OPENSSH PRIVATE KEY");
        assertThat(json.substring(f.start(), f.end())).endsWith("-----END OPENSSH PRIVATE KEY-----");

        String crlf = "{\"k\":\"" + pkcs8(ec).replace("\n", "\\r\\n") + "\"}";
        Finding g = single(crlf);
        assertThat(g.label()).isEqualTo("PRIVATE KEY");
        assertThat(crlf.substring(g.start(), g.end())).endsWith("-----END PRIVATE KEY-----");
    }

    @Test
    void findsPuttyKeyWithCrLfAndJsonEscapes() {
        String body = Base64.getEncoder().encodeToString(new byte[72]).replace('A', 'Q');
        String ppk = "PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: k\nPublic-Lines: 1\n"
                + "AAAAB3NzaC1yc2EAAAADAQABAAAAgQC\nPrivate-Lines: 1\n" + body + "\nPrivate-MAC: 00\n";
        assertThat(single(ppk.replace("\n", "\r\n")).label()).isEqualTo("PUTTY");
        assertThat(single("{\"ppk\":\"" + ppk.replace("\n", "\\n") + "\"}").label()).isEqualTo("PUTTY");
    }

    @Test
    void findsJsonEscapedKeyWithEscapedSlashes() {
        String pem = pkcs8(rsa);
        assertThat(pem).contains("/");
        String escaped = pem.replace("/", "\\/").replace("\n", "\\n");
        String json = "{\"key\":\"" + escaped + "\"}";
        Finding f = single(json);
        assertThat(json.substring(f.start(), f.end())).endsWith("-----END PRIVATE KEY-----");
    }

    @Test
    void findsPuttyKeys() {
        byte[] random = new byte[96];
        new SecureRandom().nextBytes(random);
        String priv = Base64.getEncoder().encodeToString(random);
        String ppk = "PuTTY-User-Key-File-3: ssh-ed25519\n"
                + "Encryption: none\n"
                + "Comment: eddsa-key-20240101\n"
                + "Public-Lines: 2\n"
                + "AAAAC3NzaC1lZDI1NTE5AAAAIL2SFqxbqPuB7SlOJ7drcQ5s8A/VTIdnlOB7RZVLHFBs\n"
                + "Private-Lines: 2\n"
                + priv.substring(0, 64) + "\n" + priv.substring(64) + "\n"
                + "Private-MAC: 0123456789abcdef\n";
        Finding f = single(ppk);
        assertThat(f.label()).isEqualTo("PUTTY");
        assertThat(f.maskedSample()).isEqualTo("PuTTY-User-Key-File-3: ssh-ed25519");
        assertThat(f.maskedSample()).doesNotContain(priv.substring(0, 8));
        assertThat(single(ppk.replace("File-3", "File-2")).label()).isEqualTo("PUTTY");
        assertThat(scanner.scan(ppk.replace("File-3", "File-4"))).isEmpty();
        assertThat(scanner.scan("PuTTY-User-Key-File-3: ssh-ed25519\nComment: x\n")).isEmpty();
    }

    @Test
    void headerAloneIsNotAKey() {
        assertThat(scanner.scan("Your file should start with -----BEGIN RSA PRIVATE KEY----- and end with "
                + "-----END RSA PRIVATE KEY-----. Never mail it.")).isEmpty();
        assertThat(scanner.scan("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg...\n-----END PRIVATE KEY-----")).isEmpty();
        assertThat(scanner.scan("-----BEGIN PRIVATE KEY-----\n<your key here>\n-----END PRIVATE KEY-----")).isEmpty();
        assertThat(scanner.scan("-----BEGIN PRIVATE KEY-----")).isEmpty();
    }

    @Test
    void publicKeysAndCertificatesAreNotPrivateKeys() {
        String body = Base64.getMimeEncoder().encodeToString(rsa.getPublic().getEncoded());
        assertThat(scanner.scan("-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----")).isEmpty();
        assertThat(scanner.scan("-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----")).isEmpty();
    }

    @Test
    void twoKeysAreTwoFindings() throws Exception {
        List<Finding> f = scanner.scan(pem(rsa) + "\n\n" + pkcs8(ec));
        assertThat(f).extracting(Finding::label).containsExactly("RSA PRIVATE KEY", "PRIVATE KEY");
        assertThat(f.get(0).end()).isLessThan(f.get(1).start());
    }
}
