package dev.tollgate.core.dlp;

/**
 * Finds payment card numbers (PANs): IIN range and length per {@link CardNetwork}, overall
 * 12–19 digits, and a valid Luhn check digit (ISO/IEC 7812-1).
 *
 * <p>Candidates and boundaries:
 * <ul>
 *   <li>A candidate is a maximal <em>numeric run</em>: digits with single {@code ' '} or
 *       {@code '-'} separators between digit groups of at most seven digits, the same separator throughout (e.g.
 *       {@code 4111 1111 1111 1111}, {@code 3782-822463-10005}); a longer group stands alone, so
 *       two unseparated numbers with a space between them are two candidates. Separators are removed before validation; the finding spans
 *       the original text.</li>
 *   <li>The run must start and end at a word boundary: a digit glued to either end, or letters glued to it
 *       otherwise than below, mean the digits are part of an identifier, not a card, and nothing is reported.
 *       Letters may be glued to a card in these ways:
 *       <ul>
 *         <li>after it, a word of letters only ({@link #letterSuffix}): {@code 4111111111111111abc},
 *             {@code 5555555555554444USD}, {@code 4111111111111111x}, {@code …1111exp 08/29}; in one case, then a
 *             word boundary, at most {@value #MAX_GLUED_SUFFIX} letters when all are hex letters, and no
 *             {@code + / - _ . @} joining the token to another word on either side. Hex digests, UUIDs,
 *             base64 and file names glue more digits, mixed case or such joiners to it;</li>
 *         <li>before it, a card label word ({@link #GLUED_LABELS}: {@code card}, {@code cc}, {@code pan},
 *             {@code ref}, {@code inv}, {@code no}...; any case) starting the word, then 13–19 unseparated digits
 *             that are one card, then at most {@value #MAX_GLUED_SUFFIX} letters before a word boundary
 *             ({@code card4111111111111111}, {@code INV4111111111111111X});</li>
 *         <li>before it, one or two letters or a label word starting the word ({@link #gluedStart}), then groups
 *             in a printed layout that are one card ({@code x4111 1111 1111 1111}); unseparated digits after one or
 *             two letters ({@code x4111111111111111}) only with card context ({@link CardContext});</li>
 *         <li>before it, a word of letters none of which is ASCII, of any length and script, starting the word
 *             ({@link #gluedToNonAsciiWord}: {@code é4111 1111 1111 1111}, {@code оплата4111111111111111},
 *             {@code 支付4111111111111111}), read as a label word: unseparated digits or groups in a printed layout
 *             that are one card, no context needed. A word that mixes ASCII and other letters is not read so.</li>
 *       </ul>
 *       Hex ids ({@code a3f94111…}), parcel and tracking numbers ({@code JD0146…}, {@code LX…DE}) and hashes
 *       glue digits to letters and would pass IIN and Luhn by chance about once in 40 sixteen-digit runs; they
 *       are written in ASCII letters only, so letters of other scripts glued to a card are words of text (a
 *       missing space, a script written without spaces). One or two ASCII letters before unseparated digits
 *       stay an identifier without card context: such ids ({@code x4111…}, {@code JD4111…}) are common and
 *       nothing in the token tells them from a card.</li>
 *   <li>An unseparated run of 14–20 digits that is no card as a whole is a card in its first digits but the
 *       last only with card context ({@code Card number: 41111111111111112}); a bare 17-digit run is an id. With
 *       card context too, {@code l} or {@code I} typed for 1 and {@code O} for 0, at most
 *       {@value #MAX_CONFUSABLES}, each inside a group holding a digit, are read as those digits
 *       ({@code 4111 111l 1111 1111}).</li>
 *   <li>The whole run is judged first as one number. When it is not a card (too long, a failing check digit,
 *       mixed separators), it is read again as digit groups joined by a space, dash, dot, slash, line break
 *       ({@code \n}, {@code \r\n}; counts as a space), PDF text-run boundary ({@code U+001F}, which the document
 *       extractor writes between two digits drawn by different text operators edge to edge, unless one of them
 *       drew only one to three digits, whose digits it joins to their neighbours; counts as a space),
 *       tab or run of 2–{@value Groups#MAX_BLANKS} spaces and tabs (one class), underscore, or a dash, comma,
 *       semicolon, pipe, plus sign, colon, asterisk or tilde with up to {@value Groups#MAX_BLANKS} blanks on either
 *       side ({@code 4111, 1111}, {@code 4111 - 1111}, {@code 4111:1111}), a dot with blanks before or after it
 *       ({@code 4111 . 1111}), or the boundary of two quoted CSV cells ({@code "4111","1111"}:
 *       quote, comma, semicolon, pipe or tab with blanks, quote), and every
 *       group start is tried as the first group of a
 *       printed layout with one separator throughout: 4-4-4-4 (plus a last group of 1–3), 4-4-4-1..3, 4-6-5,
 *       4-6-4. So a year before the card ({@code 2027 4111 1111 1111 1111}), a dotted, slashed, tabbed,
 *       double-spaced, underscored or comma-separated card ({@code 4111.1111.1111.1111}, {@code 4111_1111_1111_1111},
 *       {@code 4111,1111,1111,1111}) and a card wrapped across lines are found, while versions, IP addresses,
 *       OIDs, dates, snake_case ids, thousands groupings ({@code 4,111,111,111,111,111}) and spreadsheet cells,
 *       whose groups are not a card layout, are not. Separators may differ from group to group
 *       ({@code 4111 1111-1111 1111}, {@code 4111.1111 1111-1111}) only in a layout without a short last group
 *       (4-4-4-4, 4-6-5, 4-6-4) and not across a line break: a short group after another separator reads as a
 *       separate number, and a line break among other separators as the next row of a table. Unseparated digits
 *       are never cut into windows ({@code 20274111111111111111} is one 20-digit number).</li>
 *   <li>Groups joined only by column or figure separators (comma, semicolon, pipe, tab or blank run, plus sign,
 *       quoted cells, colon, asterisk, tilde, dot with blanks; {@link Groups#figureRow}), or joined anywhere by a
 *       spaced en dash ({@link #SPACED_DASH}) or where the reading without inline gaps left out what may be visible
 *       text ({@link #GAP_SEPARATOR}), or across the lines of a table of digit lines ({@link DigitLines#table}:
 *       lines of digits and blanks only, with another such line above or below or more figures on their own end
 *       lines: {@code 4000\n4001\n4002\n4003\n4004}, a list of order numbers, a one-column sheet,
 *       {@code 4000 1200\n1300 1407\n1500 1600}, an id and an amount per line) unless the table's groups are cards
 *       throughout ({@link Tiling}: a list of cards written a group or two per line), are the way spreadsheet rows,
 *       report tables, lists and sums print four
 *       figures, and about one random row of four 4-digit figures starting with a 4 in ten passes the IIN and Luhn
 *       checks. They are a card only with card context ({@link CardContext}: a strong card label on the same
 *       line, the nearest lines before or after, the first line of the block or the table's header row, or a weak
 *       one such as a network name directly before the digits); without it they are not reported at all (not even at
 *       {@link Confidence#LOW}, which the matchers that count any confidence would still see). A layout that mixes
 *       such a separator with a space, dash, dot, slash or underscore is no row of cells and needs no label, except
 *       four groups whose middle separator is a comma, semicolon or pipe between two spaces
 *       ({@code 5105 1051, 0510 5100}: two eight-digit phone numbers in a list).</li>
 *   <li>A run that is part of a decimal number ({@code 3.14159…}, digit + {@code '.'} or
 *       {@code ','} on either side) is ignored.</li>
 *   <li>A 13-digit run without separators whose value, read as milliseconds since the Unix
 *       epoch, falls in [2000-01-01, 2100-01-01) UTC ({@code 946684800000} to
 *       {@code 4102444800000}) is treated as a timestamp, not a card. This excludes 13-digit Visa
 *       numbers from 4000000000000 to 4102444799999, an accepted loss.</li>
 * </ul>
 * Base confidence is {@link Confidence#MEDIUM}; the masked sample keeps the first and last four
 * digits and the separators, e.g. {@code 4111 **** **** 1111}. Label: the {@link CardNetwork} name.
 */
