package dev.tollgate.extractor;

import java.util.HashMap;
import java.util.Map;

/**
 * PDFBox 2.0's check for overlapping duplicate glyphs ({@code PDFTextStripper.processTextPosition} with
 * {@code suppressDuplicateOverlappingText}), on one page, with the same decisions and the same exceptions, in
 * primitive floats.
 *
 * <p>PDFBox keeps the page's kept glyphs by text in a {@code TreeMap<Float, TreeSet<Float>>} (x, then y) and drops a
 * glyph of text {@code s} at {@code (x, y)} with width {@code w} when a kept glyph of the same text has its x in
 * {@code [x - t, x + t)} and its y in {@code [y - t, y + t)}, {@code t = w / s.length() / 3f}, both ranges in
 * {@link Float#compare} order (so {@code -0.0 < 0.0}, NaN above everything, and a NaN bound is an empty range when
 * both bounds are NaN). {@code TreeMap.subMap} throws {@link IllegalArgumentException} when {@code x - t} comes after
 * {@code x + t}; {@code TreeSet.subSet} throws the same for the y range, reached only when a kept glyph lies in the
 * x range.
 *
 * <p>Here each text has its kept glyphs in a grid of square cells (side: four times the first such glyph's
 * tolerance, within bounds), hashed by cell; a glyph looks only in the cells its ranges overlap, or through the
 * text's glyphs one by one when that is fewer. The cell of a coordinate only narrows the candidates (it never
 * decides): it is non-decreasing in the coordinate (infinities and huge values go to the end cells), so every glyph
 * within the ranges is in a cell that is looked at, and each candidate is compared exactly as PDFBox compares.
 */
final class DuplicateGlyphs {
    private final Map<String, Copies> byText = new HashMap<>();

    /**
     * Forgets the page's glyphs (PDFBox clears its own at each page). The texts' tables are kept, emptied, for the
     * next page: most texts come back on every page.
     */
    void clear() {
        for (Copies copies : byText.values()) {
            copies.clear();
        }
    }

    /**
     * Decides one glyph, in content-stream order, and keeps it when it is not a duplicate.
     *
     * @param text the glyph's text ({@code TextPosition.getUnicode()}, not null)
     * @param x its x ({@code TextPosition.getX()}), y ({@code getY()}) and width ({@code getWidth()}), in the page's
     *     text space units
     * @return true when the glyph is a duplicate (PDFBox drops it), false when it is kept
     * @throws IllegalArgumentException where PDFBox's sub-map or sub-set throws (see the class comment)
     */
    boolean isDuplicate(String text, float x, float y, float width) {
        float tolerance = width / text.length() / 3.0f;
        float xFrom = x - tolerance;
        float xTo = x + tolerance;
        if (Float.compare(xFrom, xTo) > 0) {
            throw new IllegalArgumentException("fromKey > toKey");
        }
        Copies copies = byText.get(text);
        if (copies == null) {
            copies = new Copies();
            byText.put(text, copies);
        }
        if (copies.anyWithin(xFrom, xTo, y - tolerance, y + tolerance)) {
            return true;
        }
        copies.add(x, y, tolerance);
        return false;
    }

    /** The kept glyphs of one text: positions in arrays, chained by grid cell. */
    private static final class Copies {
        /** Cell indices run from -EDGE to EDGE: ±EDGE for the infinities, the values between for finite ones. */
        private static final long EDGE = 1L << 29;
        /** What a NaN upper bound reaches: past every cell (NaN is above every key in Float.compare order). */
        private static final long PAST = EDGE + 1;

        /** One over the side of a cell, set by the first glyph kept on the page. */
        private double perCell;
        private float[] xs = new float[8];
        private float[] ys = new float[8];
        /** The next glyph in the same cell, or -1; -2 for a glyph that is in no cell (its y is NaN). */
        private int[] next = new int[8];
        private int size;
        /** Open addressing: cell keys, and the index + 1 of the last glyph added to that cell (0: slot empty). */
        private long[] keys = new long[16];
        private int[] heads = new int[16];
        private int cells;

        void clear() {
            if (cells > 0) {
                java.util.Arrays.fill(heads, 0);
                cells = 0;
            }
            size = 0;
        }

