package dev.tollgate.james.mfa;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.apache.james.core.Username;

/**
 * The client's first message of OAUTHBEARER (RFC 7628 §3.1) or XOAUTH2, Base64-decoded and split into the
 * identity it claims and the bearer token. Accepted forms ({@code ^A} is {@code %x01}):
 * <ul>
 *   <li>OAUTHBEARER: {@code n,a=alice@example.com,^Aauth=Bearer <token>^A^A}, with optional {@code host=} and
 *       {@code port=} pairs; {@code y,} instead of {@code n,} too. The authorization identity ({@code a=},
 *       RFC 5801 saslname with {@code =2C}/{@code =3D} escapes) is required here: Tollgate compares it with
 *       the token's verified user claim.</li>
 *   <li>XOAUTH2: {@code user=alice@example.com^Aauth=Bearer <token>^A^A}.</li>
 *   <li>James's own form {@code n,user=alice@example.com^Aauth=Bearer <token>^A^A}, so that clients written
 *       against James's parser keep working.</li>
 * </ul>
 * Channel binding ({@code p=}) is refused (RFC 7628 §3.1 does not support it). A {@code user=} pair and an
 * {@code a=} identity must agree when both are given. Anything else is malformed: {@link #parse} returns empty.
 * The token itself is only checked for the RFC 6750 §2.1 {@code b64token} syntax; it is never logged
 * ({@link #toString()} leaves it out). Immutable.
 */
final class OAuthInitialResponse {
    /** Longest Base64 initial response examined, in characters (a 16 KiB token and its framing). */
    static final int MAX_ENCODED = 24 * 1024;
    private static final char KVSEP = '\u0001';
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

    private final Username user;
    private final String token;

    private OAuthInitialResponse(Username user, String token) {
        this.user = user;
        this.token = token;
    }

    /**
     * @param encoded the initial response as sent after {@code AUTH OAUTHBEARER} (Base64, with or without
     *                a trailing CRLF); may be null
     * @return the identity and token; empty when the text is not Base64, too long, or not one of the forms
     */
    static Optional<OAuthInitialResponse> parse(String encoded) {
        if (encoded == null) {
            return Optional.empty();
        }
        String trimmed = encoded.strip();
        if (trimmed.isEmpty() || trimmed.length() > MAX_ENCODED) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(trimmed), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return parseDecoded(decoded);
    }

    private static Optional<OAuthInitialResponse> parseDecoded(String decoded) {
        if (decoded.startsWith("p=")) {
            return Optional.empty();
        }
        String pairs = decoded;
        String authzid = null;
        if (decoded.startsWith("n,") || decoded.startsWith("y,")) {
            String rest = decoded.substring(2);
            int sep = rest.indexOf(KVSEP);
            String head = sep < 0 ? rest : rest.substring(0, sep);
            if (head.startsWith("a=") && head.endsWith(",") && head.indexOf(',') == head.length() - 1) {
                authzid = unescapeSaslName(head.substring(2, head.length() - 1));
                if (authzid == null) {
                    return Optional.empty();
                }
                pairs = rest.substring(head.length());
            } else if (head.equals(",")) {
                pairs = rest.substring(1);
            } else {
                pairs = rest;
            }
        }
        String user = null;
        String auth = null;
        for (String pair : pairs.split(String.valueOf(KVSEP), -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                return Optional.empty();
            }
            String key = pair.substring(0, eq);
            String value = pair.substring(eq + 1);
            if (key.equals("auth")) {
                if (auth != null) {
                    return Optional.empty();
                }
                auth = value;
            } else if (key.equals("user")) {
                if (user != null) {
                    return Optional.empty();
                }
                user = value;
            }
        }
        Optional<String> token = bearerToken(auth);
        Optional<Username> identity = identity(authzid, user);
        if (token.isEmpty() || identity.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new OAuthInitialResponse(identity.get(), token.get()));
    }

    /** RFC 6750 §2.1: {@code Bearer 1*SP b64token}; the scheme is case-insensitive (RFC 7235 §2.1). */
    private static Optional<String> bearerToken(String auth) {
        if (auth == null || auth.length() < 7 || !auth.substring(0, 6).toLowerCase(Locale.ROOT).equals("bearer")
                || auth.charAt(6) != ' ') {
            return Optional.empty();
        }
        String token = auth.substring(7).strip();
        return B64TOKEN.matcher(token).matches() ? Optional.of(token) : Optional.empty();
    }

    private static Optional<Username> identity(String authzid, String user) {
        String name = authzid != null ? authzid : user;
        if (name == null) {
            return Optional.empty();
        }
        try {
            Username parsed = Username.of(name);
            if (authzid != null && user != null && !Username.of(user).equals(parsed)) {
                return Optional.empty();
            }
            return Optional.of(parsed);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** RFC 5801 §4 saslname: "," and "=" appear only as {@code =2C} and {@code =3D}; null when malformed. */
    private static String unescapeSaslName(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '=') {
                String escape = value.length() >= i + 3 ? value.substring(i + 1, i + 3) : "";
                if (escape.equals("2C")) {
                    out.append(',');
                } else if (escape.equals("3D")) {
                    out.append('=');
                } else {
                    return null;
                }
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** @return the identity the client asks to act as (authorization identity) */
    Username user() {
        return user;
    }

    /** @return the bearer token, unverified */
    String token() {
        return token;
    }

    @Override
    public String toString() {
        return "OAuthInitialResponse[user=" + user.asString() + "]";
    }
}
