package dev.tollgate.james.mfa.selfservice;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Optional;

import java.nio.charset.StandardCharsets;

/**
 * Server-side sessions of the page, in memory: a random 256-bit id (the cookie), a random CSRF token bound to
 * the session, the signed-in user (absent on the sign-in form) and an absolute expiry. Signing in replaces the
 * session with a new id (no fixation). At most {@code max} anonymous (sign-in form) sessions and {@code max}
 * signed-in sessions are kept, each kind dropping its expired and then its oldest beyond the bound, so a flood of
 * sign-in forms costs bounded memory and never signs anyone out. Thread-safe.
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

    /**
     * Sessions of one kind in creation order, which is also expiry order (every session lives {@code lifetime}):
     * the eldest entry is the next to expire and the first to go beyond the bound. Every operation is O(1)
     * amortised; the page's traffic is small, so one lock per pool is enough.
     */
    private static final class Pool {
        private final LinkedHashMap<String, Session> byId = new LinkedHashMap<>();
        private final int max;

        Pool(int max) {
            this.max = max;
        }

        synchronized void add(Session s, Instant now) {
            Iterator<Session> eldest = byId.values().iterator();
            while (eldest.hasNext()) {
                Session e = eldest.next();
                if (now.isBefore(e.expires) && byId.size() < max) {
                    break;
                }
                eldest.remove();
            }
            byId.put(s.id, s);
        }

        synchronized Session get(String id) {
            return byId.get(id);
        }

        synchronized void remove(String id) {
            byId.remove(id);
        }

        synchronized int size() {
            return byId.size();
        }
    }

    // Two pools: anyone can open a sign-in form, so a flood of anonymous sessions only ever evicts anonymous ones;
    // signed-in sessions are bounded separately and cost a valid password and factor each.
    private final Pool anonymous;
    private final Pool signedIn;
    private final Duration lifetime;
    private final Clock clock;

    Sessions(Duration lifetime, int max, Clock clock) {
        this.lifetime = lifetime;
        this.anonymous = new Pool(max);
        this.signedIn = new Pool(max);
        this.clock = clock;
    }

    static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** @return a new session, anonymous when {@code user} is null */
    Session create(String user) {
        Instant now = clock.instant();
        Session s = new Session(random(), random(), user, now.plus(lifetime));
        (user == null ? anonymous : signedIn).add(s, now);
        return s;
    }

    /** @return the live session of this id */
    Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session s = signedIn.get(id);
        if (s == null) {
            s = anonymous.get(id);
        }
        if (s == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(s.expires)) {
            remove(s);
            return Optional.empty();
        }
        return Optional.of(s);
    }

    void remove(Session s) {
        (s.signedIn() ? signedIn : anonymous).remove(s.id);
    }

    /** @return sessions held, both kinds */
    int size() {
        return anonymous.size() + signedIn.size();
    }
}