        private long index(float v) {
            if (v != v) {
                return PAST;
            }
            double q = Math.floor(v * perCell); // rounding keeps the product non-decreasing in v
            if (q >= EDGE) {
                return v == Float.POSITIVE_INFINITY ? EDGE : EDGE - 1;
            }
            if (q <= -EDGE) {
                return v == Float.NEGATIVE_INFINITY ? -EDGE : -EDGE + 1;
            }
            return (long) q;
        }

        private static long key(long cx, long cy) {
            return (cx << 32) ^ (cy & 0xFFFFFFFFL);
        }

        private int slot(long key) {
            int mask = keys.length - 1;
            // the product's top bits, as many as the table's size needs (they depend on every bit of the key)
            int i = (int) ((key * 0x9E3779B97F4A7C15L) >>> (64 - Integer.numberOfTrailingZeros(keys.length)));
            while (heads[i] != 0 && keys[i] != key) {
                i = (i + 1) & mask;
            }
            return i;
        }

        private static boolean within(float v, float from, float to) {
            return Float.compare(v, from) >= 0 && Float.compare(v, to) < 0;
        }

        /** Whether a kept glyph lies in both ranges; throws as PDFBox's sub-set for an inverted y range. */
        boolean anyWithin(float xFrom, float xTo, float yFrom, float yTo) {
            if (size == 0 || Float.compare(xFrom, xTo) == 0) {
                return false; // an empty x range: PDFBox looks at no y range
            }
            int yOrder = Float.compare(yFrom, yTo);
            if (yOrder > 0) {
                for (int i = 0; i < size; i++) {
                    if (within(xs[i], xFrom, xTo)) {
                        throw new IllegalArgumentException("fromKey > toKey");
                    }
                }
                return false;
            }
            if (yOrder == 0) {
                return false;
            }
            long cx0 = index(xFrom);
            long cx1 = index(xTo);
            long cy0 = index(yFrom);
            long cy1 = index(yTo);
            if ((cx1 - cx0 + 1) * (cy1 - cy0 + 1) > size) {
                for (int i = 0; i < size; i++) {
                    if (within(xs[i], xFrom, xTo) && within(ys[i], yFrom, yTo)) {
                        return true;
                    }
                }
                return false;
            }
            for (long cx = cx0; cx <= cx1; cx++) {
                for (long cy = cy0; cy <= cy1; cy++) {
                    long k = key(cx, cy);
                    int s = slot(k);
                    for (int i = heads[s] - 1; i >= 0; i = next[i]) {
                        if (within(xs[i], xFrom, xTo) && within(ys[i], yFrom, yTo)) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        void add(float x, float y, float tolerance) {
            if (x != x) {
                return; // a NaN x is in no x range (every range ends below NaN): never found, never throws
            }
            if (size == 0) {
                // four times the first glyph's tolerance (later glyphs of the text are mostly of the same size, and
                // their ranges, twice the tolerance across, then meet at most two cells each way; most often one),
                // kept within bounds so that page coordinates stay far from the end cells; any side gives the
                // same decisions
                double side = 4.0 * tolerance;
                perCell = 1.0 / (side >= 1.0 && side <= 4e6 ? side : side > 4e6 ? 4e6 : 4.0);
            }
            if (size == xs.length) {
                int n = size * 2;
                xs = java.util.Arrays.copyOf(xs, n);
                ys = java.util.Arrays.copyOf(ys, n);
                next = java.util.Arrays.copyOf(next, n);
            }
            xs[size] = x;
            ys[size] = y;
            if (y != y) {
                next[size++] = -2; // a NaN y is in no y range; the glyph only counts for the x range (exceptions)
                return;
            }
            if (2 * (cells + 1) > keys.length) {
                grow();
            }
            long k = key(index(x), index(y));
            int s = slot(k);
            if (heads[s] == 0) {
                keys[s] = k;
                cells++;
                next[size] = -1;
            } else {
                next[size] = heads[s] - 1;
            }
            heads[s] = size + 1;
            size++;
        }

        private void grow() {
            long[] oldKeys = keys;
            int[] oldHeads = heads;
            keys = new long[oldKeys.length * 2];
            heads = new int[oldHeads.length * 2];
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldHeads[i] != 0) {
                    int s = slot(oldKeys[i]);
                    keys[s] = oldKeys[i];
                    heads[s] = oldHeads[i];
                }
            }
        }
    }
}
