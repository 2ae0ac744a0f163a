package dev.tollgate.core.dlp;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * International Bank Account Number validation, ISO 13616-1: country code, two check digits
 * and a country-specific BBAN; total length fixed per country (SWIFT IBAN Registry) and the
 * ISO 7064 MOD 97-10 check (the rearranged number mod 97 equals 1). Stateless and thread-safe.
 */
public final class Iban {
    /** Country code → total IBAN length, per the SWIFT IBAN Registry. */
    private static final Map<String, Integer> LENGTHS;
    /** Same table indexed by (first - 'A') * 26 + (second - 'A'), 0 = not in the registry. */
    private static final byte[] BY_INDEX = new byte[26 * 26];

    static {
        Map<String, Integer> m = new TreeMap<>();
        String table = "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 "
                + "CZ24 DE22 DJ27 DK18 DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 "
                + "GR27 GT28 HN28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 "
                + "LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 MR27 MT31 MU30 NI28 NL18 NO15 OM23 "
                + "PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 SM27 SO23 "
                + "ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30";
        for (String e : table.split(" ")) {
            m.put(e.substring(0, 2), Integer.parseInt(e.substring(2)));
        }
        LENGTHS = Collections.unmodifiableMap(m);
        for (Map.Entry<String, Integer> e : m.entrySet()) {
            BY_INDEX[(e.getKey().charAt(0) - 'A') * 26 + e.getKey().charAt(1) - 'A'] = e.getValue().byteValue();
        }
    }

    /** Longest IBAN in the registry (Russia, 33). */
    static final int MAX_LENGTH = 34;

    private Iban() {
    }

    /**
     * @param countryCode ISO 3166-1 alpha-2 code, case-insensitive
     * @return the total IBAN length for that country, or empty if the country is not in the
     *     SWIFT IBAN Registry
     */
    public static OptionalInt length(String countryCode) {
        if (countryCode == null) {
            return OptionalInt.empty();
        }
        Integer l = LENGTHS.get(countryCode.toUpperCase(Locale.ROOT));
        return l == null ? OptionalInt.empty() : OptionalInt.of(l);
    }

    /** @return the registry's country codes (sorted, unmodifiable) */
    public static Set<String> countries() {
        return LENGTHS.keySet();
    }

    /** @return the IBAN length for an ASCII letter pair (either case), or 0 if not in the registry */
    static int lengthOrZero(char c0, char c1) {
        int a = (c0 | 0x20) - 'a';
        int b = (c1 | 0x20) - 'a';
        if (a < 0 || a >= 26 || b < 0 || b >= 26) {
            return 0;
        }
        return BY_INDEX[a * 26 + b];
    }

    /**
     * Validates an IBAN in electronic form ({@code DE89370400440532013000}) or print form with
     * single spaces or hyphens between groups ({@code DE89 3704 0044 0532 0130 00},
     * {@code NL91-ABNA-0417-1643-00}). Case-insensitive.
     *
     * @return true if the country is in the registry, the length matches it, the check digits
     *     are 02–98 and MOD 97-10 (ISO 7064) gives 1; false for anything else including null
     */
    public static boolean isValid(CharSequence iban) {
        if (iban == null || iban.length() > 2 * MAX_LENGTH) {
            return false;
        }
        char[] buf = new char[MAX_LENGTH];
        int n = 0;
        char prev = ' ';
        for (int i = 0; i < iban.length(); i++) {
            char c = iban.charAt(i);
            if (Chars.isAsciiAlnum(c)) {
                if (n == MAX_LENGTH) {
                    return false;
                }
                buf[n++] = Character.toUpperCase(c);
            } else if ((c == ' ' || c == '-') && Chars.isAsciiAlnum(prev) && i + 1 < iban.length()) {
                // single separator between groups
            } else {
                return false;
            }
            prev = c;
        }
        return isValidCompact(buf, n);
    }

    /** @param buf upper-case alphanumerics, electronic form */
    static boolean isValidCompact(char[] buf, int n) {
        if (n < 5 || !Chars.isUpper(buf[0]) || !Chars.isUpper(buf[1])
                || !Chars.isDigit(buf[2]) || !Chars.isDigit(buf[3])) {
            return false;
        }
        if (lengthOrZero(buf[0], buf[1]) != n) {
            return false;
        }
        int check = (buf[2] - '0') * 10 + (buf[3] - '0');
        if (check < 2 || check > 98) {
            return false;
        }
        int rem = 0;
        for (int k = 0; k < n; k++) {
            char c = buf[(k + 4) % n];
            if (Chars.isDigit(c)) {
                rem = (rem * 10 + (c - '0')) % 97;
            } else if (Chars.isUpper(c)) {
                rem = (rem * 100 + (c - 'A' + 10)) % 97;
            } else {
                return false;
            }
        }
        return rem == 1;
    }
}
