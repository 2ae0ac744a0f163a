package dev.tollgate.james.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import javax.mail.Address;
import javax.mail.MessagingException;
import javax.mail.SendFailedException;
import javax.mail.Session;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

import com.sun.mail.smtp.SMTPSendFailedException;
import com.sun.mail.smtp.SMTPTransport;
import org.apache.james.core.MailAddress;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.dnsservice.api.TemporaryResolutionException;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tollgate.core.tls.DaneTrustManager;
import dev.tollgate.core.tls.EffectiveTlsPolicy;
import dev.tollgate.core.tls.PeerTrustManager;
import dev.tollgate.core.tls.PolicySocketFactory;
import dev.tollgate.core.tls.TlsFailureClassifier;
import dev.tollgate.core.tls.TlsFailureReason;
import dev.tollgate.core.tls.TlsPolicyEntry;
import dev.tollgate.core.tls.TlsSecurityLevel;
import dev.tollgate.core.tls.TlsSessionListener;
import dev.tollgate.core.tls.TlsTrust;
import dev.tollgate.core.tls.TlsaRecord;

/**
 * Delivers one mail (all recipients in one destination domain) under an {@link EffectiveTlsPolicy}: resolves
 * the MX hosts through James's {@link DNSService}, skips the hosts the policy does not permit, and talks SMTP
 * with JavaMail, one fresh {@link Session} per connection so the TLS settings are per destination:
 *
 * <ul>
 *   <li>{@code none}: no STARTTLS;
 *   <li>{@code may} (and {@code dane} without usable TLSA, MTA-STS {@code testing}): STARTTLS when offered, any
 *       certificate; if the TLS handshake fails, one retry on the same address in plain text, as Postfix does;
 *   <li>levels requiring TLS: {@code mail.smtp.starttls.required=true}, so JavaMail stops before {@code MAIL FROM}
 *       when STARTTLS is absent or refused; and, as a second guard, a connection on which the TLS layer was never
 *       created is closed before anything is sent;
 *   <li>levels verifying the peer: PKIX against {@link TlsTrust} plus the host name check of {@link PeerTrustManager}.
 * </ul>
 *
 * <p>{@link EffectiveTlsPolicy.Mode#TESTING} (MTA-STS {@code testing}, or the mailet's local {@code mode=testing}):
 * delivery as {@code may}, but every session is checked as the policy's level would check it (only what that level
 * checks: {@code encrypt} no certificate, {@code verify} chain and name, DANE the TLSA match, MTA-STS also the MX
 * patterns) and failures go to the {@link TlsSessionListener} only; a deferral decided by the resolver
 * ({@code dane-required}, {@code dnssec-invalid}, policy fetch error) is reported and delivery goes on.
 *
 * <p>Thread-safe: no mutable state; every attempt builds its own session, SSL context and socket factory.
 */
final class MxDeliverer {
    private static final Logger LOG = LoggerFactory.getLogger(MxDeliverer.class);
    private static final String NOT_OFFERED = "STARTTLS is required but host does not support STARTTLS";

    private final TlsPolicyDeliveryConfig config;
    private final TlsTrust trust;
    private final DNSService dns;
    private final TlsSessionListener sessions;

    MxDeliverer(TlsPolicyDeliveryConfig config, TlsTrust trust, DNSService dns) {
        this(config, trust, dns, TlsSessionListener.NONE);
    }

    MxDeliverer(TlsPolicyDeliveryConfig config, TlsTrust trust, DNSService dns, TlsSessionListener sessions) {
        this.config = config;
        this.trust = trust;
        this.dns = dns;
        this.sessions = sessions;
    }

