package dev.tollgate.core.mfa;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An {@code otpauth://totp/} provisioning URI in the Key Uri Format of Google Authenticator, shown as a
 * QR code at enrolment:
 * {@code otpauth://totp/Issuer:user@example.com?secret=BASE32&issuer=Issuer&algorithm=SHA1&digits=6&period=30}.
 *
 * <p>Label and parameter values are percent-encoded as UTF-8 (RFC 3986 §2.1); a space is written
 * {@code %20}, never {@code +}. When parsing, {@code +} in the label is a literal plus (addresses like
 * {@code user+tag@example.com}), and in query values it is a literal plus too, since this format is not
 * form-encoded. Only the {@code totp} type is accepted; {@code hotp} URIs are refused. Missing optional
 * parameters take the format's defaults (SHA1, 6 digits, 30 s). Unknown parameters (such as
 * {@code image}) are ignored. If both the label prefix and the {@code issuer} parameter are present they
 * must agree.
 *
 * <p>Immutable and thread-safe. {@link #toString()} omits the secret; parse errors never quote the input.
 */
public final class OtpAuthUri {
    /** Longest URI {@link #parse} accepts, in characters. */
    public static final int MAX_LENGTH = 2048;

    private final String issuer;
    private final String account;
    private final TotpSecret secret;
    private final TotpAlgorithm algorithm;
    private final int digits;
    private final Duration period;

    private OtpAuthUri(String issuer, String account, TotpSecret secret, TotpAlgorithm algorithm, int digits,
            Duration period) {
        if (account == null || account.isEmpty()) {
            throw new IllegalArgumentException("otpauth account name is required");
        }
        if (account.indexOf(':') >= 0 || (issuer != null && issuer.indexOf(':') >= 0)) {
            throw new IllegalArgumentException("otpauth issuer and account name must not contain ':'");
        }
        if (secret == null || algorithm == null) {
            throw new IllegalArgumentException("otpauth secret and algorithm are required");
        }
        Hotp.of(algorithm, digits);
        TimeStep.requireWholeSeconds(period);
        this.issuer = issuer == null || issuer.isEmpty() ? null : issuer;
        this.account = account;
        this.secret = secret;
        this.algorithm = algorithm;
        this.digits = digits;
        this.period = period;
    }

    /**
     * A URI with the default SHA1 / 6 digits / 30 s profile.
     *
     * @param issuer  the service name shown in the app (e.g. {@code "Example Mail"}); may be null
     * @param account the account name, typically the mail address; must not contain {@code ':'}
     * @param secret  the shared secret
     * @throws IllegalArgumentException for an empty account or a {@code ':'} in issuer or account
     */
    public static OtpAuthUri of(String issuer, String account, TotpSecret secret) {
        return new OtpAuthUri(issuer, account, secret, TotpAlgorithm.SHA1, 6, TimeStep.DEFAULT_PERIOD);
    }

    /** @return a copy using {@code algorithm} */
    public OtpAuthUri withAlgorithm(TotpAlgorithm algorithm) {
        return new OtpAuthUri(issuer, account, secret, algorithm, digits, period);
    }

    /** @return a copy using {@code digits} (6..8) */
    public OtpAuthUri withDigits(int digits) {
        return new OtpAuthUri(issuer, account, secret, algorithm, digits, period);
    }

    /** @return a copy using {@code period} (whole seconds) */
    public OtpAuthUri withPeriod(Duration period) {
        return new OtpAuthUri(issuer, account, secret, algorithm, digits, period);
    }

    /** @return the parameters of {@code totp} as a URI with this issuer and account */
    public static OtpAuthUri of(String issuer, String account, TotpSecret secret, Totp totp) {
        return new OtpAuthUri(issuer, account, secret, totp.algorithm(), totp.digits(), totp.period());
    }

    /**
     * Parses a Key Uri Format URI of type {@code totp}.
     *
     * @param uri the URI text, at most {@link #MAX_LENGTH} characters
     * @return the parsed value
     * @throws IllegalArgumentException for a wrong scheme or type, missing or weak secret, bad parameters,
     *                                  bad percent-encoding or disagreeing issuers; never quoting the input
     */
    public static OtpAuthUri parse(String uri) {
        if (uri.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("otpauth URI longer than " + MAX_LENGTH + " characters");
        }
        String prefix = "otpauth://";
        if (!uri.regionMatches(true, 0, prefix, 0, prefix.length())) {
            throw new IllegalArgumentException("not an otpauth:// URI");
        }
        if (uri.indexOf('#') >= 0) {
            throw new IllegalArgumentException("otpauth URI must not have a fragment");
        }
        int slash = uri.indexOf('/', prefix.length());
        if (slash < 0) {
            throw new IllegalArgumentException("otpauth URI has no label");
        }
        String type = uri.substring(prefix.length(), slash);
        if (!type.equalsIgnoreCase("totp")) {
            throw new IllegalArgumentException("only otpauth://totp/ is supported");
        }
        int question = uri.indexOf('?', slash);
        String rawLabel = question < 0 ? uri.substring(slash + 1) : uri.substring(slash + 1, question);
        String label = percentDecode(rawLabel);
        Map<String, String> params = new LinkedHashMap<>();
        if (question >= 0) {
            for (String pair : uri.substring(question + 1).split("&", -1)) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = percentDecode(eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
                String value = eq < 0 ? "" : percentDecode(pair.substring(eq + 1));
                if (params.put(name, value) != null) {
                    throw new IllegalArgumentException("otpauth parameter '" + name + "' repeated");
                }
            }
        }
        String labelIssuer = null;
        String account = label;
        int colon = label.indexOf(':');
        if (colon >= 0) {
            labelIssuer = label.substring(0, colon);
            account = label.substring(colon + 1).trim();
        }
        String issuer = params.get("issuer");
        if (labelIssuer != null && issuer != null && !labelIssuer.equals(issuer)) {
            throw new IllegalArgumentException("otpauth issuer parameter disagrees with the label prefix");
        }
        if (issuer == null) {
            issuer = labelIssuer;
        }
        String secret = params.get("secret");
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("otpauth URI has no secret");
        }
        TotpAlgorithm algorithm = params.containsKey("algorithm")
                ? TotpAlgorithm.fromName(params.get("algorithm")) : TotpAlgorithm.SHA1;
        int digits = params.containsKey("digits") ? smallNumber("digits", params.get("digits")) : 6;
        int period = params.containsKey("period") ? smallNumber("period", params.get("period")) : 30;
        return new OtpAuthUri(issuer, account, TotpSecret.fromBase32(secret), algorithm, digits,
                Duration.ofSeconds(period));
    }

    private static int smallNumber(String name, String value) {
        if (value.isEmpty() || value.length() > 4 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("otpauth parameter '" + name + "' must be a small number");
        }
        return Integer.parseInt(value);
    }

    /** @return the URI text, including the secret; show it only to the enrolling user */
    public String toUriString() {
        StringBuilder sb = new StringBuilder("otpauth://totp/");
        if (issuer != null) {
            sb.append(percentEncode(issuer)).append(':');
        }
        sb.append(percentEncode(account));
        sb.append("?secret=").append(secret.toBase32());
        if (issuer != null) {
            sb.append("&issuer=").append(percentEncode(issuer));
        }
        sb.append("&algorithm=").append(algorithm.name());
        sb.append("&digits=").append(digits);
        sb.append("&period=").append(period.getSeconds());
        return sb.toString();
    }

    /** @return the issuer, or null when the URI has none */
    public String issuer() {
        return issuer;
    }

    /** @return the account name (label without the issuer prefix) */
    public String account() {
        return account;
    }

    /** @return the shared secret */
    public TotpSecret secret() {
        return secret;
    }

    /** @return the hash function */
    public TotpAlgorithm algorithm() {
        return algorithm;
    }

    /** @return the code length */
    public int digits() {
        return digits;
    }

    /** @return the step length */
    public Duration period() {
        return period;
    }

    /** @return a {@link Totp} builder preset with this URI's algorithm, digits and period */
    public Totp.Builder totpBuilder() {
        return Totp.builder().algorithm(algorithm).digits(digits).period(period);
    }

    /** Unreserved characters of RFC 3986 §2.3 stay; everything else becomes %XX of its UTF-8 bytes. */
    static String percentEncode(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '@') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    static String percentDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new IllegalArgumentException("truncated percent-encoding in otpauth URI");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("invalid percent-encoding in otpauth URI");
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                int cp = s.codePointAt(i);
                byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                i += Character.charCount(cp) - 1;
            }
        }
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof OtpAuthUri)) {
            return false;
        }
        OtpAuthUri other = (OtpAuthUri) o;
        return java.util.Objects.equals(issuer, other.issuer) && account.equals(other.account)
                && secret.equals(other.secret) && algorithm == other.algorithm && digits == other.digits
                && period.equals(other.period);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(issuer, account, algorithm, digits, period);
    }

    /** @return issuer, account and parameters; never the secret */
    @Override
    public String toString() {
        return "OtpAuthUri[issuer=" + issuer + ", account=" + account + ", " + algorithm + ", " + digits
                + " digits, " + period.getSeconds() + "s, secret redacted]";
    }
}