public final class PaymentCardDetector extends Detector {
    /** Detector id used in findings. */
    public static final String ID = "payment-card";

    private static final long EPOCH_MILLIS_2000 = 946_684_800_000L;
    private static final long EPOCH_MILLIS_2100 = 4_102_444_800_000L;

    private PaymentCardDetector() {
        super(ID, DetectorType.PAYMENT_CARD);
    }

    /** @return a detector instance (immutable, shareable) */
    public static PaymentCardDetector create() {
        return new PaymentCardDetector();
    }

    /**
     * Label words a card number may be glued to (lower case; matched case-insensitively): the only letters allowed
     * right before the digits. Any other letters glued to digits make an identifier (hex ids, tracking and
     * parcel numbers, hashes), never a card.
     */
    static final String[] GLUED_LABELS = {"cardno", "card", "ccn", "cc", "pan", "visa", "mc", "amex", "acct", "ref",
        "invoice", "inv", "nr", "no", "num"};
    /** At most this many letters may follow a glued card (a check letter or a suffix: {@code INV4111…1111X}). */
    static final int MAX_GLUED_SUFFIX = 3;

    @Override
    boolean triggersOn(char c0, char c1) {
        if (Chars.isDigit(c0)) {
            return Chars.isDigit(c1) || c1 == ' ' || c1 == '-' || isConfusable(c1);
        }
        return labelStarts(c0, c1, (char) 0, false)
                || Chars.isAsciiLetter(c0) && (Chars.isDigit(c1) || Chars.isAsciiLetter(c1));
    }

    /** A run whose third char does not continue it has at most two digits: too short. */
    @Override
    boolean triggersOn(char c0, char c1, char c2) {
        if (!Chars.isDigit(c0)) {
            // a label word, or one or two letters glued to the digits (x4111 1111 1111 1111)
            return labelStarts(c0, c1, c2, true) || Chars.isAsciiLetter(c0)
                    && (Chars.isDigit(c1) && Chars.isDigit(c2) || Chars.isAsciiLetter(c1) && Chars.isDigit(c2));
        }
        // not after two digits and a dot, slash, line break, tab, underscore or comma: every printed layout starts
        // with four digits, and a window later in such a run is offered at its own group start
        return Chars.isDigit(c2) || (Chars.isDigit(c1) && (c2 == ' ' || c2 == '-'))
                || (Chars.isDigit(c1) || isConfusable(c1)) && (Chars.isDigit(c2) || isConfusable(c2));
    }

    /** Whether some label starts with c0 c1 (and, if {@code third}, continues with c2, or is c0 c1 then a digit). */
    private static boolean labelStarts(char c0, char c1, char c2, boolean third) {
        if (!Chars.isAsciiLetter(c0) || !Chars.isAsciiLetter(c1)) {
            return false;
        }
        char l0 = (char) (c0 | 0x20);
        char l1 = (char) (c1 | 0x20);
        for (String label : GLUED_LABELS) {
            if (label.charAt(0) == l0 && label.charAt(1) == l1 && (!third
                    || (label.length() == 2 ? Chars.isDigit(c2) : Chars.isAsciiLetter(c2) && label.charAt(2) == (c2 | 0x20)))) {
                return true;
            }
        }
        return false;
    }

    /** Words of letters of other scripts than ASCII may have a card glued to them ({@link #gluedToNonAsciiWord}). */
    @Override
    boolean triggersOnNonAscii() {
        return true;
    }

    @Override
    int detect(CharSequence text, int pos, int limit, Hit hit) {
        if (text.charAt(pos) >= 0x80) {
            return gluedToNonAsciiWord(text, pos, limit, hit);
        }
        if (!Chars.isDigit(text.charAt(pos))) {
            // most words of letters and digits (x86, h264, id42, JD0146) end here: a glued card needs a first
            // group of four digits with a separator after it, or 13-20 digits
            int d = pos;
            while (d < limit && Chars.isAsciiLetter(text.charAt(d)) && d - pos <= MAX_GLUED_WORD) {
                d++;
            }
            int e = d;
            while (e < limit && Chars.isDigit(text.charAt(e)) && e - d <= 20) {
                e++;
            }
            if (e - d < 13 && (e - d != 4 || !Groups.layoutSeparatorAt(text, e, limit)
                    && (e >= limit || text.charAt(e) != ' ' && text.charAt(e) != '-'))) {
                return Math.max(e, pos + 1);
            }
            int r = glued(text, pos, limit, hit);
            return hit.found ? r : gluedStart(text, pos, limit, hit);
        }
        int end = hit.numericRunEnd(text, pos, limit);
        int r;
        if (end - pos < 12) {
            // fewer than 12 chars cannot hold 12 digits (most numbers in text end here), unless a separator
            // only printed layouts may use (dot, slash, line break, tab, blank run, underscore, comma) continues it
            r = Groups.layoutSeparatorAt(text, end, limit) ? windows(text, pos, limit, hit, end) : end;
        } else {
            int whole = wholeRun(text, pos, end, limit, hit);
            r = hit.found ? whole : windows(text, pos, limit, hit, whole);
        }
        if (!hit.found && confusableNext(text, end, limit)) {
            int c = confusable(text, pos, limit, hit);
            if (hit.found) {
                return c;
            }
        }
        return r;
    }

    /** The run [pos, end) judged as one number; sets the hit if it is a card. */
    private int wholeRun(CharSequence text, int pos, int end, int limit, Hit hit) {
        if (!Chars.boundaryAt(text, end, limit) && !letterSuffix(text, pos, end, limit) || Chars.decimalBefore(text, pos)
                || Chars.decimalAfter(text, end, limit)) {
            return end;
        }
        int n = 0;
        for (int i = pos; i < end; i++) {
            if (Chars.isDigit(text.charAt(i))) {
                n++;
            }
        }
        if (n < 12 || n > 19) {
            if (n == 20 && n == end - pos) {
                extraDigit(text, pos, end, limit, hit);
            }
            return end; // too short, or longer than any PAN: not a card, and no windows of it
        }
        boolean separated = n != end - pos;
        char[] digits = new char[n];
        int k = 0;
        char separator = 0;
        for (int i = pos; i < end; i++) {
            char c = text.charAt(i);
            if (Chars.isDigit(c)) {
                digits[k++] = c;
            } else if (separator == 0) {
                separator = c;
            } else if (c != separator) {
                return end; // mixed ' ' and '-': only a full printed layout may mix them (windows)
            }
        }
        String pan = new String(digits, 0, n);
        CardNetwork network = CardNetwork.of(pan);
        if (network == null || !Luhn.isValid(pan)) {
            if (!separated && n >= 14) {
                extraDigit(text, pos, end, limit, hit);
            }
            return end;
        }
        if (n == 13 && !separated) {
            long v = Long.parseLong(pan);
            if (v >= EPOCH_MILLIS_2000 && v < EPOCH_MILLIS_2100) {
                return end;
            }
        }
        hit.set(pos, end, Confidence.MEDIUM, network.name(), mask(text, pos, end, n));
        return end;
    }

