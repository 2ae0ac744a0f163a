package dev.tollgate.james.transport;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.inject.Inject;
import javax.mail.Header;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tollgate.core.mfa.AuthservId;
import dev.tollgate.core.mfa.MfaService;
import dev.tollgate.james.config.ComponentInit;

/**
 * Removes the trust header fields a sender could forge before any Tollgate component writes its own:
 * {@code Authentication-Results} fields whose authserv-id is ours (RFC 8601 §5; the ones {@link RequireMfa}
 * writes, e.g. {@code auth=pass (mfa=totp)}), and every field starting with {@code X-Tollgate-}
 * ({@code X-Tollgate-Transport}, {@code -Links}, {@code -Link-Warning}, {@code -DLP}). An
 * {@code Authentication-Results} field whose authserv-id cannot be read is removed too (fail closed).
 *
 * <p>Must run first, on all mail, in the {@code root} processor: every Tollgate component that writes
 * these fields runs later (in {@code transport}), so its own fields survive.
 *
 * <pre>{@code
 * <mailet match="All" class="dev.tollgate.james.transport.RemoveForgedTrustHeaders"/>
 * }</pre>
 *
 * <p>Thread-safe: the configuration is immutable after {@link #init()}. A message that cannot be modified
 * makes {@link #service(Mail)} throw, and James routes the mail by {@code onMailetException}.
 */
public class RemoveForgedTrustHeaders extends GenericMailet {
    private static final Logger LOG = LoggerFactory.getLogger(RemoveForgedTrustHeaders.class);

    private final String authservId;
    private volatile RemoveForgedTrustHeadersConfig config;

    /** For James: the authserv-id is {@code RequireMfa}'s, from the MFA service's {@code tollgate-mfa.properties}. */
    @Inject
    public RemoveForgedTrustHeaders(MfaService mfa) {
        this(mfa.config().authservId());
    }

    RemoveForgedTrustHeaders(String authservId) {
        this.authservId = authservId;
    }

    @Override
    public void init() throws MessagingException {
        config = ComponentInit.mailet(this, RemoveForgedTrustHeadersConfig::parse);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        try {
            MimeMessage message = mail.getMessage();
            Set<String> removed = strip(message, config, authservId);
            if (!removed.isEmpty()) {
                // no saveChanges() after a header change: see AddSecurityHeaders
                LOG.info("{}: mail {}: removed forged header fields {}", getMailetName(), mail.getName(), removed);
            }
        } catch (RuntimeException e) {
            throw new MessagingException(getMailetName() + ": cannot remove header fields of mail "
                    + mail.getName() + ": " + e, e);
        }
    }

    /**
     * Removes the forged fields from {@code message} (without saving it).
     *
     * @return the names of the fields removed, empty when none
     */
    static Set<String> strip(MimeMessage message, RemoveForgedTrustHeadersConfig c, String authservId) throws MessagingException {
        Set<String> removed = new LinkedHashSet<>();
        if (!c.prefix().isEmpty()) {
            Set<String> names = new LinkedHashSet<>();
            for (Enumeration<Header> all = message.getAllHeaders(); all.hasMoreElements(); ) {
                String name = all.nextElement().getName();
                if (name.toLowerCase(Locale.ROOT).startsWith(c.prefix())) {
                    names.add(name);
                }
            }
            for (String name : names) {
                message.removeHeader(name);
                removed.add(name);
            }
        }
        for (String name : c.headers()) {
            if (message.getHeader(name) != null) {
                message.removeHeader(name);
                removed.add(name);
            }
        }
        String[] results = message.getHeader(c.authResultsHeader());
        if (results != null) {
            List<String> keep = new ArrayList<>();
            for (String v : results) {
                if (!AuthservId.claims(v, authservId)) {
                    keep.add(v);
                }
            }
            if (keep.size() != results.length) {
                message.removeHeader(c.authResultsHeader());
                for (String v : keep) {
                    message.addHeader(c.authResultsHeader(), v);
                }
                removed.add(c.authResultsHeader());
            }
        }
        return removed;
    }

    @Override
    public String getMailetInfo() {
        return "Tollgate RemoveForgedTrustHeaders: removes Authentication-Results claiming this server and X-Tollgate-* fields";
    }
}
