package dev.tollgate.core.dlp;

import java.util.Locale;
import java.util.Set;

import com.ibm.icu.text.SpoofChecker;

/**
 * Card context for digit groups joined like figures (spreadsheet cells, table columns, a sum). Two kinds of label:
 *
 * <ul>
 *   <li>A <b>strong</b> label ({@link #strongWord}: {@code card}, {@code cards}, {@code card number}, {@code credit
 *       card}, {@code CVV}, {@code Kreditkarte}, {@code carte}, {@code tarjeta}..., and compounds such as
 *       {@code CardNum}, {@code Kreditkartennummer}, {@code Kortnummer}, {@code カード番号}, and phrases such as
 *       {@code numero di carta}, {@code номер карты}: {@link #STRONG_PHRASES}) counts on the line of the digits, on the
 *       nearest non-blank line before it (across at most one blank line), on the nearest non-blank line after it
 *       (likewise), on the first line of its block (a block ends after a blank line, or at the start of the text),
 *       and on the first line of the run of lines that hold the row's column separator (the table's header row
 *       under a title line; at most {@value #MAX_RUN_LINES} lines above the row).</li>
 *   <li>A <b>weak</b> label ({@link #WEAK}: network names and abbreviations with everyday senses, {@code Visa},
 *       {@code Mastercard}, {@code Amex}, {@code Discover}, {@code Diners}, {@code JCB}, {@code PAN}, {@code CC}...)
 *       counts only directly before the digits on their line: ending at most {@value #WEAK_REACH} chars before
 *       them, with only punctuation, blanks and the words of {@link #FILLER} ({@code no}, {@code nr},
 *       {@code number}, {@code card}...) between. A header row naming networks as columns is no card context.</li>
 * </ul>
 *
 * <p>Greek {@code κάρτα} and its forms are strong words, and Arabic words holding the stem {@code بطاق}
 * ({@code بطاقة}, {@code رقم البطاقة}); Turkish ({@code kart numarası}, {@code kredi kartı}) and Hebrew
 * ({@code מספר כרטיס}, {@code כרטיס אשראי}) labels are phrases, since {@code kart} (also a go-kart) and
 * {@code כרטיס} (also a ticket) alone are everyday words. A strong label counts wherever it stands on the line, so
 * also after the digits, as in a right-to-left line stored in logical order.
 *
 * <p>A line ends at {@code \n} or {@code \r}; text past the scan limit is not read. Bare {@code credit} and
 * {@code debit} are not labels: they head the columns of every ledger.
 *
 * <p>Words are compared in lower case ({@link Locale#ROOT}). A word holding a char outside ASCII that is no label as
 * written is compared again by its confusable skeleton (UTS #39, ICU's {@link SpoofChecker#getSkeleton}) against the
 * skeletons of the labels, so {@code Сard} written with a Cyrillic {@code С} or {@code Vіsa} with a Cyrillic
 * {@code і} reads as the label; ASCII words are compared as written.
 *
 * <p>Work: the strong verdict is kept per line, and where the previous question's line and header lines are known
 * (asked by the same {@link Hit}, left to right) the walks back stop there, so each char is read a bounded number of
 * times over a whole scan however many rows there are.
 */