    /**
     * The run that failed as a whole, read again as digit groups joined by any separator (space, dash, dot,
     * slash, line break, tab or blank run, underscore, comma, semicolon, pipe, plus, quoted cells; {@link Groups}):
     * every group start is tried as the start of a printed card layout
     * ({@link Groups#LAYOUTS}), so a number that fails validation (a year, a reference) does not hide a
     * card printed right after or before it. A row of figures ({@link Groups#figureRow}) counts only with
     * {@link CardContext}. Linear: at most {@link Groups#LAYOUTS} windows per group.
     *
     * @param failedEnd where the whole-run check stopped; returned when no window is a card
     * @return the end of the card found, or the end of everything read
     */
    private int windows(CharSequence text, int pos, int limit, Hit hit, int failedEnd) {
        if (failedEnd - pos < 12 && !Groups.layoutSeparatorAt(text, failedEnd, limit)
                || failedEnd - pos >= 12 && unseparated(text, pos, failedEnd, limit)) {
            return failedEnd;
        }
        if (Groups.countDigits(text, pos, limit) < 12) {
            return failedEnd; // too few digits for any card in the whole run (most runs end here, without allocating)
        }
        Groups g = Groups.read(text, pos, limit);
        if (g.digits < 12) {
            return Math.max(failedEnd, g.end());
        }
        boolean runGlued = !Chars.boundaryAt(text, g.end(), limit) && !letterSuffix(text, pos, g.end(), limit)
                || Chars.decimalAfter(text, g.end(), limit);
        Tiling tiling = null; // made for the first card-like window of each table of digit lines
        for (int first = 0; first < g.count; first++) {
            if (Chars.decimalBefore(text, g.starts[first]) && text.charAt(g.starts[first] - 1) != g.seps[first]) {
                continue; // the fraction of a decimal number, unless the card itself is dotted (or comma-separated)
            }
            for (int[] layout : Groups.LAYOUTS) {
                int last = first + layout.length - 1;
                if (last >= g.count || (last == g.count - 1 && runGlued) || !g.matches(first, layout)) {
                    continue;
                }
                char[] digits = g.digits(text, first, last);
                String pan = new String(digits);
                CardNetwork network = CardNetwork.of(pan);
                if (network == null || !Luhn.isValid(pan)) {
                    continue;
                }
                boolean needsContext = g.needsContext(first, last);
                if (!needsContext && DigitLines.table(text, g.starts[first], g.ends[last], limit)) {
                    // lines of digits only among more such lines: a table or a list of numbers, unless its groups
                    // are cards throughout (a list of cards written a group or two per line)
                    if (tiling == null || !tiling.holds(first)) {
                        tiling = Tiling.of(text, g, first, limit, hit.cardEnd);
                    }
                    needsContext = !tiling.covers(g, first, last);
                }
                if (!needsContext || CardContext.near(text, g.starts[first], g.seps[first], limit, hit)) {
                    int s = g.starts[first];
                    int e = g.ends[last];
                    hit.cardEnd = e;
                    hit.set(s, e, Confidence.MEDIUM, network.name(), mask(text, s, e, digits.length));
                    return e;
                }
            }
        }
        return Math.max(failedEnd, g.end());
    }

    /**
     * A card glued to a label word ({@code card4111111111111111}, {@code INV4111111111111111X}): the word at
     * {@code pos} is one of {@link #GLUED_LABELS}, then 13–19 digits with nothing between them that are a card as a
     * whole (network, length, Luhn; no windows), then at most {@value #MAX_GLUED_SUFFIX} letters and a word
     * boundary. A glued run is never cut, and digits after the suffix make the word an identifier.
     */
    private static int glued(CharSequence text, int pos, int limit, Hit hit) {
        for (String label : GLUED_LABELS) {
            int d = pos + label.length();
            if (d >= limit || !Chars.isDigit(text.charAt(d)) || !regionMatchesLower(text, pos, label)) {
                continue;
            }
            return gluedRun(text, d, limit, false, hit);
        }
        return pos + 1;
    }

    /**
     * The digits at {@code d}, glued to a label word before them: 13–19 digits with nothing between them that are a
     * card as a whole, then at most {@value #MAX_GLUED_SUFFIX} ASCII letters and a word boundary, or, if
     * {@code wordAfter}, a word of letters as {@link #letterSuffix} allows it ({@code 支付4111…1111谢谢}).
     *
     * @return where the digits and their suffix end
     */
    private static int gluedRun(CharSequence text, int d, int limit, boolean wordAfter, Hit hit) {
        int e = d;
        while (e < limit && Chars.isDigit(text.charAt(e)) && e - d <= 19) {
            e++;
        }
        int n = e - d;
        if (n < 13 || n > 19 || Chars.decimalAfter(text, e, limit)) {
            return e;
        }
        int j = e;
        while (j < limit && Chars.isAsciiLetter(text.charAt(j)) && j - e <= MAX_GLUED_SUFFIX) {
            j++;
        }
        if ((j - e > MAX_GLUED_SUFFIX || !Chars.boundaryAt(text, j, limit))
                && !(wordAfter && letterSuffix(text, d, e, limit))) {
            return j;
        }
        String pan = text.subSequence(d, e).toString();
        CardNetwork network = CardNetwork.of(pan);
        if (network == null || !Luhn.isValid(pan) || n == 13 && isMillis(pan)) {
            return j;
        }
        hit.set(d, e, Confidence.MEDIUM, network.name(), mask(text, d, e, n));
        return j;
    }

    /** Longest word of letters read after a card ({@link #letterSuffix}) or before it ({@link #gluedStart}). */
    static final int MAX_GLUED_WORD = 24;

    /**
     * Whether the digits at [start, end) may end glued to a word of letters ({@code 4111111111111111abc},
     * {@code 5555555555554444USD}, {@code …1111exp 08/29}): at {@code end} 1–{@value #MAX_GLUED_WORD} letters
     * (any script) then a word boundary, in one case (all lower, all upper, or one capital then lower, or a
     * script without case); not more than {@value #MAX_GLUED_SUFFIX} of them when all are hex letters
     * ({@code a}–{@code f}); and no id joiner ({@link #isIdJoiner}) glued between the token and another word on
     * either side. Hashes, hex ids, UUIDs and base64 glue digits, letters of both cases, more digits and such
     * joiners together, which this refuses; a word of letters alone after a number is a unit, a currency or a
     * typo.
     */
    static boolean letterSuffix(CharSequence text, int start, int end, int limit) {
        int e = end;
        int upper = 0;
        int lower = 0;
        boolean hex = true;
        boolean capitalThenLower = true;
        while (e < limit && Character.isLetter(text.charAt(e))) {
            char c = text.charAt(e);
            if (e - end >= MAX_GLUED_WORD) {
                return false;
            }
            if (Character.isUpperCase(c)) {
                upper++;
                capitalThenLower &= e == end;
            } else if (Character.isLowerCase(c)) {
                lower++;
            }
            hex &= (c | 0x20) >= 'a' && (c | 0x20) <= 'f';
            e++;
        }
        int letters = e - end;
        if (letters == 0 || e < limit && Chars.isWordChar(text.charAt(e))) {
            return false; // no letters, or digits (or another script's word chars) after them: an identifier
        }
        boolean oneCase = upper == 0 || lower == 0 || upper == 1 && capitalThenLower;
        return oneCase && !(hex && letters > MAX_GLUED_SUFFIX) && !joinedAfter(text, e, limit)
                && !joinedBefore(text, start);
    }

    /**
     * Chars that join the parts of an identifier, a path, an address or an encoding: {@code + / - _ .} and
     * {@code @}. Glued to a word on the far side of a glued card, they make it part of a longer token. (A colon or
     * an equals sign after a label, {@code card:4111…}, {@code card=4111…}, joins nothing.)
     */
    static boolean isIdJoiner(char c) {
        return c == '+' || c == '/' || c == '-' || c == '_' || c == '.' || c == '@';
    }

    /** Whether the token ending at e goes on with a joiner and a word char ({@code …abc/xyz}, {@code …abc-12}). */
    private static boolean joinedAfter(CharSequence text, int e, int limit) {
        return e + 1 < limit && isIdJoiner(text.charAt(e)) && Chars.isWordChar(text.charAt(e + 1));
    }

