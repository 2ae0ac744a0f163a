package dev.tollgate.extractor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;
import org.apache.pdfbox.util.Matrix;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** {@link DuplicateGlyphs} against PDFBox's own check, glyph by glyph, on values chosen to hit its edges. */
class DuplicateGlyphsTest {
    /** PDFBox's text stripper, fed glyphs one at a time: whether its duplicate check kept each one. */
    private static final class PdfboxCheck extends PDFTextStripper {
        PdfboxCheck() throws java.io.IOException {
            setSuppressDuplicateOverlappingText(true);
            setShouldSeparateByBeads(false);
            charactersByArticle.add(new ArrayList<>());
        }

        /** @return "kept", "dropped", or the exception's class name */
        String decide(TextPosition t) {
            int before = charactersByArticle.get(0).size();
            try {
                processTextPosition(t);
            } catch (RuntimeException e) {
                return e.getClass().getName();
            }
            return charactersByArticle.get(0).size() > before ? "kept" : "dropped";
        }
    }

    private static String decide(DuplicateGlyphs ours, TextPosition t) {
        try {
            return ours.isDuplicate(t.getUnicode(), t.getX(), t.getY(), t.getWidth()) ? "dropped" : "kept";
        } catch (RuntimeException e) {
            return e.getClass().getName();
        }
    }

    /**
     * A glyph at x {@code x} and y {@code y} (page rotation 0: x is the matrix's x translation, y the page height
     * -0.0 less its y translation, so -0.0, NaN and the infinities come through as given) drawn {@code w} wide.
     */
    private static TextPosition glyph(String text, float x, float y, float w) {
        return new TextPosition(0, 612f, -0.0f, new Matrix(1, 0, 0, 1, x, -y), x + w, 0f, 10f, w, 2.78f,
                text, new int[] {65}, null, 10f, 10);
    }

    private static final float[] SPECIAL = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MAX_VALUE, -Float.MAX_VALUE, 1e30f, -1e30f, 1e9f, -1e9f, 1.5e8f, 5.4e8f, Float.MIN_VALUE, -Float.MIN_VALUE};
    private static final float[] WIDTHS = {6f, 6f, 6f, 3f, 12f, 1.5f, 0f, 0.3f, 1e-3f, 6.0000005f, 5.9999995f, 1e7f,
        3e38f, Float.POSITIVE_INFINITY, Float.NaN, 5.56f};

    private static float coordinate(Random random) {
        int kind = random.nextInt(10);
        if (kind == 0) {
            return SPECIAL[random.nextInt(SPECIAL.length)];
        }
        if (kind == 1) {
            return (random.nextFloat() - 0.5f) * 2000f; // anywhere on and off the page
        }
        if (kind == 2) {
            return Math.nextUp((random.nextInt(81) - 40) * 0.5f) * (random.nextBoolean() ? 1 : -1);
        }
        // a grid of half points around the origin: distances of exactly 1, 2 and 4 (the tolerances of widths 3,
        // 6 and 12) on both sides of zero, and cell edges
        return (random.nextInt(81) - 40) * 0.5f;
    }

    @Test
    void decidesAsPdfboxGlyphByGlyph() throws Exception {
        Random random = new Random(77);
        String[] texts = {"a", "a", "7", "ab"};
        java.util.Map<String, Integer> outcomes = new java.util.TreeMap<>();
        DuplicateGlyphs ours = new DuplicateGlyphs();
        for (int page = 0; page < 3000; page++) {
            PdfboxCheck pdfbox = new PdfboxCheck();
            ours.clear(); // a new page: its tables are reused, emptied
            int glyphs = 1 + random.nextInt(80);
            float lastX = 0;
            float lastY = 0;
            for (int i = 0; i < glyphs; i++) {
                float x = coordinate(random);
                float y = coordinate(random);
                if (i > 0 && random.nextInt(3) == 0) {
                    // near the previous glyph: at the tolerance of width 6 (2), just inside, just outside
                    float[] d = {2f, -2f, Math.nextDown(2f), -Math.nextDown(2f), Math.nextUp(2f), 0f, 1f};
                    x = lastX + d[random.nextInt(d.length)];
                    y = lastY + d[random.nextInt(d.length)];
                }
                lastX = x;
                lastY = y;
                TextPosition t = glyph(texts[random.nextInt(texts.length)], x, y, WIDTHS[random.nextInt(WIDTHS.length)]);
                String expected = pdfbox.decide(t);
                assertThat(decide(ours, t)).as("page %d glyph %d: %s at %s, %s, width %s", page, i, t.getUnicode(),
                        t.getX(), t.getY(), t.getWidth()).isEqualTo(expected);
                outcomes.merge(expected, 1, Integer::sum);
            }
        }
        // every outcome is reached, the exception included
        assertThat(outcomes).containsKeys("kept", "dropped", IllegalArgumentException.class.getName());
        assertThat(outcomes.get("dropped")).isGreaterThan(5000);
    }

    @Test
    void manyGlyphsOfOneTextAtOddPlacesDecideAsPdfboxInBoundedTime() throws Exception {
        Random random = new Random(5);
        List<TextPosition> glyphs = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            float x;
            float y;
            switch (random.nextInt(4)) {
                case 0:
                    x = SPECIAL[random.nextInt(SPECIAL.length)];
                    y = SPECIAL[random.nextInt(SPECIAL.length)];
                    break;
                case 1:
                    x = (float) random.nextGaussian() * 1e20f; // far beyond the grid's end cells
                    y = (float) random.nextGaussian() * 1e20f;
                    break;
                default:
                    x = random.nextInt(600) * 0.5f - 100f; // a dense page, negative coordinates included
                    y = random.nextInt(800) * 0.5f - 100f;
            }
            glyphs.add(glyph("0", x, y, random.nextInt(50) == 0 ? WIDTHS[random.nextInt(WIDTHS.length)] : 5.56f));
        }
        PdfboxCheck pdfbox = new PdfboxCheck();
        List<String> expected = new ArrayList<>();
        for (TextPosition t : glyphs) {
            expected.add(pdfbox.decide(t));
        }
        List<String> actual = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            DuplicateGlyphs ours = new DuplicateGlyphs();
            List<String> decided = new ArrayList<>();
            for (TextPosition t : glyphs) {
                decided.add(decide(ours, t));
            }
            return decided;
        });
        assertThat(actual).isEqualTo(expected);
        assertThat(expected).contains("kept", "dropped");
    }
}
