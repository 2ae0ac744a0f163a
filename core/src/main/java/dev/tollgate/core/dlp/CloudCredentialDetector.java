package dev.tollgate.core.dlp;

/**
 * Finds cloud and SaaS credentials by their documented, prefixed formats:
 * <ul>
 *   <li>AWS access key ids: {@code AKIA} or {@code ASIA} + exactly 16 chars of {@code [A-Z2-7]}
 *       (label {@code AWS_ACCESS_KEY_ID}), e.g. {@code AKIAIOSFODNN7EXAMPLE};</li>
 *   <li>GitHub tokens: {@code ghp_ gho_ ghu_ ghs_ ghr_} + 36–251 {@code [A-Za-z0-9]}, and
 *       fine-grained {@code github_pat_} + 70–244 {@code [A-Za-z0-9_]} (label {@code GITHUB_TOKEN});</li>
 *   <li>Slack tokens: {@code xoxb- xoxp- xoxa- xoxr- xoxs-} + a digit and 19–250 more
 *       {@code [A-Za-z0-9-]} (label {@code SLACK_TOKEN});</li>
 *   <li>Google API keys: {@code AIza} + exactly 35 {@code [A-Za-z0-9_-]} (label {@code GOOGLE_API_KEY});</li>
 *   <li>Stripe live keys: {@code sk_live_} (secret) / {@code rk_live_} (restricted) + 24–247
 *       {@code [A-Za-z0-9]} (labels {@code STRIPE_SECRET_KEY}, {@code STRIPE_RESTRICTED_KEY}).</li>
 * </ul>
 * A body of at most three distinct chars ({@code AKIAXXXXXXXXXXXXXXXX}) is a documentation placeholder and is not
 * reported. Boundaries: the token must start at a word boundary and the char after it must not belong to
 * the token's alphabet (so a longer run is not cut into a "token"). Base confidence
 * {@link Confidence#HIGH}; the masked sample is the prefix followed by {@code ****}, never any
 * part of the secret.
 */
public final class CloudCredentialDetector extends Detector {
    /** Detector id used in findings. */
    public static final String ID = "cloud-credential";

    private static final int ALNUM = 0;
    private static final int ALNUM_UNDERSCORE = 1;
    private static final int ALNUM_DASH = 2;
    private static final int ALNUM_UNDERSCORE_DASH = 3;
    private static final int AWS_BASE32 = 4;

    private CloudCredentialDetector() {
        super(ID, DetectorType.CLOUD_CREDENTIAL);
    }

    /** @return a detector instance (immutable, shareable) */
    public static CloudCredentialDetector create() {
        return new CloudCredentialDetector();
    }

    @Override
    boolean triggersOn(char c0, char c1) {
        switch (c0) {
            case 'A':
                return c1 == 'K' || c1 == 'S' || c1 == 'I';
            case 'g':
                return c1 == 'h' || c1 == 'i';
            case 'x':
                return c1 == 'o';
            case 's':
            case 'r':
                return c1 == 'k';
            default:
                return false;
        }
    }

    /** Third char of a prefix: AK<b>I</b>A, AS<b>I</b>A, AI<b>z</b>a, gh<b>p</b>_…, gi<b>t</b>hub_pat_, xo<b>x</b>, sk<b>_</b>, rk<b>_</b>. */
    @Override
    boolean triggersOn(char c0, char c1, char c2) {
        switch (c1) {
            case 'K':
            case 'S':
                return c2 == 'I';
            case 'I':
                return c2 == 'z';
            case 'h':
                return c2 == 'p' || c2 == 'o' || c2 == 'u' || c2 == 's' || c2 == 'r';
            case 'i':
                return c2 == 't';
            case 'o':
                return c2 == 'x';
            case 'k':
                return c2 == '_';
            default:
                return true;
        }
    }

