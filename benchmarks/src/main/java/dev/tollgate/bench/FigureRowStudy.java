package dev.tollgate.bench;

import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * False-positive study of rows of figures taken as payment cards: {@code rows} random rows of four 4-digit figures,
 * the first 3000–6999 (the IIN ranges of Amex, Visa, Mastercard and Discover start with 3–6), the others
 * 1000–9999, each printed in every layout below, scanned with all built-in detectors (default context rules) of
 * one or more {@code tollgate-core} jars, each in its own class loader. Prints, per jar and layout, how many rows
 * gave a {@code payment-card} finding. The single-space layout is the control: its count is the number of rows
 * whose 16 digits pass the IIN and Luhn checks, which the other layouts reach when they join the groups.
 *
 * <pre>java -cp benchmarks/target/classes dev.tollgate.bench.FigureRowStudy ROWS SEED CORE_JAR[:ICU4J_JAR]...</pre>
 */
public final class FigureRowStudy {
    private FigureRowStudy() {
    }

    /** Layout name, then the text before the first figure, between figures and after the last. */
    static final String[][] LAYOUTS = {
        {"single space (control)", "North ", " ", " total"},
        {"CSV", "North,", ",", ",2027"},
        {"CSV, blank after comma", "North, ", ", ", ", 2027"},
        {"TSV", "Q1\t", "\t", "\t12.5"},
        {"three-space columns", "North   ", "   ", "   7907"},
        {"semicolon", "North;", ";", ";2027"},
        {"pipe table", "| North | ", " | ", " |"},
        {"quoted CSV", "\"North\",\"", "\",\"", "\""},
        {"sum", "Total: ", " + ", " = 7907"},
        {"colon", "counters ", ":", ":12"},
        {"colon with blanks", "North : ", " : ", " : 2027"},
        {"asterisk product", "Area ", " * ", " sq units"},
        {"asterisk", "BEG*00*", "*", "~"},
        {"tilde", "range ", "~", "~2027"},
        {"dot with blanks", "Rooms ", ". ", ". All booked"},
    };

    public static void main(String[] args) throws Exception {
        int rows = Integer.parseInt(args[0]);
        long seed = Long.parseLong(args[1]);
        for (int j = 2; j < args.length; j++) {
            ClassLoader cl = new URLClassLoader(DlpScanCpuTime.urls(args[j]),
                    ClassLoader.getPlatformClassLoader());
            Class<?> ts = cl.loadClass("dev.tollgate.core.dlp.TextScanner");
            Object builder = ts.getMethod("builder").invoke(null);
            builder = builder.getClass().getMethod("allBuiltInDetectors").invoke(builder);
            Object scanner = builder.getClass().getMethod("build").invoke(builder);
            Method scan = ts.getMethod("scan", CharSequence.class);
            Method detectorId = cl.loadClass("dev.tollgate.core.dlp.Finding").getMethod("detectorId");
            System.out.println(args[j]);
            for (String[] layout : LAYOUTS) {
                Random r = new Random(seed);
                int found = 0;
                for (int i = 0; i < rows; i++) {
                    int[] f = {3000 + r.nextInt(4000), 1000 + r.nextInt(9000), 1000 + r.nextInt(9000),
                        1000 + r.nextInt(9000)};
                    String text = layout[1] + f[0] + layout[2] + f[1] + layout[2] + f[2] + layout[2] + f[3] + layout[3];
                    for (Object finding : (List<?>) scan.invoke(scanner, text)) {
                        if ("payment-card".equals(detectorId.invoke(finding))) {
                            found++;
                            break;
                        }
                    }
                }
                System.out.printf(Locale.ROOT, "  %-24s %6d of %d rows (%.2f%%)%n", layout[0], found, rows,
                        100.0 * found / rows);
            }
        }
    }
}
