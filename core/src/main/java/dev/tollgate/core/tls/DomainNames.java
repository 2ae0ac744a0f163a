package dev.tollgate.core.tls;

import com.ibm.icu.text.IDNA;
import java.util.Locale;

/** Domain name normalisation shared by the package: A-labels, lower case, no trailing dot. */
final class DomainNames {
    /** RFC 1035 §2.3.4: 253 characters in text form without the trailing dot. */
    static final int MAX_LENGTH = 253;

    private static final IDNA UTS46 = IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_ASCII
            | IDNA.CHECK_BIDI | IDNA.CHECK_CONTEXTJ | IDNA.USE_STD3_RULES);

    private DomainNames() {
    }

    /**
     * Converts a host or domain name to lower-case A-labels (UTS #46 non-transitional processing),
     * dropping one trailing dot.
     *
     * @throws IllegalArgumentException when the name is empty, too long or not a valid domain name
     */
    static String toAscii(String name) {
        if (name == null) {
            throw new IllegalArgumentException("missing domain name");
        }
        String s = name.trim();
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.isEmpty() || s.length() > 4 * MAX_LENGTH) {
            throw new IllegalArgumentException("empty or overlong domain name");
        }
        StringBuilder out = new StringBuilder(s.length() + 8);
        IDNA.Info info = new IDNA.Info();
        UTS46.nameToASCII(s, out, info);
        // UTS #46 accepts an empty root label, so "a.." would come back as "a.": one trailing dot is all a
        // name may have, and it was removed above
        if (info.hasErrors() || out.length() == 0 || out.length() > MAX_LENGTH || out.charAt(out.length() - 1) == '.') {
            throw new IllegalArgumentException("not a valid domain name");
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    /** @return the normalised name, or null when {@code name} is not a valid domain name */
    static String toAsciiOrNull(String name) {
        try {
            return toAscii(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
