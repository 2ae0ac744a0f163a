package dev.tollgate.james.mfa.selfservice;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import java.nio.charset.StandardCharsets;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sessions of the page. A signed-in session is server-side, in memory: a random 256-bit id (the cookie), a random
 * CSRF token bound to it, the user and an absolute expiry; at most {@code max} are kept, the expired and then the
 * oldest dropped beyond the bound, and at most {@link #PER_USER} per user, that user's oldest dropped beyond.
 * Signing in replaces the sign-in form's session with a new id (no fixation).
 *
 * <p>A sign-in form's session is held by nobody but the browser: its id is
 * {@code a.<base64url(expiry seconds, 8 bytes big-endian ‖ 16 random bytes)>.<base64url(HMAC-SHA256)>} under a key
 * drawn at start, and its CSRF token is an HMAC of that id. A flood of sign-in forms therefore costs no memory, never
 * pushes out another visitor's open form and never signs anyone out. Such an id is valid on this process only, until
 * its expiry; removing it is a no-op. MACs are compared in constant time. Thread-safe.
 */
final class Sessions {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Signed-in sessions one user may hold at once; a further sign-in ends that user's oldest. */
    static final int PER_USER = 20;
    private static final String FORM_PREFIX = "a.";
    private static final int FORM_PAYLOAD = 8 + 16;

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
     * Signed-in sessions in creation order, which is also expiry order (every session lives {@code lifetime}):
     * the eldest entry is the next to expire and the first to go beyond the bound. A user holds at most
     * {@link #PER_USER} of them, their own oldest going first, so that one account signing in again and again
     * cannot push everybody else out. Every operation is O(1) amortised; the page's traffic is small, so one
     * lock is enough.
     */
    private static final class Pool {
        private final LinkedHashMap<String, Session> byId = new LinkedHashMap<>();
        private final Map<String, ArrayDeque<String>> byUser = new HashMap<>();
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
                forget(e);
            }
            ArrayDeque<String> own = byUser.computeIfAbsent(s.user, u -> new ArrayDeque<>());
            while (own.size() >= PER_USER) {
                byId.remove(own.removeFirst());
            }
            own.addLast(s.id);
            byId.put(s.id, s);
        }

        private void forget(Session e) {
            ArrayDeque<String> own = byUser.get(e.user);
            if (own != null) {
                own.remove(e.id);
                if (own.isEmpty()) {
                    byUser.remove(e.user);
                }
            }
        }

        synchronized Session get(String id) {
            return byId.get(id);
        }

        synchronized void remove(String id) {
            Session e = byId.remove(id);
            if (e != null) {
                forget(e);
            }
        }

        synchronized int size() {
            return byId.size();
        }
    }

    private final Pool signedIn;
    private final Duration lifetime;
    private final Clock clock;
    /** Signs sign-in-form ids and derives their CSRF tokens; never leaves the process. */
    private final SecretKeySpec formKey;

    Sessions(Duration lifetime, int max, Clock clock) {
        this.lifetime = lifetime;
        this.signedIn = new Pool(max);
        this.clock = clock;
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        this.formKey = new SecretKeySpec(key, "HmacSHA256");
    }

    static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** @return a new session, a sign-in form's when {@code user} is null */
    Session create(String user) {
        Instant now = clock.instant();
        Instant expires = now.plus(lifetime);
        if (user == null) {
            ByteBuffer payload = ByteBuffer.allocate(FORM_PAYLOAD).putLong(expires.getEpochSecond());
            byte[] nonce = new byte[16];
            RANDOM.nextBytes(nonce);
            payload.put(nonce);
            String body = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.array());
            String id = FORM_PREFIX + body + "." + mac("id", body);
            return new Session(id, mac("csrf", id), null, Instant.ofEpochSecond(expires.getEpochSecond()));
        }
        Session s = new Session(random(), random(), user, expires);
        signedIn.add(s, now);
        return s;
    }

    /** @return the live session of this id */
    Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        if (id.startsWith(FORM_PREFIX)) {
            return form(id);
        }
        Session s = signedIn.get(id);
        if (s == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(s.expires)) {
            remove(s);
            return Optional.empty();
        }
        return Optional.of(s);
    }

    /** @return the sign-in form's session an id names, when its MAC holds and it has not expired */
    private Optional<Session> form(String id) {
        int dot = id.indexOf('.', FORM_PREFIX.length());
        if (dot < 0 || id.length() > 128) {
            return Optional.empty();
        }
        String body = id.substring(FORM_PREFIX.length(), dot);
        byte[] expected = mac("id", body).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, id.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        byte[] payload;
        try {
            payload = Base64.getUrlDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (payload.length != FORM_PAYLOAD) {
            return Optional.empty();
        }
        Instant expires = Instant.ofEpochSecond(ByteBuffer.wrap(payload).getLong());
        if (!clock.instant().isBefore(expires)) {
            return Optional.empty();
        }
        return Optional.of(new Session(id, mac("csrf", id), null, expires));
    }

    private String mac(String purpose, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(formKey);
            mac.update(purpose.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) 0);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    mac.doFinal(text.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Ends a signed-in session; a sign-in form's session holds nothing to remove. */
    void remove(Session s) {
        if (s.signedIn()) {
            signedIn.remove(s.id);
        }
    }

    /** @return signed-in sessions held (sign-in forms' sessions are held by nobody) */
    int size() {
        return signedIn.size();
    }
}
