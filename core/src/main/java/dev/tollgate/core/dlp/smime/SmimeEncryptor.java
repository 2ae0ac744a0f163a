package dev.tollgate.core.dlp.smime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;

import javax.activation.DataHandler;
import javax.mail.Header;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.util.ByteArrayDataSource;

import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;

/**
 * Encrypts a message as S/MIME enveloped data (RFC 8551 section 3.3): the content entity (body with
 * its {@code Content-*} headers) becomes a CMS EnvelopedData (RFC 5652 section 6) with AES-256-CBC
 * content encryption and one RSA key-transport RecipientInfo per certificate, sent as
 * {@code application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"}, base64.
 * Other headers (From, To, Subject, Message-ID, ...) stay in clear, as S/MIME defines.
 * Stateless and thread-safe.
 */
public final class SmimeEncryptor {
    /** Content-Type of the result. */
    public static final String CONTENT_TYPE = "application/pkcs7-mime; smime-type=enveloped-data; name=\"smime.p7m\"";

    private SmimeEncryptor() {
    }

    /**
     * The SHA-256 of an S/MIME message's CMS content (its body after the Content-Transfer-Encoding), so that a
     * message made by {@link #encrypt} can be recognised later as unchanged, whatever was added to its headers
     * and however it was serialized in between.
     *
     * @param message a message
     * @return 64 lower-case hex chars, or empty when the message is not {@code application/pkcs7-mime} or
     *     {@code application/x-pkcs7-mime}
     * @throws MessagingException if the message cannot be read
     */
    public static java.util.Optional<String> contentDigest(MimeMessage message) throws MessagingException {
        String type = message.getContentType();
        if (type == null) {
            return java.util.Optional.empty();
        }
        String base;
        try {
            base = new javax.mail.internet.ContentType(type).getBaseType().toLowerCase(Locale.ROOT);
        } catch (javax.mail.internet.ParseException e) {
            return java.util.Optional.empty();
        }
        if (!base.equals("application/pkcs7-mime") && !base.equals("application/x-pkcs7-mime")) {
            return java.util.Optional.empty();
        }
        try (java.io.InputStream in = message.getInputStream()) {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
            return java.util.Optional.of(com.google.common.io.BaseEncoding.base16().lowerCase().encode(sha.digest()));
        } catch (IOException e) {
            throw new MessagingException("cannot read the S/MIME content: " + e.getMessage(), e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /**
     * @param message the message (not modified)
     * @param recipients certificates with RSA public keys, at least one
     * @return a new message carrying the encrypted content, same Message-ID
     * @throws MessagingException if the message cannot be read or a certificate cannot be used
     */
    public static MimeMessage encrypt(MimeMessage message, List<X509Certificate> recipients) throws MessagingException {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("no recipient certificate");
        }
        try {
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            message.writeTo(whole);
            MimeBodyPart inner = new MimeBodyPart(new ByteArrayInputStream(whole.toByteArray()));
            Enumeration<Header> all = inner.getAllHeaders();
            java.util.List<String> drop = new java.util.ArrayList<>();
            while (all.hasMoreElements()) {
                String name = all.nextElement().getName();
                if (!name.toLowerCase(Locale.ROOT).startsWith("content-")) {
                    drop.add(name);
                }
            }
            for (String name : drop) {
                inner.removeHeader(name);
            }
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            inner.writeTo(content);

            CMSEnvelopedDataGenerator gen = new CMSEnvelopedDataGenerator();
            for (X509Certificate c : recipients) {
                gen.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(c));
            }
            CMSEnvelopedData enveloped = gen.generate(new CMSProcessableByteArray(content.toByteArray()),
                    new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).build());
            byte[] der = enveloped.getEncoded();

            final String messageId = message.getMessageID();
            MimeMessage out = new MimeMessage(Session.getDefaultInstance(new java.util.Properties())) {
                @Override
                protected void updateMessageID() throws MessagingException {
                    if (messageId == null) {
                        super.updateMessageID();
                    } else {
                        setHeader("Message-ID", messageId);
                    }
                }
            };
            Enumeration<Header> headers = message.getAllHeaders();
            while (headers.hasMoreElements()) {
                Header h = headers.nextElement();
                if (!h.getName().toLowerCase(Locale.ROOT).startsWith("content-")) {
                    out.addHeader(h.getName(), h.getValue());
                }
            }
            out.setDataHandler(new DataHandler(new ByteArrayDataSource(der, CONTENT_TYPE)));
            out.setHeader("Content-Type", CONTENT_TYPE);
            out.setHeader("Content-Transfer-Encoding", "base64");
            out.setHeader("Content-Disposition", "attachment; filename=\"smime.p7m\"");
            out.setHeader("MIME-Version", "1.0");
            out.saveChanges();
            return out;
        } catch (IOException | CMSException | java.security.cert.CertificateEncodingException e) {
            throw new MessagingException("S/MIME encryption failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new MessagingException("S/MIME encryption failed: " + e, e);
        }
    }

}
