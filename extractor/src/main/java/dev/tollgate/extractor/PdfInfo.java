package dev.tollgate.extractor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSInteger;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSString;

/**
 * What a PDF's document information dictionary (ISO 32000-1 §14.3.3, the trailer's {@code /Info}) holds beyond
 * the string values Tika reads: the <b>key names</b> ({@code /4111111111111111 (x)} is a key named with a card
 * number), and values that are <b>dictionaries or arrays</b> (Tika reads strings, names, numbers and dates only).
 * Read from the document PDFBox loaded for Tika:
 * <ul>
 *   <li>every key name of the Info dictionary under {@value #KEYS};</li>
 *   <li>every value, walked to the end under {@code pdf:docinfo:custom:<key>} (Tika's key for custom entries):
 *       strings (decoded by PDFBox), names and integers as text, the key names of nested dictionaries, each
 *       element of an array, and an array's strings, names and integers joined by single spaces as one value
 *       too ({@code [(4111) (1111) (1111) (1111)]} reads {@code 4111 1111 1111 1111}). Reals, booleans and nulls
 *       hold no text; a stream's dictionary is walked, its data is not read.</li>
 * </ul>
 * Each dictionary and array is read once (a cycle of indirect objects ends there). Bounded: at most {@value #MAX_NODES} objects,
 * {@value #MAX_DEPTH} levels and {@value #MAX_CHARS} chars; beyond, {@link #tooLarge} is set and the document is
 * unscannable, never clean. {@link DocumentMetadata} then keeps each distinct value once, within its own bounds.
 */
final class PdfInfo {
    /** The key under which the Info dictionary's key names are kept. */
    static final String KEYS = "pdf:docinfo:keys";
    /** The prefix of the key of an entry's values (Tika's prefix for custom entries). */
    static final String VALUE_PREFIX = "pdf:docinfo:custom:";
    static final int MAX_NODES = 4 * DocumentMetadata.MAX_VALUES;
    static final int MAX_DEPTH = 32;
    static final long MAX_CHARS = 2L * DocumentMetadata.MAX_CHARS;

    /** (key, value) pairs in the order read. */
    final List<String[]> values = new ArrayList<>();
    /** Whether the dictionary passed a bound (the values are then incomplete). */
    boolean tooLarge;

    private final Set<COSBase> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    private int nodes;
    private long chars;

    private PdfInfo() {
    }

    /**
     * @param info the Info dictionary, or null when the document has none
     * @return its key names and values
     */
    static PdfInfo read(COSDictionary info) {
        PdfInfo out = new PdfInfo();
        if (info != null) {
            out.visited.add(info);
            for (Map.Entry<COSName, COSBase> e : info.entrySet()) {
                String name = e.getKey().getName();
                out.add(KEYS, name);
                out.walk(VALUE_PREFIX + name, e.getValue(), 1);
                if (out.tooLarge) {
                    break;
                }
            }
        }
        return out;
    }

    private void walk(String key, COSBase value, int depth) {
        if (tooLarge) {
            return;
        }
        COSBase v = value instanceof COSObject ? ((COSObject) value).getObject() : value;
        if (v == null) {
            return;
        }
        if (++nodes > MAX_NODES || depth > MAX_DEPTH) {
            tooLarge = true;
            return;
        }
        String text = text(v);
        if (text != null) {
            add(key, text);
        } else if (v instanceof COSDictionary) {
            if (!visited.add(v)) {
                return;
            }
            for (Map.Entry<COSName, COSBase> e : ((COSDictionary) v).entrySet()) {
                add(key, e.getKey().getName());
                walk(key, e.getValue(), depth + 1);
            }
        } else if (v instanceof COSArray) {
            if (!visited.add(v)) {
                return;
            }
            StringBuilder joined = new StringBuilder();
            for (COSBase element : (COSArray) v) {
                walk(key, element, depth + 1);
                COSBase direct = element instanceof COSObject ? ((COSObject) element).getObject() : element;
                String t = direct == null ? null : text(direct);
                if (t != null) {
                    if (joined.length() > 0) {
                        joined.append(' ');
                    }
                    joined.append(t);
                }
            }
            add(key, joined.toString());
        }
    }

    /** @return the text of a string, name or integer, or null for anything else */
    private static String text(COSBase v) {
        if (v instanceof COSString) {
            return ((COSString) v).getString();
        }
        if (v instanceof COSName) {
            return ((COSName) v).getName();
        }
        if (v instanceof COSInteger) {
            return Long.toString(((COSInteger) v).longValue());
        }
        return null;
    }

    private void add(String key, String value) {
        if (value.isEmpty() || tooLarge) {
            return;
        }
        if ((chars += value.length()) > MAX_CHARS) {
            tooLarge = true;
            return;
        }
        values.add(new String[] {key, value});
    }
}