    /** Whether the token starting at s follows a word char and a joiner ({@code xyz/4111…}, {@code 12-4111…}). */
    private static boolean joinedBefore(CharSequence text, int s) {
        return s >= 2 && isIdJoiner(text.charAt(s - 1)) && Chars.isWordChar(text.charAt(s - 2));
    }

    /**
     * A card glued to a short word before it: at {@code pos} one or two ASCII letters, or a label word of
     * {@link #GLUED_LABELS} ({@code x4111 1111 1111 1111}, {@code JD4111-1111-1111-1111}, {@code cc4111 1111 1111
     * 1111}), then digits read as groups ({@link Groups}) that are a card as a whole in a printed layout, ending at
     * a word boundary or glued to a word of letters ({@link #letterSuffix}), with no id joiner before the word.
     * Unseparated digits ({@code x4111111111111111}, {@code JD4111111111111111}: tracking and parcel numbers, hex
     * ids) count only with card context ({@link CardContext}) or a label word as the prefix; so does a layout joined
     * only by figure separators.
     *
     * @return the first digit (positions inside the word are no word starts; the next group start is offered on its
     *     own), or the end of the card found
     */
    private static int gluedStart(CharSequence text, int pos, int limit, Hit hit) {
        int d = pos;
        while (d < limit && Chars.isAsciiLetter(text.charAt(d)) && d - pos <= MAX_GLUED_WORD) {
            d++;
        }
        if (d >= limit || !Chars.isDigit(text.charAt(d)) || joinedBefore(text, pos)) {
            return pos + 1;
        }
        boolean label = isGluedLabel(text, pos, d);
        if (d - pos > 2 && !label) {
            return d;
        }
        return gluedGroups(text, pos, d, label, limit, hit);
    }

    /**
     * The digits at {@code d} after the word at [pos, d) as {@link #gluedStart} reads them; {@code label} whether
     * the word counts as a label word (unseparated digits are then left to {@link #gluedRun}).
     *
     * @return {@code d}, or the end of the card found
     */
    private static int gluedGroups(CharSequence text, int pos, int d, boolean label, int limit, Hit hit) {
        int first = d;
        while (first < limit && Chars.isDigit(text.charAt(first)) && first - d <= 19) {
            first++;
        }
        if (first - d > Chars.MAX_JOINED_GROUP ? first - d < 13 : Groups.countDigits(text, d, limit) < 13) {
            return d; // too few digits for a glued card (most words with digits end here, without allocating)
        }
        Groups g = Groups.read(text, d, limit);
        if (g.count == 1 && label) {
            return d; // unseparated after a label word: glued() decides
        }
        int e = g.end();
        if (!Chars.boundaryAt(text, e, limit) && !letterSuffix(text, d, e, limit) || Chars.decimalAfter(text, e, limit)) {
            return d;
        }
        boolean needsContext;
        if (g.count == 1) {
            needsContext = true;
        } else {
            int[] fit = null;
            for (int[] layout : Groups.LAYOUTS) {
                if (layout.length == g.count && g.matches(0, layout)) {
                    fit = layout;
                    break;
                }
            }
            if (fit == null) {
                return d;
            }
            needsContext = g.needsContext(0, g.count - 1);
        }
        char[] digits = g.digits(text, 0, g.count - 1);
        int n = digits.length;
        if (n < 13 || n > 19) {
            return d;
        }
        String pan = new String(digits);
        CardNetwork network = CardNetwork.of(pan);
        if (network == null || !Luhn.isValid(pan) || g.count == 1 && n == 13 && isMillis(pan)
                || needsContext && !CardContext.near(text, pos, g.count == 1 ? 0 : g.seps[0], limit, hit)) {
            return d;
        }
        hit.set(d, e, Confidence.MEDIUM, network.name(), mask(text, d, e, n));
        return e;
    }

    /**
     * A card glued to a word of letters none of which is ASCII, read as after a label word
     * ({@link #GLUED_LABELS}): {@code é4111 1111 1111 1111}, {@code оплата4111111111111111}, {@code 支付4111…}. At
     * {@code pos} letters (any script but ASCII, any number of them: scripts without spaces glue whole phrases to
     * a number), then either 13–19 unseparated digits that are one card ({@link #gluedRun}; a word of letters may
     * follow as after any card, {@link #letterSuffix}) or groups in a printed layout that are one card
     * ({@link #gluedGroups}), with no id joiner before the word. The identifiers that
     * letters glued to digits otherwise mean (hex ids, hashes, base64, parcel and tracking numbers) are written in
     * ASCII letters only; a word of other letters glued to a number is a word of text (a typo, a missing space, a
     * script written without spaces).
     *
     * @return the first char after the letters, or the end of the card found
     */
    private static int gluedToNonAsciiWord(CharSequence text, int pos, int limit, Hit hit) {
        // the word's end first with the word-char table (most words of text end without digits glued to them);
        // that they are all letters is checked only before digits
        int d = pos;
        while (d < limit && text.charAt(d) >= 0x80 && Chars.isWordChar(text.charAt(d))) {
            d++;
        }
        if (d >= limit || !Chars.isDigit(text.charAt(d)) || joinedBefore(text, pos)) {
            return Math.max(d, pos + 1); // the word goes on with ASCII letters or ends: nothing glued to it here
        }
        for (int i = pos; i < d; i++) {
            if (!Character.isLetter(text.charAt(i))) {
                return d; // a digit of another script in the word: no word of letters
            }
        }
        // as in detect: a glued card needs a first group of four with a separator after it, or 13-20 digits
        int e = d;
        while (e < limit && Chars.isDigit(text.charAt(e)) && e - d <= 20) {
            e++;
        }
        if (e - d < 13 && (e - d != 4 || !Groups.layoutSeparatorAt(text, e, limit)
                && (e >= limit || text.charAt(e) != ' ' && text.charAt(e) != '-'))) {
            return d;
        }
        int r = gluedRun(text, d, limit, true, hit);
        if (hit.found) {
            return r;
        }
        r = gluedGroups(text, pos, d, true, limit, hit);
        return hit.found ? r : d;
    }

    private static boolean isGluedLabel(CharSequence text, int from, int to) {
        for (String label : GLUED_LABELS) {
            if (label.length() == to - from && regionMatchesLower(text, from, label)) {
                return true;
            }
        }
        return false;
    }

    /**
     * An unseparated run of 14–20 digits that is no card as a whole, whose first digits but the last are one,
     * with card context ({@code Card number: 41111111111111112}, a digit typed twice or a check digit appended).
     * Without a label such a run is an order, account or tracking number, and one in about 40 of them would pass.
     */
    private static void extraDigit(CharSequence text, int pos, int end, int limit, Hit hit) {
        int e = end - 1;
        String pan = text.subSequence(pos, e).toString();
        CardNetwork network = CardNetwork.of(pan);
        if (network != null && Luhn.isValid(pan) && !(e - pos == 13 && isMillis(pan))
                && CardContext.near(text, pos, (char) 0, limit, hit)) {
            hit.set(pos, e, Confidence.MEDIUM, network.name(), mask(text, pos, e, e - pos));
        }
    }

    /**
     * Whether the run ending at {@code end} may go on with a letter typed for a digit ({@link #confusable}): a
     * confusable letter there (or after a space or dash) followed by a digit, another such letter, or the end of
     * its group. Words such as {@code In} or {@code lol} after a number end here.
     */
    private static boolean confusableNext(CharSequence text, int end, int limit) {
        int q = end;
        if (q + 1 < limit && (text.charAt(q) == ' ' || text.charAt(q) == '-')) {
            q++;
        }
        if (q >= limit || !isConfusable(text.charAt(q))) {
            return false;
        }
        if (q + 1 >= limit) {
            return q == end;
        }
        char next = text.charAt(q + 1);
        return Chars.isDigit(next) || isConfusable(next) || q == end && !Chars.isWordChar(next);
    }

