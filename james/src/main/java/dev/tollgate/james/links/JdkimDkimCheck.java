package dev.tollgate.james.links;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.FailException;
import org.apache.james.jdkim.exceptions.PermFailException;
import org.apache.james.jdkim.exceptions.TempFailException;
import org.apache.james.jdkim.impl.DNSPublicKeyRecordRetriever;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Resolver;

import dev.tollgate.core.links.DkimCheck;

/**
 * {@link DkimCheck} backed by Apache jDKIM (shipped by James 3.8.1): verifies the message's
 * {@code DKIM-Signature} fields (RFC 6376 §6) against the public key records of their {@code d=}/{@code s=}
 * ({@code <s>._domainkey.<d>} TXT, RFC 6376 §3.6.2). Any failure (bad signature or body hash, no key, DNS
 * failure, malformed field) is a result that is not verified. Thread-safe: a verifier is made per check.
 */
public final class JdkimDkimCheck implements DkimCheck {
    /** Timeout of the whole key lookup (all resolvers and retries) of one signature. */
    public static final Duration DNS_TIMEOUT = Duration.ofSeconds(5);

    /** Most DKIM-Signature fields checked: a message with more is not verified (bounds the DNS lookups). */
    public static final int MAX_SIGNATURES = 5;

    private final PublicKeyRecordRetriever keys;

    /** @param keys where public key records come from (DNS in production, a stub in tests) */
    public JdkimDkimCheck(PublicKeyRecordRetriever keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /** @return a check asking the system's resolvers, each key lookup bounded by {@link #DNS_TIMEOUT} */
    public static JdkimDkimCheck dns() {
        Resolver resolver = new ExtendedResolver();
        resolver.setTimeout(DNS_TIMEOUT);
        return new JdkimDkimCheck(new DNSPublicKeyRecordRetriever(resolver));
    }

    @Override
    public Result check(MimeMessage message) {
        try {
            String[] fields = message.getHeader("DKIM-Signature");
            if (fields != null && fields.length > MAX_SIGNATURES) {
                return Result.failed(fields.length + " DKIM-Signature fields, more than " + MAX_SIGNATURES + " not checked");
            }
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            message.writeTo(raw);
            List<SignatureRecord> verified = new DKIMVerifier(keys).verify(new ByteArrayInputStream(raw.toByteArray()));
            if (verified == null || verified.isEmpty()) {
                return Result.failed("no DKIM signature verified");
            }
            SignatureRecord first = verified.get(0);
            return Result.verified("d=" + first.getDToken() + " s=" + first.getSelector());
        } catch (TempFailException e) {
            return Result.failed("cannot be checked (temporary failure, e.g. DNS): " + e.getMessage());
        } catch (PermFailException e) {
            return Result.failed("failed: " + e.getMessage());
        } catch (FailException e) {
            return Result.failed("failed: " + e.getMessage());
        } catch (IOException | MessagingException | RuntimeException e) {
            return Result.failed("cannot be checked: " + e);
        }
    }
}