    DeliveryResult deliver(Mail mail, EffectiveTlsPolicy policy) {
        boolean testing = policy.mode() == EffectiveTlsPolicy.Mode.TESTING;
        if (policy.deferReason().isPresent()) {
            if (!testing) {
                return DeliveryResult.tlsFailure(policy.deferReason().get(), null);
            }
            sessions.session(policy, null, null, null, policy.deferReason().get());
        }
        Collection<String> mxHosts;
        try {
            mxHosts = dns.findMXRecords(policy.domain());
        } catch (TemporaryResolutionException e) {
            return DeliveryResult.temporary("451 4.4.3 temporary DNS failure looking up the MX of " + policy.domain(), null);
        }
        if (mxHosts == null || mxHosts.isEmpty()) {
            return DeliveryResult.permanent("550 5.1.2 no mail server found for " + policy.domain(), null);
        }
        DeliveryResult last = null;
        boolean anyPermitted = false;
        for (String mx : mxHosts) {
            String host = mx.endsWith(".") ? mx.substring(0, mx.length() - 1) : mx;
            if (!policy.permitsMx(host)) {
                LOG.info("tollgate.tls.delivery mx-skipped domain={} mx={} reason={}", policy.domain(), host,
                        TlsFailureReason.MX_NOT_PERMITTED.code());
                continue;
            }
            if (!policy.matchesMxPatterns(host)) {
                // MTA-STS testing (RFC 8461 §5): report, deliver anyway.
                sessions.session(policy, host, null, null, TlsFailureReason.MX_NOT_PERMITTED);
            }
            anyPermitted = true;
            Collection<InetAddress> addresses;
            try {
                addresses = dns.getAllByName(host);
            } catch (UnknownHostException e) {
                last = prefer(last, DeliveryResult.temporary("451 4.4.4 cannot resolve MX host " + host, host));
                continue;
            }
            for (InetAddress address : addresses) {
                DeliveryResult r = attempt(mail, policy, host, address);
                if (r.kind() != DeliveryResult.Kind.TEMPORARY || !r.delivered().isEmpty() || !r.rejected().isEmpty()) {
                    return r;
                }
                last = prefer(last, r);
            }
        }
        if (!anyPermitted) {
            sessions.session(policy, strip(mxHosts.iterator().next()), null, null, TlsFailureReason.MX_NOT_PERMITTED);
            return DeliveryResult.tlsFailure(TlsFailureReason.MX_NOT_PERMITTED, strip(mxHosts.iterator().next()));
        }
        return last != null ? last : DeliveryResult.temporary("451 4.4.4 no address for any MX host", null);
    }

    private static String strip(String mx) {
        return mx.endsWith(".") ? mx.substring(0, mx.length() - 1) : mx;
    }

    /** A TLS reason says more than a connection error: keep it. */
    private static DeliveryResult prefer(DeliveryResult previous, DeliveryResult next) {
        if (previous != null && previous.tlsReason().isPresent() && next.tlsReason().isEmpty()) {
            return previous;
        }
        return next;
    }

    DeliveryResult attempt(Mail mail, EffectiveTlsPolicy policy, String mx, InetAddress address) {
        TlsSecurityLevel level = policy.level();
        boolean testing = policy.mode() == EffectiveTlsPolicy.Mode.TESTING;
        if (level == TlsSecurityLevel.DANE_ONLY && usableTlsa(policy, mx).isEmpty() && policy.deferReason().isEmpty()) {
            sessions.session(policy, mx, address, null, TlsFailureReason.DANE_REQUIRED);
            if (!testing) {
                return DeliveryResult.tlsFailure(TlsFailureReason.DANE_REQUIRED, mx);
            }
        }
        if (level == TlsSecurityLevel.NONE) {
            return send(mail, policy, mx, address, null, false);
        }
        boolean required = policy.enforcesTls();
        PolicySocketFactory factory = factory(policy, mx);
        DeliveryResult r = send(mail, policy, mx, address, factory, required);
        // Opportunistic: a failed handshake (or, in testing mode, a refused STARTTLS) is retried in plain text.
        if (!required && r.tlsReason().isPresent() && (factory.used() || testing)
                && r.tlsReason().get() != TlsFailureReason.REQUIRETLS_NOT_SUPPORTED) {
            LOG.info("tollgate.tls.delivery opportunistic-fallback domain={} mx={} reason={}", policy.domain(), mx,
                    r.tlsReason().get().code());
            return send(mail, policy, mx, address, null, false);
        }
        return r;
    }

