package dev.tollgate.core.dlp.policy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A part's location as it may be logged or printed ({@code attachment:a.zip!/x.csv}, {@code body[1]#href}): a file
 * or entry name may hold a value (an attachment named after a card number), so every run of 12 or more digits,
 * with single spaces, dots, underscores or dashes between them, shows its first and last four digits only, as the
 * masked samples of findings do ({@code attachment:4111********1111.txt}).
 */
public final class MaskedLocation {
    /** A run of 12 or more digits, separators between them included: what could be a card in a file name. */
    private static final Pattern LONG_NUMBER = Pattern.compile("\\d(?:[ ._-]?\\d){11,}");

    private MaskedLocation() {
    }

    /**
     * @param location a part's location, as in {@code ContentSegment#location()}
     * @return the location with its long digit runs masked; the same string when it has none
     */
    public static String of(String location) {
        Matcher m = LONG_NUMBER.matcher(location);
        if (!m.find()) {
            return location;
        }
        StringBuilder out = new StringBuilder(location.length());
        int from = 0;
        do {
            out.append(location, from, m.start());
            String run = m.group();
            int total = (int) run.chars().filter(Character::isDigit).count();
            int digits = 0;
            for (int i = 0; i < run.length(); i++) {
                char c = run.charAt(i);
                if (Character.isDigit(c)) {
                    digits++;
                    out.append(digits <= 4 || digits > total - 4 ? c : '*');
                } else {
                    out.append(c);
                }
            }
            from = m.end();
        } while (m.find());
        return out.append(location, from, location.length()).toString();
    }
}