    /** Letters that stand for a digit when typed in its place: lower case L and capital I for 1, capital O for 0. */
    static boolean isConfusable(char c) {
        return c == 'l' || c == 'I' || c == 'O';
    }

    /** Most confusable letters ({@link #isConfusable}) read as digits in one card. */
    static final int MAX_CONFUSABLES = 2;

    /**
     * A card with {@code l}, {@code I} or {@code O} typed for a digit inside its groups ({@code 4111 111l 1111
     * 1111}), with card context only ({@link CardContext}): the digits and letters at {@code pos} read with the
     * letters as digits ({@code l}, {@code I} as 1, {@code O} as 0), at most {@value #MAX_CONFUSABLES} of them,
     * each group holding a real digit, are one card as a whole (single space or dash groups, one separator, or
     * none) ending at a word boundary.
     *
     * @return the end of the card, or {@code pos + 1}
     */
    private static int confusable(CharSequence text, int pos, int limit, Hit hit) {
        StringBuilder digits = new StringBuilder(19);
        char separator = 0;
        int letters = 0;
        boolean groupDigit = false;
        int i = pos;
        for (; i < limit && i - pos < 32; i++) {
            char c = text.charAt(i);
            if (Chars.isDigit(c) || isConfusable(c)) {
                if (isConfusable(c)) {
                    letters++;
                }
                groupDigit |= Chars.isDigit(c);
                digits.append(c == 'O' ? '0' : Chars.isDigit(c) ? c : '1');
            } else if ((c == ' ' || c == '-') && (separator == 0 || separator == c) && i + 1 < limit
                    && (Chars.isDigit(text.charAt(i + 1)) || isConfusable(text.charAt(i + 1)))) {
                if (!groupDigit) {
                    return pos + 1;
                }
                separator = c;
                groupDigit = false;
            } else {
                break;
            }
        }
        int n = digits.length();
        if (i - pos < 3 || !Chars.isDigit(text.charAt(pos + 1)) && !isConfusable(text.charAt(pos + 1))
                || !Chars.isDigit(text.charAt(pos + 2)) && !isConfusable(text.charAt(pos + 2))) {
            return pos + 1; // every printed layout starts with a group of four
        }
        if (!groupDigit || letters == 0 || letters > MAX_CONFUSABLES || n < 13 || n > 19
                || !Chars.boundaryAt(text, i, limit) || Chars.decimalAfter(text, i, limit)) {
            return pos + 1;
        }
        String pan = digits.toString();
        CardNetwork network = CardNetwork.of(pan);
        if (network == null || !Luhn.isValid(pan) || !CardContext.near(text, pos, (char) 0, limit, hit)) {
            return pos + 1;
        }
        StringBuilder masked = new StringBuilder(i - pos);
        int k = 0;
        for (int j = pos; j < i; j++) {
            char c = text.charAt(j);
            if (Chars.isDigit(c) || isConfusable(c)) {
                masked.append(k < 4 || k >= n - 4 ? pan.charAt(k) : '*');
                k++;
            } else {
                masked.append(c);
            }
        }
        hit.set(pos, i, Confidence.MEDIUM, network.name(), masked.toString());
        return i;
    }