final class CardContext {
    /** Strong labels as whole words, lower case. */
    static final Set<String> STRONG = Set.of("card", "cards", "cvv", "cvc", "cvv2", "cvc2", "carte", "cartes",
        "karte", "karten", "tarjeta", "tarjetas", "cartão", "cartao", "cartões", "kreditkarte", "creditcard",
        "creditcards", "debitcard", "debitcards");
    /**
     * Strong labels compared only as written, never by skeleton: Greek {@code κάρτα} and its forms, whose
     * skeleton is that of Russian {@code карта} (a card, also a map: no label alone).
     */
    static final Set<String> STRONG_AS_WRITTEN = Set.of("κάρτα", "κάρτας", "καρτα", "καρτας", "κάρτες", "καρτες");
    /**
     * Strong label stems found anywhere inside a word (compounds, and scripts written without spaces):
     * {@code Kreditkartennummer}, {@code Kortnummer}, {@code Korttinumero}, {@code カード番号}, {@code 卡号}.
     */
    static final String[] STRONG_STEMS = {"kreditkart", "debitkart", "bankkart", "girokart", "kartennummer",
        "kartnummer", "kortnummer", "kreditkort", "betalkort", "kaartnummer", "creditcard", "debitcard",
        "korttinumero", "luottokort", "pankkikort", "カード番号", "クレジットカード", "卡号", "卡號", "信用卡", "银行卡",
        "銀行卡", "카드번호", "신용카드", "بطاق"};
    /**
     * Strong labels of several words, lower case, the words separated by blanks: a word of their own in each
     * language would be an everyday word ({@code carta} is paper, {@code karty} and {@code карты} cards or maps).
     */
    static final String[][] STRONG_PHRASES = {{"carta", "di", "credito"}, {"carta", "di", "debito"},
        {"numero", "di", "carta"}, {"numero", "della", "carta"}, {"numer", "karty"}, {"karta", "kredytowa"},
        {"karta", "płatnicza"}, {"karty", "kredytowej"}, {"číslo", "karty"}, {"platební", "karta"},
        {"kreditní", "karta"}, {"kreditní", "karty"}, {"номер", "карты"}, {"кредитная", "карта"},
        {"кредитной", "карты"}, {"банковская", "карта"}, {"банковской", "карты"},
        {"kart", "numarası"}, {"kart", "numarasi"}, {"kart", "numaranız"}, {"kart", "numaraniz"}, {"kart", "no"},
        {"kredi", "kartı"}, {"kredi", "karti"}, {"kredi", "kartınız"}, {"kredi", "kartiniz"}, {"banka", "kartı"},
        {"banka", "karti"}, {"מספר", "כרטיס"}, {"מספר", "הכרטיס"}, {"כרטיס", "אשראי"}, {"כרטיסי", "אשראי"},
        {"כרטיס", "חיוב"}};
    /** What may follow {@code card} inside one word for a compound label: {@code CardNo}, {@code cardholder}. */
    private static final String[] CARD_SUFFIXES = {"no", "nr", "num", "holder", "s"};
    /** Weak labels, lower case whole words (and {@code american express}). */
    static final Set<String> WEAK = Set.of("visa", "mastercard", "amex", "diners", "discover", "jcb", "maestro",
        "unionpay", "cc", "ccn", "pan", "mc");
    /** Words that may stand between a weak label and the digits. */
    static final Set<String> FILLER = Set.of("no", "nr", "num", "number", "nummer", "numero", "número", "numer",
        "číslo", "номер", "card", "cards");

    /** UTS #39 skeletons; the checker is immutable and its skeleton function thread-safe. */
    private static final SpoofChecker SPOOF = new SpoofChecker.Builder().build();
    private static final Set<String> STRONG_FOLDED = skeletons(STRONG.toArray(new String[0]));
    private static final String[] STEMS_FOLDED = skeletons(STRONG_STEMS).toArray(new String[0]);
    private static final String CARD_FOLDED = skeleton("card");
    private static final String[] CARD_SUFFIXES_FOLDED = skeletons(CARD_SUFFIXES).toArray(new String[0]);
    private static final Set<String> WEAK_FOLDED = skeletons(WEAK.toArray(new String[0]));
    private static final Set<String> FILLER_FOLDED = skeletons(FILLER.toArray(new String[0]));
    private static final String AMERICAN_FOLDED = skeleton("american");
    private static final String EXPRESS_FOLDED = skeleton("express");
    private static final String[][] PHRASES_FOLDED = new String[STRONG_PHRASES.length][];

    static {
        for (int p = 0; p < STRONG_PHRASES.length; p++) {
            String[] phrase = STRONG_PHRASES[p];
            PHRASES_FOLDED[p] = new String[phrase.length];
            for (int k = 0; k < phrase.length; k++) {
                PHRASES_FOLDED[p][k] = skeleton(phrase[k]);
            }
        }
    }

    /** How far before the digits a weak label may end, in chars. */
    static final int WEAK_REACH = 24;
    /** How many lines above a row its column run's header row may be. */
    static final int MAX_RUN_LINES = 50;
    /** Longer words are no labels (bounds the per-word work). */
    private static final int MAX_WORD = 40;

