package dev.tollgate.james.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;

import javax.mail.internet.MimeMessage;

import org.apache.james.jdkim.DKIMSigner;
import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.exceptions.TempFailException;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tollgate.core.links.DkimCheck;
import dev.tollgate.james.testing.JamesMessages;

/**
 * With {@code rewriteDkimSigned=false} (default) {@link RewriteLinks} leaves a mail alone only when its DKIM
 * signature verifies (RFC 6376 §6): messages are signed here with a test RSA key by jDKIM and the key record
 * is served by a stub retriever in place of DNS. A forged, tampered or unverifiable signature is rewritten.
 */
class RewriteLinksDkimTest {
    private static KeyPair keys;
    private static String keyRecord;

    @TempDir
    Path dir;

    @BeforeAll
    static void key() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        keys = g.generateKeyPair();
        keyRecord = "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
    }

    private static final String UNSIGNED = "From: alice@sender.test\r\nTo: bob@example.com\r\n"
            + "Subject: offer\r\nMessage-ID: <dkim@sender.test>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/html; charset=utf-8\r\n\r\n<a href=\"https://shop.example/\">s</a>\r\n";

    private static String signed(String raw) throws Exception {
        DKIMSigner signer = new DKIMSigner("v=1; a=rsa-sha256; c=relaxed/relaxed; d=sender.test; s=s1; "
                + "h=from:to:subject:message-id; bh=; b=;", keys.getPrivate());
        String field = signer.sign(new ByteArrayInputStream(raw.getBytes(StandardCharsets.US_ASCII)));
        if (!field.regionMatches(true, 0, "DKIM-Signature:", 0, 15)) {
            field = "DKIM-Signature: " + field;
        }
        return field + "\r\n" + raw;
    }

    private RewriteLinks mailet(PublicKeyRecordRetriever retriever, String... params) throws Exception {
        FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName("RewriteLinks")
                .setProperty("redirectorUrl", "https://links.test")
                .setProperty("keyFile", dir.resolve("keys").toString());
        for (int i = 0; i < params.length; i += 2) {
            config.setProperty(params[i], params[i + 1]);
        }
        RewriteLinks m = new RewriteLinks() {
            @Override
            protected DkimCheck dkimCheck() {
                return new JdkimDkimCheck(retriever);
            }
        };
        m.init(config.build());
        return m;
    }

    private static PublicKeyRecordRetriever serving(String record) {
        return (method, selector, domain) -> "s1".contentEquals(selector) && "sender.test".contentEquals(domain)
                ? List.of(record) : List.of();
    }

    private static Mail mail(String raw) throws Exception {
        return FakeMail.builder().name("m1")
                .mimeMessage(JamesMessages.parse(raw.getBytes(StandardCharsets.US_ASCII)))
                .recipient("bob@example.com").build();
    }

    private static String wire(Mail mail) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mail.getMessage().writeTo(out);
        return out.toString(StandardCharsets.US_ASCII);
    }

    private static boolean rewritten(Mail mail) throws Exception {
        String w = wire(mail);
        return w.contains("https://links.test/r/") && !w.contains("https://shop.example/");
    }

    @Test
    void mailWhoseSignatureVerifiesIsLeftAlone() throws Exception {
        String raw = signed(UNSIGNED);
        MimeMessage parsed = JamesMessages.parse(raw.getBytes(StandardCharsets.US_ASCII));
        assertThat(new JdkimDkimCheck(serving(keyRecord)).check(parsed).verified()).isTrue();

        Mail mail = mail(raw);
        mailet(serving(keyRecord)).service(mail);
        assertThat(rewritten(mail)).isFalse();
        assertThat(wire(mail)).contains("<a href=\"https://shop.example/\">s</a>");
        assertThat(mail.getMessage().getHeader("X-Tollgate-Links")[0]).contains("rewritten=0");
    }

    @Test
    void verifiedMailIsRewrittenWhenRewriteDkimSignedIsTrue() throws Exception {
        Mail mail = mail(signed(UNSIGNED));
        mailet(serving(keyRecord), "rewriteDkimSigned", "true").service(mail);
        assertThat(rewritten(mail)).isTrue();
    }

    @Test
    void forgedSignatureHeaderIsRewritten() throws Exception {
        String raw = "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=sender.test; s=s1; "
                + "h=from:to:subject:message-id; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=Zm9yZ2Vk\r\n" + UNSIGNED;
        Mail mail = mail(raw);
        mailet(serving(keyRecord)).service(mail);
        assertThat(rewritten(mail)).isTrue();
    }

    @Test
    void tamperedBodyIsRewritten() throws Exception {
        String raw = signed(UNSIGNED).replace("https://shop.example/", "https://shop.example/x");
        Mail mail = mail(raw);
        mailet(serving(keyRecord)).service(mail);
        String w = wire(mail);
        assertThat(w).contains("https://links.test/r/").doesNotContain("https://shop.example/x");
    }

    @Test
    void signatureByAnotherKeyIsRewritten() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        String otherRecord = "v=DKIM1; k=rsa; p="
                + Base64.getEncoder().encodeToString(g.generateKeyPair().getPublic().getEncoded());
        Mail mail = mail(signed(UNSIGNED));
        mailet(serving(otherRecord)).service(mail);
        assertThat(rewritten(mail)).isTrue();
    }

    @Test
    void signatureWithoutKeyRecordIsRewritten() throws Exception {
        Mail mail = mail(signed(UNSIGNED));
        mailet((method, selector, domain) -> List.of()).service(mail);
        assertThat(rewritten(mail)).isTrue();
    }

    @Test
    void signatureWhoseKeyLookupFailsIsRewritten() throws Exception {
        Mail mail = mail(signed(UNSIGNED));
        mailet((method, selector, domain) -> {
            throw new TempFailException("SERVFAIL for s1._domainkey.sender.test");
        }).service(mail);
        assertThat(rewritten(mail)).isTrue();
    }

    @Test
    void malformedSignatureIsRewritten() throws Exception {
        Mail mail = mail("DKIM-Signature: this is not a tag list\r\n" + UNSIGNED);
        mailet(serving(keyRecord)).service(mail);
        assertThat(rewritten(mail)).isTrue();
    }
}
