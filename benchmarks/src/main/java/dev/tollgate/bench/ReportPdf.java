package dev.tollgate.bench;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.graphics.image.JPEGFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * Writes {@code testdata/bench/report-100k.pdf}, the end-to-end benchmark's 100 KB PDF: a three-page business report
 * as an office suite exports one, i.e. two embedded TrueType font subsets (regular and bold), compressed content
 * streams of prose with headings and a small table of figures, and one JPEG chart. Nothing in it is sensitive data
 * for {@code conf/}'s DLP policy (no number has more than six digits). Run once; the file is committed, so builds and
 * tests never read the fonts.
 *
 * <p>Usage: {@code java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)
 * dev.tollgate.bench.ReportPdf REGULAR.ttf BOLD.ttf OUT.pdf} (the committed file used Liberation Sans 2.1, SIL Open
 * Font License 1.1, from Debian's {@code fonts-liberation}: {@code /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf}
 * and {@code -Bold.ttf}).
 */
public final class ReportPdf {
    private static final float MARGIN = 60;
    private static final float SIZE = 10.5f;
    private static final float LEADING = 14;

    private ReportPdf() {
    }

    public static void main(String[] args) throws IOException {
        byte[] pdf = write(Paths.get(args[0]), Paths.get(args[1]));
        Files.write(Paths.get(args[2]), pdf);
        System.out.println(args[2] + ": " + pdf.length + " bytes");
    }

    static byte[] write(Path regularFont, Path boldFont) throws IOException {
        Random random = new Random(100);
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDFont regular = PDType0Font.load(doc, regularFont.toFile());
            PDFont bold = PDType0Font.load(doc, boldFont.toFile());
            PDImageXObject chart = JPEGFactory.createFromImage(doc, chart(random), 0.8f);
            String[] sections = {"Summary", "Customers and feedback", "Operations", "Figures by region", "Outlook",
                "Travel and office", "Design review", "Next steps"};
            int section = 0;
            for (int p = 0; p < 3; p++) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                    float y = page.getMediaBox().getHeight() - MARGIN;
                    if (p == 0) {
                        y = line(content, bold, 18, "Quarterly operations report", y) - 8;
                    }
                    if (p == 1) {
                        float h = 260;
                        content.drawImage(chart, MARGIN, y - h, 475, h);
                        y -= h + 20;
                        y = table(content, regular, bold, random, y) - 10;
                    }
                    while (y > MARGIN + 120) {
                        y = line(content, bold, 13, sections[section++ % sections.length], y) - 2;
                        for (String l : wrap(regular, prose(random, 700), 475)) {
                            y = line(content, regular, SIZE, l, y);
                        }
                        y -= 8;
                    }
                }
            }
            doc.save(out);
            return out.toByteArray();
        }
    }

    private static float line(PDPageContentStream content, PDFont font, float size, String text, float y)
            throws IOException {
        content.beginText();
        content.setFont(font, size);
        content.newLineAtOffset(MARGIN, y);
        content.showText(text);
        content.endText();
        return y - (size > SIZE ? size + 6 : LEADING);
    }

    /** Four regions by four quarters: percentages and amounts in thousands, at most six digits each. */
    private static float table(PDPageContentStream content, PDFont regular, PDFont bold, Random random, float y)
            throws IOException {
        String[] regions = {"North", "South", "East", "West"};
        float[] columns = {MARGIN, MARGIN + 110, MARGIN + 200, MARGIN + 290, MARGIN + 380};
        String[] head = {"Region", "Q1", "Q2", "Q3", "Q4"};
        for (int c = 0; c < head.length; c++) {
            cell(content, bold, head[c], columns[c], y);
        }
        y -= LEADING;
        for (String region : regions) {
            cell(content, regular, region, columns[0], y);
            for (int c = 1; c < columns.length; c++) {
                String value = String.format(Locale.ROOT, "%,d k (%d.%d %%)", 200 + random.nextInt(800),
                        random.nextInt(40), random.nextInt(10));
                cell(content, regular, value, columns[c], y);
            }
            y -= LEADING;
        }
        return y;
    }

    private static void cell(PDPageContentStream content, PDFont font, String text, float x, float y)
            throws IOException {
        content.beginText();
        content.setFont(font, SIZE - 1);
        content.newLineAtOffset(x, y);
        content.showText(text);
        content.endText();
    }

    private static List<String> wrap(PDFont font, String text, float width) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String word : text.split(" ")) {
            String candidate = current.length() == 0 ? word : current + " " + word;
            if (font.getStringWidth(candidate) / 1000 * SIZE > width && current.length() > 0) {
                lines.add(current.toString());
                current = new StringBuilder(word);
            } else {
                current = new StringBuilder(candidate);
            }
        }
        if (current.length() > 0) {
            lines.add(current.toString());
        }
        return lines;
    }

    private static final String[] WORDS = {"the", "team", "review", "meeting", "café", "budget", "naïve", "plan",
        "schedule", "Grüße", "project", "draft", "agreed", "next", "week", "déjà", "customer", "feedback", "release",
        "notes", "office", "travel", "résumé", "summary", "quarter", "goals", "über", "design", "coffee", "garden"};

    private static String prose(Random random, int length) {
        StringBuilder text = new StringBuilder();
        while (text.length() < length) {
            int words = 6 + random.nextInt(10);
            for (int w = 0; w < words; w++) {
                String word = WORDS[random.nextInt(WORDS.length)];
                text.append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
                text.append(w == words - 1 ? ". " : " ");
            }
        }
        return text.toString().trim();
    }

    /** A bar chart over a shaded background with a little noise, as a scanned or rendered chart has. */
    private static BufferedImage chart(Random random) {
        int w = 1100;
        int h = 600;
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, new Color(250, 250, 255), 0, h, new Color(220, 228, 240)));
        g.fillRect(0, 0, w, h);
        g.setColor(new Color(180, 180, 190));
        for (int y = 50; y < h - 40; y += 50) {
            g.drawLine(60, y, w - 30, y);
        }
        Color[] colours = {new Color(40, 90, 160), new Color(200, 120, 40), new Color(60, 150, 80), new Color(150, 60, 120)};
        for (int q = 0; q < 4; q++) {
            for (int r = 0; r < 4; r++) {
                int bh = 100 + random.nextInt(h - 200);
                int x = 80 + q * 250 + r * 55;
                g.setPaint(new GradientPaint(x, h - 40 - bh, colours[r].brighter(), x + 45, h - 40, colours[r]));
                g.fillRect(x, h - 40 - bh, 45, bh);
            }
        }
        g.dispose();
        for (int i = 0; i < w * h / 3; i++) {
            int x = random.nextInt(w);
            int y = random.nextInt(h);
            int rgb = image.getRGB(x, y);
            int d = random.nextInt(13) - 6;
            int r = clamp(((rgb >> 16) & 0xff) + d);
            int gr = clamp(((rgb >> 8) & 0xff) + d);
            int b = clamp((rgb & 0xff) + d);
            image.setRGB(x, y, (r << 16) | (gr << 8) | b);
        }
        return image;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