    PolicySocketFactory factory(EffectiveTlsPolicy policy, String mx) {
        List<TlsaRecord> tlsa = usableTlsa(policy, mx);
        boolean dane = !tlsa.isEmpty();
        // DANE levels: a host without usable TLSA gets mandatory unauthenticated TLS (RFC 7672 §2.2).
        boolean verify = !dane && policy.verifiesPeer() && !policy.level().usesDane();
        boolean testing = policy.mode() == EffectiveTlsPolicy.Mode.TESTING;
        // MTA-STS testing (level may): check as enforce would, but only to report (RFC 8461 §5).
        boolean audit = !verify && !dane && testing && policy.level() == TlsSecurityLevel.MAY;
        List<String> names = verify || audit ? acceptedNames(policy, mx) : List.of();
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            javax.net.ssl.X509TrustManager trustManager = dane
                    ? new DaneTrustManager(tlsa, List.of(mx.toLowerCase(Locale.ROOT), policy.domain()), Clock.systemUTC(),
                            testing)
                    : new PeerTrustManager(verify || audit ? trust.pkix() : null, names, testing);
            context.init(null, new TrustManager[] {trustManager}, null);
            return new PolicySocketFactory(context, config.protocolsFor(policy), config.ciphers(),
                    policy.mapEntry().flatMap(TlsPolicyEntry::ciphers).orElse(null), mx, trustManager);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a TLS context", e);
        }
    }

    /** @return the usable TLSA records of an MX host under a DANE level; empty otherwise */
    static List<TlsaRecord> usableTlsa(EffectiveTlsPolicy policy, String mx) {
        if (!policy.level().usesDane()) {
            return List.of();
        }
        List<TlsaRecord> records = policy.tlsaByMxHost().get(mx.toLowerCase(Locale.ROOT));
        if (records == null) {
            return List.of();
        }
        for (TlsaRecord r : records) {
            if (r.isUsable()) {
                return records;
            }
        }
        return List.of();
    }

    /** Postfix {@code match=} names (default {@code hostname}: the MX host name). */
    static List<String> acceptedNames(EffectiveTlsPolicy policy, String mx) {
        List<String> names = new ArrayList<>();
        List<String> configured = policy.mapEntry().map(TlsPolicyEntry::matchNames).orElse(List.of());
        for (String m : configured.isEmpty() ? List.of("hostname") : configured) {
            switch (m) {
                case "hostname":
                    names.add(mx.toLowerCase(Locale.ROOT));
                    break;
                case "nexthop":
                    names.add(policy.domain());
                    break;
                case "dot-nexthop":
                    names.add("." + policy.domain());
                    break;
                default:
                    names.add(m);
            }
        }
        return names;
    }

    private Properties properties(Mail mail, EffectiveTlsPolicy policy, PolicySocketFactory factory,
            boolean tlsRequired) {
        Properties props = new Properties();
        props.put("mail.smtp.port", String.valueOf(config.port()));
        props.put("mail.smtp.connectiontimeout", String.valueOf(config.connectionTimeout().toMillis()));
        props.put("mail.smtp.timeout", String.valueOf(config.timeout().toMillis()));
        props.put("mail.smtp.sendpartial", "true");
        props.put("mail.smtp.auth", "false");
        props.put("mail.smtp.from", mail.getMaybeSender().asOptional().map(MailAddress::asString).orElse("<>"));
        config.heloName().ifPresent(name -> props.put("mail.smtp.localhost", name));
        if (policy.requireTlsExtension()) {
            // RFC 8689 §4.2.1: relay the REQUIRETLS parameter on MAIL FROM.
            props.put("mail.smtp.mailextension", "REQUIRETLS");
        }
        if (factory == null) {
            props.put("mail.smtp.starttls.enable", "false");
        } else {
            props.put("mail.smtp.starttls.enable", "true");
            props.put("mail.smtp.starttls.required", String.valueOf(tlsRequired));
            props.put("mail.smtp.ssl.socketFactory", factory);
            props.put("mail.smtp.ssl.checkserveridentity", "false");
        }
        return props;
    }

    private DeliveryResult send(Mail mail, EffectiveTlsPolicy policy, String mx, InetAddress address,
            PolicySocketFactory factory, boolean tlsRequired) {
        Session session = Session.getInstance(properties(mail, policy, factory, tlsRequired));
        SMTPTransport transport;
        try {
            transport = (SMTPTransport) session.getTransport("smtp");
        } catch (MessagingException e) {
            throw new IllegalStateException("JavaMail has no smtp transport", e);
        }
        try {
            try {
                transport.connect(address.getHostAddress(), config.port(), null, null);
            } catch (MessagingException e) {
                DeliveryResult failed = connectFailure(e, transport, factory, mx);
                failed.tlsReason().ifPresent(reason -> sessions.session(policy, mx, address,
                        factory == null ? null : factory.localAddress(), reason));
                return failed;
            }
            if (tlsRequired && (factory == null || !factory.used())) {
                // Never reached with starttls.required; kept so that no code path sends MAIL FROM in plain text.
                sessions.session(policy, mx, address, null, TlsFailureReason.STARTTLS_NOT_SUPPORTED);
                return DeliveryResult.tlsFailure(TlsFailureReason.STARTTLS_NOT_SUPPORTED, mx);
            }
            if (factory != null) {
                recordSession(policy, mx, address, factory);
            }
            if (policy.requireTlsExtension() && (factory == null || !factory.used()
                    || !transport.supportsExtension("REQUIRETLS"))) {
                // RFC 8689 §4.2.1: never hand a REQUIRETLS mail to a hop that does not promise to keep it on TLS.
                LOG.info("tollgate.tls.delivery requiretls-not-offered domain={} mx={}", policy.domain(), mx);
                return DeliveryResult.tlsFailure(TlsFailureReason.REQUIRETLS_NOT_SUPPORTED, mx);
            }
            return transfer(mail, transport, mx);
        } finally {
            try {
                transport.close();
            } catch (MessagingException ignored) {
                // the peer may already be gone
            }
        }
    }

    /** A connection that got past EHLO (and STARTTLS when offered): one TLS-RPT session. */
    private void recordSession(EffectiveTlsPolicy policy, String mx, InetAddress address, PolicySocketFactory factory) {
        if (!factory.used()) {
            sessions.session(policy, mx, address, null, TlsFailureReason.STARTTLS_NOT_SUPPORTED);
            return;
        }
        java.security.cert.CertificateException observed = factory.observedFailure();
        TlsFailureReason dane = factory.daneFailure();
        sessions.session(policy, mx, address, factory.localAddress(), dane != null ? dane
                : observed == null ? null : TlsFailureClassifier.classify(observed));
    }

    private DeliveryResult connectFailure(MessagingException e, SMTPTransport transport, PolicySocketFactory factory,
            String mx) {
        if (factory != null && factory.used()) {
            TlsFailureReason dane = factory.daneFailure();
            return DeliveryResult.tlsFailure(dane != null ? dane : TlsFailureClassifier.classify(e), mx);
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (factory != null && message.contains(NOT_OFFERED)) {
            return DeliveryResult.tlsFailure(TlsFailureReason.STARTTLS_NOT_SUPPORTED, mx);
        }
        int code = transport.getLastReturnCode();
        if (factory != null && code == 454) {
            return DeliveryResult.tlsFailure(TlsFailureReason.STARTTLS_REFUSED, mx);
        }
        return DeliveryResult.temporary("421 4.4.1 connection to " + mx + " failed ("
                + rootCause(e).getClass().getSimpleName() + ")", mx);
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        for (int i = 0; i < 16 && c.getCause() != null && c.getCause() != c; i++) {
            c = c.getCause();
        }
        return c;
    }

    private DeliveryResult transfer(Mail mail, SMTPTransport transport, String mx) {
        List<MailAddress> recipients = new ArrayList<>(mail.getRecipients());
        Address[] to;
        try {
            to = new Address[recipients.size()];
            for (int i = 0; i < to.length; i++) {
                to[i] = new InternetAddress(recipients.get(i).asString());
            }
        } catch (AddressException e) {
            return DeliveryResult.permanent("553 5.1.3 recipient address not usable by the SMTP client", mx);
        }
        try {
            transport.sendMessage(mail.getMessage(), to);
            return DeliveryResult.sent(mx);
        } catch (SendFailedException e) {
            List<MailAddress> delivered = toMailAddresses(e.getValidSentAddresses());
            List<MailAddress> rejected = toMailAddresses(e.getInvalidAddresses());
            String reply = serverReply(transport, e);
            int code = e instanceof SMTPSendFailedException ? ((SMTPSendFailedException) e).getReturnCode()
                    : transport.getLastReturnCode();
            if (delivered.isEmpty() && (rejected.size() == recipients.size() || code >= 500 && rejected.isEmpty())) {
                return DeliveryResult.permanent(reply, mx);
            }
            if (delivered.isEmpty() && rejected.isEmpty()) {
                return DeliveryResult.temporary(reply, mx);
            }
            return DeliveryResult.partial(mx, delivered, rejected, reply);
        } catch (MessagingException e) {
            String reply = serverReply(transport, e);
            return transport.getLastReturnCode() >= 500 ? DeliveryResult.permanent(reply, mx)
                    : DeliveryResult.temporary(reply, mx);
        }
    }

    private static String serverReply(SMTPTransport transport, MessagingException e) {
        String last = transport.getLastServerResponse();
        if (last != null && last.length() >= 3 && Character.isDigit(last.charAt(0))) {
            return last.trim().replace('\r', ' ').replace('\n', ' ');
        }
        return "451 4.3.0 SMTP transfer failed (" + rootCause(e).getClass().getSimpleName() + ")";
    }

    private static List<MailAddress> toMailAddresses(Address[] addresses) {
        List<MailAddress> out = new ArrayList<>();
        if (addresses != null) {
            for (Address a : addresses) {
                try {
                    out.add(new MailAddress(((InternetAddress) a).getAddress()));
                } catch (AddressException | ClassCastException e) {
                    LOG.debug("unusable address in JavaMail result");
                }
            }
        }
        return out;
    }
}