    private CardContext() {
    }

    /**
     * @param text the scanned text
     * @param s where the digits start
     * @param sep the separator class after the first group ({@code , ; |}, {@code \t} for a tab or blank run,
     *     {@code +}); rows of other classes have no column run
     * @param limit the scan limit (exclusive)
     * @param hit the scan's state; caches the verdicts of the last line asked about
     * @return whether a strong label is near the line of {@code s} or a weak one stands directly before {@code s}
     */
    static boolean near(CharSequence text, int s, char sep, int limit, Hit hit) {
        if (hit.ctxPos > s) {
            hit.ctxPos = -1; // asked out of order: forget what was known
        }
        char cls = sep == ',' || sep == ';' || sep == '|' || sep == '\t' ? sep : 0;
        int i = s;
        while (i > 0 && i > hit.ctxPos && !isBreak(text.charAt(i - 1))) {
            i--;
        }
        boolean sameLine = hit.ctxPos >= 0 && i == hit.ctxPos;
        int lineStart = sameLine ? hit.ctxLineStart : i;
        if (sameLine && hit.ctxSep == cls) {
            hit.ctxPos = s;
            return hit.ctxVerdict || weakBefore(text, s, lineStart);
        }
        int lineEnd = lineEnd(text, lineStart, limit);
        boolean verdict = strongIn(text, lineStart, lineEnd);
        if (!verdict) {
            int prev = prevLineStart(text, lineStart);
            if (prev >= 0 && blank(text, prev, lineEnd(text, prev, limit))) {
                prev = prevLineStart(text, prev);
            }
            verdict = prev >= 0 && strongIn(text, prev, lineEnd(text, prev, limit));
        }
        if (!verdict) {
            int next = nextLineStart(text, lineEnd, limit);
            if (next >= 0 && blank(text, next, lineEnd(text, next, limit))) {
                next = nextLineStart(text, lineEnd(text, next, limit), limit);
            }
            verdict = next >= 0 && strongIn(text, next, lineEnd(text, next, limit));
        }
        int header = headerStart(text, lineStart, hit);
        if (header != hit.ctxHeaderStart || hit.ctxPos < 0) {
            hit.ctxHeaderVerdict = strongIn(text, header, lineEnd(text, header, limit));
        }
        long run = runStart(text, lineStart, cls, hit);
        int runStart = run < 0 ? -1 : (int) (run >> 8);
        if (runStart != hit.ctxRunStart || hit.ctxPos < 0) {
            hit.ctxRunVerdict = runStart >= 0 && strongIn(text, runStart, lineEnd(text, runStart, limit));
        }
        verdict |= hit.ctxHeaderVerdict | hit.ctxRunVerdict;
        hit.ctxPos = s;
        hit.ctxLineStart = lineStart;
        hit.ctxHeaderStart = header;
        hit.ctxRunStart = runStart;
        hit.ctxRunDepth = run < 0 ? 0 : (int) (run & 0xff);
        hit.ctxSep = cls;
        hit.ctxVerdict = verdict;
        return verdict || weakBefore(text, s, lineStart);
    }

    /** The first line of the block holding the line at lineStart: back over lines up to a blank one. */
    private static int headerStart(CharSequence text, int lineStart, Hit hit) {
        int line = lineStart;
        while (line > 0) {
            if (hit.ctxPos >= 0 && line == hit.ctxLineStart) {
                return hit.ctxHeaderStart; // the block of the last question's line, with no blank line since
            }
            int prevStart = prevLineStart(text, line);
            if (blank(text, prevStart, prevLineEnd(text, line))) {
                return line;
            }
            line = prevStart;
        }
        return 0;
    }

