package dev.tollgate.core.audit;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * One security decision for the audit trail, written as one JSON object on one line ({@link #toJson}).
 * The schema is stable: every key is always present, in this order, {@code null} (or empty) when unknown:
 *
 * <pre>
 * time        ISO-8601 UTC instant, milliseconds
 * node        the James node (system property tollgate.node, else the host name)
 * capability  mfa | dlp | links | tls
 * decision    what Tollgate decided (pass, refuse, defer, quarantine, reject, allow, rewrite, allowed, blocked...)
 * user        the authenticated user, or the envelope sender, or the hashed recipient id of a link
 * client      the client IP address (SMTP/IMAP/HTTP peer), or the MX host for deliveries
 * message_id  the Message-ID header, when the decision is about a mail
 * rules       the ids of the rules or checks that decided (DLP rule ids, link finding reasons)
 * reason      a short code: why (bad_password, replay, starttls_not_supported...)
 * details     capability-specific codes and counts (protocol, method, level, detector counts...)
 * </pre>
 *
 * <p>Only codes, identities, addresses and counts go in: never a password, code, token, secret or matched
 * value. Every text value is cut at 256 characters and stripped of control characters, so a hostile value
 * cannot forge a second line. Immutable.
 */
public final class AuditEvent {
    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX = 256;

    private final Instant time;
    private final String capability;
    private final String decision;
    private final String user;
    private final String client;
    private final String messageId;
    private final List<String> rules;
    private final String reason;
    private final Map<String, String> details;

    private AuditEvent(Builder b) {
        this.time = b.time == null ? Instant.now() : b.time;
        this.capability = Objects.requireNonNull(b.capability, "capability");
        this.decision = Objects.requireNonNull(b.decision, "decision");
        this.user = b.user;
        this.client = b.client;
        this.messageId = b.messageId;
        this.rules = List.copyOf(b.rules);
        this.reason = b.reason;
        this.details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.details));
    }

    /**
     * @param capability {@code mfa}, {@code dlp}, {@code links} or {@code tls}
     * @param decision   what was decided
     */
    public static Builder of(String capability, String decision) {
        return new Builder(capability, decision);
    }

    /** @return the capability */
    public String capability() {
        return capability;
    }

    /** @return the decision */
    public String decision() {
        return decision;
    }

    /** @return the reason code, or null */
    public String reason() {
        return reason;
    }

    /**
     * @param node the node name written in {@code node}
     * @return the event as one line of JSON, without a line break
     */
    public String toJson(String node) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", time.truncatedTo(ChronoUnit.MILLIS).toString());
            text(g, "node", node);
            text(g, "capability", capability);
            text(g, "decision", decision);
            text(g, "user", user);
            text(g, "client", client);
            text(g, "message_id", messageId);
            g.writeArrayFieldStart("rules");
            for (String r : rules) {
                g.writeString(clean(r));
            }
            g.writeEndArray();
            text(g, "reason", reason);
            g.writeObjectFieldStart("details");
            for (Map.Entry<String, String> e : details.entrySet()) {
                text(g, clean(e.getKey()), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void text(JsonGenerator g, String key, String value) throws IOException {
        if (value == null) {
            g.writeNullField(key);
        } else {
            g.writeStringField(key, clean(value));
        }
    }

    /** Control characters become spaces (no forged lines, even unescaped); longer values are cut. */
    static String clean(String value) {
        StringBuilder s = new StringBuilder(Math.min(value.length(), MAX));
        for (int i = 0; i < value.length() && s.length() < MAX; i++) {
            char c = value.charAt(i);
            s.append(c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' ? ' ' : c);
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return toJson(null);
    }

    /** Builds an {@link AuditEvent}; every field but capability and decision is optional. */
    public static final class Builder {
        private final String capability;
        private final String decision;
        private Instant time;
        private String user;
        private String client;
        private String messageId;
        private final List<String> rules = new ArrayList<>();
        private String reason;
        private final Map<String, String> details = new LinkedHashMap<>();

        private Builder(String capability, String decision) {
            this.capability = capability;
            this.decision = decision;
        }

        /** @param value the instant of the decision (default: now) */
        public Builder time(Instant value) {
            time = value;
            return this;
        }

        /** @param value the user, sender or recipient id; null when unknown */
        public Builder user(String value) {
            user = value;
            return this;
        }

        /** @param value the client address; null when unknown */
        public Builder client(String value) {
            client = value;
            return this;
        }

        /** @param value the Message-ID; null when unknown */
        public Builder messageId(String value) {
            messageId = value;
            return this;
        }

        /** @param ids rule or check ids, in order */
        public Builder rules(java.util.Collection<String> ids) {
            rules.addAll(ids);
            return this;
        }

        /** @param value the reason code; null for none */
        public Builder reason(String value) {
            reason = value;
            return this;
        }

        /** Adds one detail (a code or a count, never a secret); a null value is written as null. */
        public Builder detail(String key, Object value) {
            details.put(key, value == null ? null : value.toString());
            return this;
        }

        /** @return the event */
        public AuditEvent build() {
            return new AuditEvent(this);
        }
    }
}
