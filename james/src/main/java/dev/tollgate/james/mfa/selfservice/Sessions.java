package dev.tollgate.james.mfa.selfservice;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import java.nio.charset.StandardCharsets;

/**
 * Server-side sessions of the page, in memory: a random 256-bit id (the cookie), a random CSRF token bound to
 * the session, the signed-in user (absent on the sign-in form) and an absolute expiry. Signing in replaces the
 * session with a new id (no fixation). At most {@code max} sessions are kept; expired ones are swept and the
 * oldest dropped beyond the bound, so a flood of sign-in forms costs bounded memory. Thread-safe.
 */
final class Sessions {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One session; immutable except for the one-shot notice. */
    static final class Session {
        final String id;
        final String csrf;
        final String user;
        final Instant expires;
        volatile String notice;

        Session(String id, String csrf, String user, Instant expires) {
            this.id = id;
            this.csrf = csrf;
            this.user = user;
            this.expires = expires;
        }

        boolean signedIn() {
            return user != null;
        }

        /** Constant-time comparison of the form's token with this session's. */
        boolean csrfMatches(String candidate) {
            return candidate != null && MessageDigest.isEqual(csrf.getBytes(StandardCharsets.US_ASCII),
                    candidate.getBytes(StandardCharsets.US_ASCII));
        }

        /** @return the notice set for the next page, once */
        String takeNotice() {
            String n = notice;
            notice = null;
            return n;
        }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Duration lifetime;
    private final int max;
    private final Clock clock;

    Sessions(Duration lifetime, int max, Clock clock) {
        this.lifetime = lifetime;
        this.max = max;
        this.clock = clock;
    }

    static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** @return a new session, anonymous when {@code user} is null */
    Session create(String user) {
        if (sessions.size() >= max) {
            sweep();
        }
        Session s = new Session(random(), random(), user, clock.instant().plus(lifetime));
        sessions.put(s.id, s);
        return s;
    }

    /** @return the live session of this id */
    Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session s = sessions.get(id);
        if (s == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(s.expires)) {
            sessions.remove(id);
            return Optional.empty();
        }
        return Optional.of(s);
    }

    void remove(Session s) {
        sessions.remove(s.id);
    }

    private void sweep() {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> !now.isBefore(s.expires));
        Iterator<Session> oldest = sessions.values().stream().sorted((a, b) -> a.expires.compareTo(b.expires)).iterator();
        while (sessions.size() >= max && oldest.hasNext()) {
            sessions.remove(oldest.next().id);
        }
    }

    int size() {
        return sessions.size();
    }
}