    /**
     * The first line of the run of non-blank lines holding the column separator cls that ends with the line at
     * lineStart, if at most {@value #MAX_RUN_LINES} lines above it.
     *
     * @return {@code (start << 8) | lines above}, or -1 if there is no column separator or the run is longer
     */
    private static long runStart(CharSequence text, int lineStart, char cls, Hit hit) {
        if (cls == 0) {
            return -1;
        }
        int line = lineStart;
        int depth = 0;
        while (line > 0) {
            if (hit.ctxPos >= 0 && line == hit.ctxLineStart && line != lineStart && hit.ctxSep == cls) {
                int total = depth + hit.ctxRunDepth;
                return hit.ctxRunStart < 0 || total > MAX_RUN_LINES ? -1 : (long) hit.ctxRunStart << 8 | total;
            }
            int prevStart = prevLineStart(text, line);
            int prevEnd = prevLineEnd(text, line);
            if (blank(text, prevStart, prevEnd) || !holds(text, prevStart, prevEnd, cls)) {
                break;
            }
            if (++depth > MAX_RUN_LINES) {
                return -1;
            }
            line = prevStart;
        }
        return (long) line << 8 | depth;
    }

    /** Whether [from, to) holds the separator class cls (a tab class: a tab or two blanks). */
    private static boolean holds(CharSequence text, int from, int to, char cls) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == cls || cls == '\t' && c == ' ' && i + 1 < to && text.charAt(i + 1) == ' ') {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a weak label (or a strong one) ends at most {@value #WEAK_REACH} chars before s on its line, with only
     * non-word chars and {@link #FILLER} words between.
     */
    static boolean weakBefore(CharSequence text, int s, int lineStart) {
        int floor = Math.max(lineStart, s - WEAK_REACH);
        int i = s;
        String after = null;
        for (int words = 0; words < 8; words++) {
            while (i > floor && !Chars.isWordChar(text.charAt(i - 1))) {
                i--;
            }
            if (i == lineStart || !Chars.isWordChar(text.charAt(i - 1))) {
                return false;
            }
            int ws = i;
            while (ws > lineStart && Chars.isWordChar(text.charAt(ws - 1)) && i - ws <= MAX_WORD) {
                ws--;
            }
            if (ws > lineStart && Chars.isWordChar(text.charAt(ws - 1))) {
                return false;
            }
            String w = lower(text.subSequence(ws, i));
            String folded = ascii(w) ? w : skeleton(w);
            if (in(WEAK, WEAK_FOLDED, w, folded) || same(w, folded, "american", AMERICAN_FOLDED)
                    && "express".equals(after)) {
                return true;
            }
            boolean express = same(w, folded, "express", EXPRESS_FOLDED);
            if (!express && !in(FILLER, FILLER_FOLDED, w, folded)) {
                return false;
            }
            after = express ? "express" : w;
            i = ws;
        }
        return false;
    }

    /** Whether a strong label occurs in [from, to) as a word, a compound or a phrase ({@link #STRONG_PHRASES}). */
    static boolean strongIn(CharSequence text, int from, int to) {
        int i = from;
        while (i < to) {
            if (!Chars.isWordChar(text.charAt(i))) {
                i++;
                continue;
            }
            int ws = i;
            while (i < to && Chars.isWordChar(text.charAt(i))) {
                i++;
            }
            if (i - ws <= MAX_WORD) {
                String w = lower(text.subSequence(ws, i));
                if (strongWord(w) || phraseAt(text, w, i, to)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether a lower-case word is a strong label: a whole label, {@code card} + a suffix, or a compound; as
     * written, or for a word with a char outside ASCII by its confusable skeleton.
     */
    static boolean strongWord(String w) {
        if (STRONG_AS_WRITTEN.contains(w) || strongForm(w, STRONG, STRONG_STEMS, "card", CARD_SUFFIXES)) {
            return true;
        }
        return !ascii(w) && strongForm(skeleton(w), STRONG_FOLDED, STEMS_FOLDED, CARD_FOLDED, CARD_SUFFIXES_FOLDED);
    }

    private static boolean strongForm(String w, Set<String> words, String[] stems, String card, String[] suffixes) {
        if (words.contains(w)) {
            return true;
        }
        if (w.startsWith(card)) {
            for (String suffix : suffixes) {
                if (w.startsWith(suffix, card.length())) {
                    return true;
                }
            }
        }
        for (String stem : stems) {
            if (w.contains(stem)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the lower-case word {@code w}, ending at {@code end}, starts a {@link #STRONG_PHRASES} phrase whose
     * other words follow, each after 1–3 blanks, before {@code to}.
     */
    private static boolean phraseAt(CharSequence text, String w, int end, int to) {
        String folded = ascii(w) ? w : skeleton(w);
        for (int p = 0; p < STRONG_PHRASES.length; p++) {
            String[] phrase = STRONG_PHRASES[p];
            String[] phraseFolded = PHRASES_FOLDED[p];
            if (!same(w, folded, phrase[0], phraseFolded[0])) {
                continue;
            }
            int i = end;
            int k = 1;
            while (k < phrase.length) {
                int b = i;
                while (i < to && i - b < 3 && (text.charAt(i) == ' ' || text.charAt(i) == '\t' || text.charAt(i) == '\u00a0')) {
                    i++;
                }
                int ws = i;
                while (i < to && Chars.isWordChar(text.charAt(i)) && i - ws <= MAX_WORD) {
                    i++;
                }
                if (ws == b || ws == i || i < to && Chars.isWordChar(text.charAt(i))) {
                    break;
                }
                String next = lower(text.subSequence(ws, i));
                if (!same(next, ascii(next) ? next : skeleton(next), phrase[k], phraseFolded[k])) {
                    break;
                }
                k++;
            }
            if (k == phrase.length) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether w (lower case, {@code folded} its skeleton or itself if ASCII) is the label as written or confusably
     * ({@code labelFolded} the label's skeleton).
     */
    private static boolean same(String w, String folded, String label, String labelFolded) {
        return w.equals(label) || w != folded && folded.equals(labelFolded);
    }

    /** Whether w (lower case, {@code folded} its skeleton or itself if ASCII) is in the set as written or confusably. */
    private static boolean in(Set<String> labels, Set<String> labelsFolded, String w, String folded) {
        return labels.contains(w) || w != folded && labelsFolded.contains(folded);
    }

    private static boolean ascii(String w) {
        for (int i = 0; i < w.length(); i++) {
            if (w.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** The UTS #39 confusable skeleton of s (NFD, each char mapped to its prototype, NFD). */
    static String skeleton(String s) {
        return SPOOF.getSkeleton(s);
    }

    private static Set<String> skeletons(String[] words) {
        Set<String> out = new java.util.LinkedHashSet<>();
        for (String w : words) {
            out.add(skeleton(w));
        }
        return out;
    }

    private static boolean isBreak(char c) {
        return c == '\n' || c == '\r';
    }

    /** @return the end (exclusive) of the line before the one starting at lineStart > 0 */
    private static int prevLineEnd(CharSequence text, int lineStart) {
        int prevEnd = lineStart - 1;
        if (prevEnd > 0 && text.charAt(prevEnd) == '\n' && text.charAt(prevEnd - 1) == '\r') {
            prevEnd--;
        }
        return prevEnd;
    }

    /** @return the start of the line before the one starting at lineStart, or -1 at the start of the text */
    private static int prevLineStart(CharSequence text, int lineStart) {
        if (lineStart <= 0) {
            return -1;
        }
        int i = prevLineEnd(text, lineStart);
        while (i > 0 && !isBreak(text.charAt(i - 1))) {
            i--;
        }
        return i;
    }

    /** @return the start of the line after the one ending at lineEnd, or -1 past the limit */
    private static int nextLineStart(CharSequence text, int lineEnd, int limit) {
        if (lineEnd >= limit) {
            return -1;
        }
        int i = lineEnd + 1;
        if (text.charAt(lineEnd) == '\r' && i < limit && text.charAt(i) == '\n') {
            i++;
        }
        return i < limit ? i : -1;
    }

    private static int lineEnd(CharSequence text, int start, int limit) {
        int i = start;
        while (i < limit && !isBreak(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean blank(CharSequence text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t' && c != '\u00a0') {
                return false;
            }
        }
        return true;
    }

    /**
     * A word in lower case for comparing with the labels. The capital dotted I of Turkish ({@code KREDİ KARTI})
     * lower-cases to {@code i} and a combining dot above in the root locale; the dot is dropped, so the word reads
     * as the label {@code kredi} does.
     */
    static String lower(CharSequence word) {
        String w = word.toString().toLowerCase(Locale.ROOT);
        return w.indexOf('\u0307') < 0 ? w : w.replace("i\u0307", "i");
    }
}