    private static boolean regionMatchesLower(CharSequence text, int pos, String lower) {
        for (int k = 0; k < lower.length(); k++) {
            char c = text.charAt(pos + k);
            if (!Chars.isAsciiLetter(c) || (c | 0x20) != lower.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isMillis(String digits13) {
        long v = Long.parseLong(digits13);
        return v >= EPOCH_MILLIS_2000 && v < EPOCH_MILLIS_2100;
    }

    /** A run of digits only, not continued by a layout separator: no window of it is a printed card. */
    private static boolean unseparated(CharSequence text, int pos, int end, int limit) {
        for (int i = pos; i < end; i++) {
            if (!Chars.isDigit(text.charAt(i))) {
                return false;
            }
        }
        return !Groups.layoutSeparatorAt(text, end, limit);
    }

    /**
     * What the document extractor writes between two digits that separate text runs of a PDF drew edge to edge
     * (ASCII unit separator, U+001F): the groups of a card drawn as four runs, or a card in one table cell and the
     * amount in the next. Not next to a run of one to three digits only: digits drawn one (or a few) per run are
     * written joined, as they show.
     */
    static final char RUN_SEPARATOR = '\u001F';

    /**
     * What the reading of HTML without inline gaps writes where it left out a short element that may be visible
     * text between two digits (ASCII record separator, U+001E): a word set apart by spaces ({@code 4024 <i>or</i>
     * 0071}) or marks without letters ({@code 4024<sup>€</sup> 0071}, {@code 4024 <b>–</b> 0071}). Groups joined
     * by it, with blanks around it or not, are a card only with card context ({@link CardContext}).
     */
    public static final char GAP_SEPARATOR = '\u001E';

    /**
     * A dash other than the hyphen with a blank before or after it, as text normalisation writes it (every such
     * dash becomes the en dash U+2013; a dash between two non-blanks becomes {@code '-'}): set between figures it
     * is a range or an aside ({@code 4024 – 0071}), so groups joined by it need card context.
     */
    public static final char SPACED_DASH = '\u2013';
    /** The separator class of {@link #SPACED_DASH} with its blanks (a class code below 0x100, not a char read). */
    static final char DASH_BLANKS = '\u0096';

    /**
     * Digit groups of at most {@value Chars#MAX_JOINED_GROUP} digits joined by one separator each. Separator
     * classes (what {@link #seps} holds): {@code ' '} a single space; {@code '\n'} a line break ({@code \n} or
     * {@code \r\n}) and {@link #RUN_SEPARATOR} a PDF run boundary, both joining like a space (a number wrapped
     * at the end of a line, a number drawn in pieces); {@code '\t'} a tab or a run of two to
     * {@value #MAX_BLANKS} spaces and tabs (a number typed with wider gaps, or spreadsheet cells pasted as text);
     * {@code '.'}, {@code '/'}, {@code '_'} each one char, each its own class; {@code '-'}, {@code ','},
     * {@code ';'}, {@code '|'}, {@code '+'}, {@code ':'}, {@code '*'}, {@code '~'} with blanks on either side, each
     * its own class; a dot with a blank before or after it, {@link #DOT_BLANKS}; a quoted-cell boundary
     * has the class of the separator between the quotes. See {@link #separator}.
     */
    static final class Groups {
        /** Printed PAN layouts, group lengths: 4-4-4-4(-1..3), 4-4-4-1..3 (13-15 digits), Amex 4-6-5, Diners 4-6-4. */
        static final int[][] LAYOUTS = {
            {4, 4, 4, 4, 3}, {4, 4, 4, 4, 2}, {4, 4, 4, 4, 1}, {4, 4, 4, 4}, {4, 6, 5}, {4, 6, 4},
            {4, 4, 4, 3}, {4, 4, 4, 2}, {4, 4, 4, 1},
        };
        /** Bounds the groups read from one run (a run of single digits and spaces could be long). */
        private static final int MAX_GROUPS = 4096;
        /** Longest run of spaces and tabs read as one separator (column gaps are wider; bounds the look-ahead). */
        static final int MAX_BLANKS = 16;

        int[] starts = new int[8];
        int[] ends = new int[8];
        /** Separator class after each group (see the class comment). */
        char[] seps = new char[8];
        int count;
        int digits;

        /**
         * Whether the char at i may join digit groups only in a printed layout, so a run of digits that the
         * space-and-dash reading ({@link Chars#numericRunEnd}) ended there must be read again as groups: a dot,
         * slash, line break, PDF run boundary, tab, underscore, comma, semicolon, pipe, plus, quote, or a space or
         * dash followed by a blank or one of {@code - , ; | +}.
         */
        static boolean layoutSeparatorAt(CharSequence text, int i, int limit) {
            if (i >= limit) {
                return false;
            }
            char c = text.charAt(i);
            switch (c) {
                case '.': case '/': case '\n': case '\r': case RUN_SEPARATOR: case '\t': case '_': case ',': case ';':
                case '|': case '+': case '"': case ':': case '*': case '~': case GAP_SEPARATOR: case SPACED_DASH:
                    return true;
                case ' ':
                    return i + 1 < limit && (isBlank(text.charAt(i + 1)) || isJoiner(text.charAt(i + 1))
                            || text.charAt(i + 1) == '\n' || text.charAt(i + 1) == '\r');
                case '-':
                    return i + 1 < limit && (isBlank(text.charAt(i + 1)) || isJoiner(text.charAt(i + 1)));
                default:
                    return false;
            }
        }

        /**
         * A separator char that may have blanks on either side: {@code 4111 - 1111}, {@code 4111, 1111},
         * {@code 4111 : 1111}; a dot only counts here with a blank before or after it ({@link #DOT_BLANKS}).
         */
        private static boolean isJoiner(char c) {
            return c == '-' || c == ',' || c == ';' || c == '|' || c == '+' || c == ':' || c == '*' || c == '~'
                    || c == '.' || c == GAP_SEPARATOR || c == SPACED_DASH;
        }

        /**
         * The class of a dot with a blank before or after it ({@code 4111 . 1111}, {@code 4111. 1111}): unlike a
         * dot alone, which joins the groups of one number, it ends sentences and list items, so it joins figures.
         */
        static final char DOT_BLANKS = '\u00B7'; // a class code below 0x100 (packed in 8 bits), not a char read

        /** Whether a separator class joins spreadsheet cells or table columns: comma, semicolon, pipe, tab or blank run. */
        static boolean isColumn(char sepClass) {
            return sepClass == ',' || sepClass == ';' || sepClass == '|' || sepClass == '\t';
        }

        /**
         * Whether a separator class joins figures rather than the groups of one number: a column, a plus sign, a
         * colon (times {@code 12:30:45}, IPv6 groups, key-value pairs), an asterisk (products, list markers), a tilde
         * (ranges, EDI segment ends) or a dot with blanks ({@link #DOT_BLANKS}).
         */
        static boolean isFigure(char sepClass) {
            return isColumn(sepClass) || sepClass == '+' || sepClass == ':' || sepClass == '*' || sepClass == '~'
                    || sepClass == DOT_BLANKS || sepClass == GAP_SEPARATOR || sepClass == DASH_BLANKS;
        }

        private static boolean isBlank(char c) {
            return c == ' ' || c == '\t';
        }

        /** @return the digits {@link #read} would collect, counted without storing the groups */
        static int countDigits(CharSequence text, int pos, int limit) {
            int i = pos;
            int digits = 0;
            for (int groups = 0; i < limit && groups < MAX_GROUPS; groups++) {
                int s = i;
                while (i < limit && Chars.isDigit(text.charAt(i)) && i - s <= Chars.MAX_JOINED_GROUP) {
                    i++;
                }
                if (i - s > Chars.MAX_JOINED_GROUP) {
                    break;
                }
                digits += i - s;
                long sep = separator(text, i, limit);
                int next = (int) (sep >> 8);
                if (sep < 0 || next >= limit || !Chars.isDigit(text.charAt(next))) {
                    break;
                }
                i = next;
            }
            return digits;
        }

        static Groups read(CharSequence text, int pos, int limit) {
            Groups g = new Groups();
            int i = pos;
            while (i < limit && g.count < MAX_GROUPS) {
                int s = i;
                while (i < limit && Chars.isDigit(text.charAt(i)) && i - s <= Chars.MAX_JOINED_GROUP) {
                    i++;
                }
                if (i - s > Chars.MAX_JOINED_GROUP) {
                    // a long group stands alone; it ends the run (or is a run of its own)
                    if (g.count == 0) {
                        while (i < limit && Chars.isDigit(text.charAt(i))) {
                            i++;
                        }
                        g.add(s, i);
                    }
                    break;
                }
                g.add(s, i);
                g.digits += i - s;
                long sep = separator(text, i, limit);
                int next = (int) (sep >> 8);
                if (sep < 0 || next >= limit || !Chars.isDigit(text.charAt(next))) {
                    break;
                }
                g.seps[g.count - 1] = (char) (sep & 0xFF);
                i = next;
            }
            return g;
        }

        /**
         * The separator at i (right after a digit group): one of {@code . / _ U+001F} alone; a line break
         * ({@code \n}, {@code \r\n}, {@code \r}) with blanks before it and after it (a line's trailing blanks, the next
         * line's indent; at most {@value #MAX_BLANKS} each); or blanks,
         * then optionally one of {@code - , ; | +} and blanks again (at most {@value #MAX_BLANKS} blanks on each
         * side); or a quoted-cell boundary, {@code "} + blanks + one of {@code , ; |} or a tab + blanks + {@code "}
         * ({@code "4111","1111"}).
         *
         * @return {@code (end << 8) | class}, end being the position after the separator, or -1 if there is none
         */
        static long separator(CharSequence text, int i, int limit) {
            if (i >= limit) {
                return -1;
            }
            char c = text.charAt(i);
            switch (c) {
                case '.':
                    if (i + 1 < limit && isBlank(text.charAt(i + 1))) {
                        break; // a dot with blanks after it: read below
                    }
                    return (long) (i + 1) << 8 | c;
                case '/': case '_':
                    return (long) (i + 1) << 8 | c;
                case '\n': case '\r':
                    return lineBreak(text, i, limit);
                case RUN_SEPARATOR:
                    return (long) (i + 1) << 8 | RUN_SEPARATOR;
                default:
                    break;
            }
            boolean quoted = c == '"';
            int j = quoted ? i + 1 : i;
            int afterBlanks = blanksEnd(text, j, limit);
            if (afterBlanks < 0) {
                return -1;
            }
            int blanks = afterBlanks - j;
            j = afterBlanks;
            if (!quoted && blanks > 0 && j < limit && (text.charAt(j) == '\n' || text.charAt(j) == '\r')) {
                return lineBreak(text, j, limit); // blanks left at the end of a line
            }
            char cls;
            if (j < limit && isJoiner(text.charAt(j))) {
                cls = text.charAt(j) == SPACED_DASH ? DASH_BLANKS : text.charAt(j);
                j = blanksEnd(text, j + 1, limit);
                if (j < 0) {
                    return -1;
                }
                if (cls == '.') {
                    if (blanks == 0 && j == afterBlanks + 1) {
                        return -1; // a dot alone is read above; here it has no blank on either side (after a quote)
                    }
                    cls = DOT_BLANKS;
                }
            } else if (blanks == 0) {
                return -1;
            } else {
                cls = blanks == 1 && text.charAt(i + (quoted ? 1 : 0)) == ' ' ? ' ' : '\t';
            }
            if (quoted) {
                if (!isColumn(cls) || j >= limit || text.charAt(j) != '"') {
                    return -1;
                }
                j++;
            }
            return (long) j << 8 | cls;
        }

        /**
         * A line break at i ({@code \n}, {@code \r\n} or a lone {@code \r}) and the blanks that indent the next line.
         *
         * @return {@code (end << 8) | '\n'}, or -1 if the indent is wider than {@value #MAX_BLANKS} blanks
         */
        private static long lineBreak(CharSequence text, int i, int limit) {
            int j = text.charAt(i) == '\r' && i + 1 < limit && text.charAt(i + 1) == '\n' ? i + 2 : i + 1;
            int end = blanksEnd(text, j, limit);
            return end < 0 ? -1 : (long) end << 8 | '\n';
        }

        /** @return the end of the blanks at i (i itself if none), or -1 if there are more than {@value #MAX_BLANKS} */
        private static int blanksEnd(CharSequence text, int i, int limit) {
            int e = i;
            while (e < limit && isBlank(text.charAt(e)) && e - i < MAX_BLANKS) {
                e++;
            }
            return e < limit && isBlank(text.charAt(e)) ? -1 : e; // a wider gap separates columns
        }

        private void add(int s, int e) {
            if (count == starts.length) {
                starts = java.util.Arrays.copyOf(starts, count * 2);
                ends = java.util.Arrays.copyOf(ends, count * 2);
                seps = java.util.Arrays.copyOf(seps, count * 2);
            }
            starts[count] = s;
            ends[count] = e;
            count++;
        }

        int end() {
            return count == 0 ? 0 : ends[count - 1];
        }

        /**
         * Groups first.. have the layout's lengths, and between them either one separator class throughout (a
         * space and a line break are one class), or, in a layout without a short last group (4-4-4-4, 4-6-5,
         * 4-6-4), any mix of separators on one line: {@code 4111 1111-1111 1111}, {@code 4111.1111 1111-1111}. A
         * short group after another separator, or a line break among other separators, reads as a separate number
         * (a check digit, an extension, the next row of a table), so those are not mixed.
         */
        boolean matches(int first, int[] layout) {
            int groups = layout.length;
            for (int k = 0; k < groups; k++) {
                int n = first + k;
                if (ends[n] - starts[n] != layout[k]) {
                    return false;
                }
            }
            char c = spaceClass(seps[first]);
            boolean mixed = false;
            boolean lineBreak = false;
            for (int k = 0; k < groups - 1; k++) {
                char s = seps[first + k];
                mixed |= spaceClass(s) != c;
                lineBreak |= s == '\n' || s == RUN_SEPARATOR;
            }
            return !mixed || layout[groups - 1] >= 4 && !lineBreak;
        }

        /** A line break and a PDF run boundary join like a single space. */
        private static char spaceClass(char sep) {
            return sep == '\n' || sep == RUN_SEPARATOR ? ' ' : sep;
        }

        /**
         * Whether every separator between groups first..last joins cells or figures ({@link #isFigure}): the
         * groups may be a row of figures (a spreadsheet row, a sum), so they are a card only with card context.
         */
        boolean figureRow(int first, int last) {
            for (int k = first; k < last; k++) {
                if (!isFigure(seps[k])) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Whether groups first..last are a card only with card context: a row of figures ({@link #figureRow}), or
         * any of them joined where the reading without inline gaps left out a visible-looking element
         * ({@link #GAP_SEPARATOR}) or by a spaced dash other than a hyphen ({@link #DASH_BLANKS}).
         */
        boolean needsContext(int first, int last) {
            if (figureRow(first, last)) {
                return true;
            }
            if (last - first == 3 && seps[first] == ' ' && seps[first + 2] == ' '
                    && (seps[first + 1] == ',' || seps[first + 1] == ';' || seps[first + 1] == '|')) {
                // two numbers of two space-separated groups in a list ("Tel 5105 1051, 0510 5100"): phone numbers
                // of eight digits are written so, and one pair in about ten passes the IIN and Luhn checks
                return true;
            }
            for (int k = first; k < last; k++) {
                if (seps[k] == GAP_SEPARATOR || seps[k] == DASH_BLANKS) {
                    return true;
                }
            }
            return false;
        }

        char[] digits(CharSequence text, int first, int last) {
            int n = 0;
            for (int k = first; k <= last; k++) {
                n += ends[k] - starts[k];
            }
            char[] out = new char[n];
            int j = 0;
            for (int k = first; k <= last; k++) {
                for (int i = starts[k]; i < ends[k]; i++) {
                    out[j++] = text.charAt(i);
                }
            }
            return out;
        }
    }

    /**
     * Lines that hold only digit groups and blanks. A card-like window of groups that spans such lines, with another
     * such line right above or below them, is a row or column of a table or a list of numbers (order numbers one or
     * two per line, a one-column sheet, a report's id and amount columns), not a card wrapped by its writer.
     */
    static final class DigitLines {
        /** A line read this far without its end is taken as a line of digits (bounds the work per window). */
        static final int MAX_LINE = 256;

        private DigitLines() {
        }

        /**
         * Whether [s, e) crosses a line break, every line it touches holds only digits and blanks, and either its
         * first and last lines both hold other digits than its own, or one of them does and its lines are laid out
         * alike ({@link #sameShape}), or the line above the first or below the last of them holds digits and blanks
         * only (and a digit): {@code 4000 1200\n1300 1407\n1500 1600}
         * or {@code 4000\n4001\n4002\n4003\n4004}, but not {@code Please charge\n4111\n1111\n1111\n1111\n2
         * tickets}.
         */
        static boolean table(CharSequence text, int s, int e, int limit) {
            boolean crosses = false;
            for (int i = s; i < e; i++) {
                char c = text.charAt(i);
                if (c == '\n' || c == '\r') {
                    crosses = true;
                } else if (!Chars.isDigit(c) && !isBlank(c)) {
                    return false;
                }
            }
            if (!crosses) {
                return false;
            }
            int start = digitsBack(text, s);
            int end = digitsForward(text, e, limit);
            if (start < 0 || end < 0) {
                return false; // text on the first or last line: a card written within text
            }
            boolean before = hasDigit(text, start, s);
            boolean after = hasDigit(text, e, end);
            if (before && after || (before || after) && sameShape(text, start, end)) {
                return true; // more figures on both its end lines, or on one and its lines laid out alike: table rows
            }
            return start > 0 && digitLineEndingAt(text, start) || end < limit && digitLineStartingAt(text, end, limit);
        }

        /**
         * Whether the lines of [from, to) (lines of digits and blanks) hold digit runs of the same lengths in the same
         * order: rows of a table do ({@code 2024 4111 1111} over {@code 1111 1111 2025}); a card wrapped with its expiry
         * or security code after it does not ({@code 4111 1111} over {@code 1111 1111 1227}, {@code 3782 822463} over
         * {@code 10005 1234}).
         */
        private static boolean sameShape(CharSequence text, int from, int to) {
            int[] first = new int[8];
            int firstCount = -1;
            int count = 0;
            int run = 0;
            for (int i = from; i <= to; i++) {
                char c = i < to ? text.charAt(i) : '\n';
                if (Chars.isDigit(c)) {
                    run++;
                    continue;
                }
                if (run > 0) {
                    if (firstCount < 0) {
                        if (count == first.length) {
                            first = java.util.Arrays.copyOf(first, count * 2);
                        }
                        first[count] = run;
                    } else if (count >= firstCount || first[count] != run) {
                        return false;
                    }
                    count++;
                    run = 0;
                }
                if (c == '\n' || c == '\r') {
                    if (i + 1 < to && c == '\r' && text.charAt(i + 1) == '\n') {
                        i++;
                    }
                    if (firstCount < 0) {
                        firstCount = count;
                    } else if (count != firstCount) {
                        return false;
                    }
                    count = 0;
                }
            }
            return true;
        }

        private static boolean hasDigit(CharSequence text, int from, int to) {
            for (int i = from; i < to; i++) {
                if (Chars.isDigit(text.charAt(i))) {
                    return true;
                }
            }
            return false;
        }

        /** @return the start of the line of i if the chars before i on it are digits and blanks, else -1 */
        static int digitsBack(CharSequence text, int i) {
            int k = i;
            while (k > 0 && i - k < MAX_LINE) {
                char c = text.charAt(k - 1);
                if (c == '\n' || c == '\r') {
                    return k;
                }
                if (!Chars.isDigit(c) && !isBlank(c)) {
                    return -1;
                }
                k--;
            }
            return k;
        }

        /** @return the end of the line of i (its line break) if the chars from i on it are digits and blanks, else -1 */
        private static int digitsForward(CharSequence text, int i, int limit) {
            int k = i;
            while (k < limit && k - i < MAX_LINE) {
                char c = text.charAt(k);
                if (c == '\n' || c == '\r') {
                    return k;
                }
                if (!Chars.isDigit(c) && !isBlank(c)) {
                    return -1;
                }
                k++;
            }
            return k;
        }

        /** Whether the line before the one starting at lineStart (> 0) holds only digits and blanks, one digit at least. */
        static boolean digitLineEndingAt(CharSequence text, int lineStart) {
            int end = lineStart - 1;
            if (text.charAt(end) == '\n' && end > 0 && text.charAt(end - 1) == '\r') {
                end--;
            }
            int start = digitsBack(text, end);
            return start >= 0 && hasDigit(text, start, end);
        }

        /** Whether the line after the line break at lineEnd holds only digits and blanks, one digit at least. */
        private static boolean digitLineStartingAt(CharSequence text, int lineEnd, int limit) {
            int start = lineEnd + 1;
            if (text.charAt(lineEnd) == '\r' && start < limit && text.charAt(start) == '\n') {
                start++;
            }
            int end = digitsForward(text, start, limit);
            return end >= 0 && hasDigit(text, start, end);
        }

        /** Whether the group [s, e) stands on a line of digits and blanks ({@link #MAX_LINE} bound). */
        static boolean onDigitLine(CharSequence text, int s, int e, int limit) {
            return digitsBack(text, s) >= 0 && digitsForward(text, e, limit) >= 0;
        }

        private static boolean isBlank(char c) {
            return c == ' ' || c == '\t' || c == '\u00a0';
        }
    }

    /**
     * Whether the digit groups of a table of digit lines ({@link DigitLines}) are cards throughout: the block of groups
     * around a window (joined by spaces and line breaks, each on a line of digits and blanks, as far as the groups
     * read reach) cut into printed card layouts end to end, each a card by network and Luhn check, with groups of one to
     * three digits between them passed over, two cards at least unless the block is one card. A list of cards written
     * a group or two per line is so (with a security code or a number per card, too); a table of figures almost never
     * (one window in about ten passes, so a block of two cards one in about a hundred, of three one in a thousand).
     */
    static final class Tiling {
        private final int from;
        private final int to;
        /** reach[i]: the most cards in a cut of groups from..from+i-1 into cards end to end, -1 if there is none. */
        private final int[] reach;
        /** rest[i]: the same for groups from+i..to. */
        private final int[] rest;

        /** Whether digit lines above the groups read belong to the block. */
        private final boolean linesBefore;

        private Tiling(int from, int to, int[] reach, int[] rest, boolean linesBefore) {
            this.from = from;
            this.to = to;
            this.reach = reach;
            this.rest = rest;
            this.linesBefore = linesBefore;
        }

        /**
         * The block of groups around group {@code at} of {@code g}, and its cuts into cards.
         *
         * @param cardEnd where the last card found ended, or -1: a card of the same block before the groups read
         *     (only blanks and line breaks between) counts as one of the block's cards
         */
        static Tiling of(CharSequence text, Groups g, int at, int limit, int cardEnd) {
            int from = at;
            while (from > 0 && spaceOrBreak(g.seps[from - 1])
                    && DigitLines.onDigitLine(text, g.starts[from - 1], g.ends[from - 1], limit)) {
                from--;
            }
            int to = at;
            while (to < g.count - 1 && spaceOrBreak(g.seps[to])
                    && DigitLines.onDigitLine(text, g.starts[to + 1], g.ends[to + 1], limit)) {
                to++;
            }
            int n = to - from + 1;
            boolean[][] cards = new boolean[n][Groups.LAYOUTS.length];
            for (int i = 0; i < n; i++) {
                for (int l = 0; l < Groups.LAYOUTS.length; l++) {
                    cards[i][l] = i + Groups.LAYOUTS[l].length <= n && isCard(text, g, from + i, Groups.LAYOUTS[l]);
                }
            }
            int[] reach = new int[n + 1];
            java.util.Arrays.fill(reach, -1);
            reach[0] = from == 0 && cardBefore(text, cardEnd, g.starts[0]) ? 1 : 0;
            for (int i = 0; i < n; i++) {
                if (reach[i] < 0) {
                    continue;
                }
                if (isShort(g, from + i)) {
                    reach[i + 1] = Math.max(reach[i + 1], reach[i]);
                }
                for (int l = 0; l < Groups.LAYOUTS.length; l++) {
                    if (cards[i][l]) {
                        int j = i + Groups.LAYOUTS[l].length;
                        reach[j] = Math.max(reach[j], reach[i] + 1);
                    }
                }
            }
            int[] rest = new int[n + 1];
            java.util.Arrays.fill(rest, -1);
            rest[n] = 0;
            for (int i = n - 1; i >= 0; i--) {
                if (isShort(g, from + i) && rest[i + 1] >= 0) {
                    rest[i] = rest[i + 1];
                }
                for (int l = 0; l < Groups.LAYOUTS.length; l++) {
                    int j = i + Groups.LAYOUTS[l].length;
                    if (cards[i][l] && rest[j] >= 0) {
                        rest[i] = Math.max(rest[i], rest[j] + 1);
                    }
                }
            }
            // the groups read start at the scan position: digit lines above them belong to the block too
            boolean before = false;
            if (from == 0) {
                int lineStart = DigitLines.digitsBack(text, g.starts[0]);
                before = lineStart > 0 && DigitLines.digitLineEndingAt(text, lineStart);
            }
            return new Tiling(from, to, reach, rest, before);
        }

        /** Whether group {@code k} is in the block. */
        boolean holds(int k) {
            return k >= from && k <= to;
        }

        /**
         * Whether the card first..last of {@code g} is one of the cards of a cut of the whole block into cards: with
         * another card, unless the card is the whole block or has two groups on a line (a card a group per line with
         * a short number on a line of its own beside it is a column of figures as likely).
         */
        boolean covers(Groups g, int first, int last) {
            if (first < from || last > to || reach[first - from] < 0 || rest[last + 1 - from] < 0) {
                return false;
            }
            if (reach[first - from] + rest[last + 1 - from] >= 1 || first == from && last == to && !linesBefore) {
                return true;
            }
            for (int k = first; k < last; k++) {
                if (g.seps[k] == ' ') {
                    return true;
                }
            }
            return false;
        }

        /** Whether a card ended at cardEnd with only blanks and line breaks between it and {@code start}. */
        private static boolean cardBefore(CharSequence text, int cardEnd, int start) {
            if (cardEnd < 0 || cardEnd > start || start - cardEnd > DigitLines.MAX_LINE) {
                return false;
            }
            for (int i = cardEnd; i < start; i++) {
                char c = text.charAt(i);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return false;
                }
            }
            return true;
        }

        /** A group of one to three digits between cards (a security code or a record number per card) is passed over. */
        private static boolean isShort(Groups g, int k) {
            return g.ends[k] - g.starts[k] <= 3;
        }

        private static boolean spaceOrBreak(char sep) {
            return sep == ' ' || sep == '\n';
        }

        private static boolean isCard(CharSequence text, Groups g, int first, int[] layout) {
            int last = first + layout.length - 1;
            if (!g.matches(first, layout) || g.needsContext(first, last)) {
                return false;
            }
            String pan = new String(g.digits(text, first, last));
            return CardNetwork.of(pan) != null && Luhn.isValid(pan);
        }
    }

    /** Keeps the first and last four digits and all separators; masks other digits with '*'. */
    static String mask(CharSequence text, int start, int end, int digitCount) {
        StringBuilder sb = new StringBuilder(end - start);
        int d = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (Chars.isDigit(c)) {
                sb.append(d < 4 || d >= digitCount - 4 ? c : '*');
                d++;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