    @Override
    int detect(CharSequence text, int pos, int limit, Hit hit) {
        char c = text.charAt(pos);
        switch (c) {
            case 'A':
                if (Chars.regionMatches(text, pos, limit, "AKIA") || Chars.regionMatches(text, pos, limit, "ASIA")) {
                    return token(text, pos, limit, hit, 4, AWS_BASE32, ALNUM, 16, 16, "AWS_ACCESS_KEY_ID");
                }
                if (Chars.regionMatches(text, pos, limit, "AIza")) {
                    return token(text, pos, limit, hit, 4, ALNUM_UNDERSCORE_DASH, ALNUM_UNDERSCORE_DASH, 35, 35,
                            "GOOGLE_API_KEY");
                }
                return pos + 1;
            case 'g':
                if (Chars.regionMatches(text, pos, limit, "github_pat_")) {
                    return token(text, pos, limit, hit, 11, ALNUM_UNDERSCORE, ALNUM_UNDERSCORE, 70, 244,
                            "GITHUB_TOKEN");
                }
                if (pos + 4 <= limit && text.charAt(pos + 1) == 'h' && "pousr".indexOf(text.charAt(pos + 2)) >= 0
                        && text.charAt(pos + 3) == '_') {
                    return token(text, pos, limit, hit, 4, ALNUM, ALNUM_UNDERSCORE, 36, 251, "GITHUB_TOKEN");
                }
                return pos + 1;
            case 'x':
                if (pos + 6 <= limit && Chars.regionMatches(text, pos, limit, "xox")
                        && "bpars".indexOf(text.charAt(pos + 3)) >= 0 && text.charAt(pos + 4) == '-'
                        && Chars.isDigit(text.charAt(pos + 5))) {
                    return token(text, pos, limit, hit, 5, ALNUM_DASH, ALNUM_DASH, 20, 250, "SLACK_TOKEN");
                }
                return pos + 1;
            case 's':
                if (Chars.regionMatches(text, pos, limit, "sk_live_")) {
                    return token(text, pos, limit, hit, 8, ALNUM, ALNUM_UNDERSCORE, 24, 247, "STRIPE_SECRET_KEY");
                }
                return pos + 1;
            case 'r':
                if (Chars.regionMatches(text, pos, limit, "rk_live_")) {
                    return token(text, pos, limit, hit, 8, ALNUM, ALNUM_UNDERSCORE, 24, 247,
                            "STRIPE_RESTRICTED_KEY");
                }
                return pos + 1;
            default:
                return pos + 1;
        }
    }

    /**
     * Matches prefix (already checked, {@code prefixLen} chars) + {@code min..max} body chars of
     * {@code bodyClass}, followed by a char that is not in {@code stopClass}.
     */
    private static int token(CharSequence text, int pos, int limit, Hit hit, int prefixLen, int bodyClass,
            int stopClass, int min, int max, String label) {
        int i = pos + prefixLen;
        int bodyEnd = (int) Math.min(limit, (long) i + max);
        while (i < bodyEnd && in(bodyClass, text.charAt(i))) {
            i++;
        }
        int n = i - pos - prefixLen;
        if (n < min || (i < limit && in(stopClass, text.charAt(i)))) {
            // too short, or longer than the format allows / glued to more token chars
            int j = i;
            while (j < limit && in(stopClass, text.charAt(j)) && j - pos < 1024) {
                j++;
            }
            return Math.max(j, pos + 1);
        }
        if (placeholder(text, pos + prefixLen, i)) {
            return i;
        }
        hit.set(pos, i, Confidence.HIGH, label, text.subSequence(pos, pos + prefixLen) + "****");
        return i;
    }

    /**
     * A body of at most {@value #PLACEHOLDER_DISTINCT} distinct chars ({@code AKIAXXXXXXXXXXXXXXXX},
     * {@code sk_live_000000000000000000000000}) is a placeholder in documentation, not a generated secret.
     */
    private static boolean placeholder(CharSequence text, int from, int to) {
        char a = text.charAt(from);
        char b = a;
        char c = a;
        for (int k = from; k < to; k++) {
            char x = text.charAt(k);
            if (x == a || x == b || x == c) {
                continue;
            }
            if (b == a) {
                b = x;
            } else if (c == a) {
                c = x;
            } else {
                return false;
            }
        }
        return true;
    }

    static final int PLACEHOLDER_DISTINCT = 3;

    private static boolean in(int cls, char c) {
        switch (cls) {
            case ALNUM:
                return Chars.isAsciiAlnum(c);
            case ALNUM_UNDERSCORE:
                return Chars.isAsciiAlnum(c) || c == '_';
            case ALNUM_DASH:
                return Chars.isAsciiAlnum(c) || c == '-';
            case ALNUM_UNDERSCORE_DASH:
                return Chars.isAsciiAlnum(c) || c == '_' || c == '-';
            case AWS_BASE32:
                return Chars.isUpper(c) || (c >= '2' && c <= '7');
            default:
                return false;
        }
    }
}
