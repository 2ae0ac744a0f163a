package dev.tollgate.bench;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.Function;

/**
 * Tollgate's per-mail work in James ({@link MailChain}: the DLP and link mailets and matchers of
 * {@code conf/mailetcontainer.xml} in their order, then writing the message out) for two builds of Tollgate in one
 * JVM, each build's {@code tollgate-core} and {@code tollgate-james} jars in their own class loader, measured in
 * thread CPU time and interleaved round by round, so that other work on a shared machine falls on both alike.
 *
 * <p>Mails: {@code html}, a multipart/alternative with a 20 KB quoted-printable HTML part with 10 links and its
 * plain-text version; {@code pdf}, the same with a 100 KB PDF attached (base64), read by each build's document
 * worker when its extractor jar is built (the worker's own CPU time is not counted: it is another process);
 * {@code single}, the HTML part alone as a single-part message; {@code report}, the HTML mail with the end-to-end
 * benchmark's PDF ({@code testdata/bench/report-100k.pdf}: 100 KB, 8.6 K chars of text, where the generated
 * {@code pdf} holds about ten times as much text).
 *
 * <pre>java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) dev.tollgate.bench.MailChainCpuTime \
 *     BASELINE_CHECKOUT CANDIDATE_CHECKOUT [rounds] [mails per round] [html|pdf|single|report|FILE.eml]</pre>
 *
 * Each checkout must have been built ({@code mvn -B -q -o package -DskipTests -pl core,james,extractor -am}).
 */
public final class MailChainCpuTime {
    private MailChainCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        int perRound = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        Path[] checkouts = {Path.of(args[0]), Path.of(args[1])};
        Path policy = checkouts[1].resolve("conf/tollgate-dlp-policy.xml");
        URL benchClasses = MailChainCpuTime.class.getProtectionDomain().getCodeSource().getLocation();
        Path scratch = Files.createTempDirectory("mailchain");
        @SuppressWarnings("unchecked")
        Function<byte[], String>[] chains = new Function[2];
        for (int k = 0; k < 2; k++) {
            Path c = checkouts[k];
            URL[] urls = {jar(c, "core", "tollgate-core").toUri().toURL(), jar(c, "james", "tollgate-james").toUri().toURL(),
                benchClasses};
            ClassLoader cl = new TollgateFirstLoader(urls, MailChainCpuTime.class.getClassLoader());
            Path extractor = jarOrNull(c, "extractor", "tollgate-extractor");
            Object chain = cl.loadClass(MailChain.class.getName()).getConstructor(Path.class, Path.class, String.class)
                    .newInstance(scratch.resolve("build" + k), policy, extractor == null ? null : extractor.toString());
            @SuppressWarnings("unchecked")
            Function<byte[], String> f = (Function<byte[], String>) chain;
            chains[k] = f;
        }
        String[] names = {"html", "pdf", "single", "report"};
        byte[][] mails = {htmlMail(null), htmlMail(pdf(100 * 1024)), htmlMail(null, true),
            htmlMail(Files.readAllBytes(checkouts[1].resolve("testdata/bench/report-100k.pdf")))};
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        String only = args.length > 4 ? args[4] : null; // one mail only, e.g. to profile it alone
        if (only != null && only.endsWith(".eml")) { // a message file instead, e.g. a mail of the end-to-end mixes
            names = new String[] {Path.of(only).getFileName().toString()};
            mails = new byte[][] {Files.readAllBytes(Path.of(only))};
            only = null;
        }
        for (int m = 0; m < mails.length; m++) {
            if (only != null && !only.equals(names[m])) {
                continue;
            }
            String[] outcome = new String[2];
            List<List<Long>> times = List.of(new ArrayList<>(), new ArrayList<>());
            long[] allocated = new long[2];
            long tid = Thread.currentThread().getId();
            for (int r = -Math.max(10, rounds / 4); r < rounds; r++) { // warm-up rounds first
                for (int k = 0; k < 2; k++) {
                    int kk = (r & 1) == 0 ? k : 1 - k; // alternate which goes first
                    long a0 = allocatedBytes(threads, tid);
                    long t0 = threads.getCurrentThreadCpuTime();
                    for (int i = 0; i < perRound; i++) {
                        outcome[kk] = chains[kk].apply(mails[m]);
                    }
                    long t1 = threads.getCurrentThreadCpuTime();
                    if (r >= 0) {
                        times.get(kk).add((t1 - t0) / perRound);
                        allocated[kk] += allocatedBytes(threads, tid) - a0;
                    }
                }
            }
            double[] median = new double[2];
            for (int k = 0; k < 2; k++) {
                List<Long> ts = times.get(k);
                Collections.sort(ts);
                median[k] = ts.get(ts.size() / 2) / 1e3;
                System.out.printf(Locale.ROOT, "%-4s %-9s median %8.1f us CPU per mail [p25 %.1f, p75 %.1f]  %s%n",
                        names[m], k == 0 ? "baseline" : "candidate", median[k], ts.get(ts.size() / 4) / 1e3,
                        ts.get(ts.size() * 3 / 4) / 1e3, outcome[k]);
            }
            System.out.printf(Locale.ROOT, "%-4s candidate/baseline CPU per mail: %.3f (%d interleaved rounds of %d mails, %d bytes)%n",
                    names[m], median[1] / median[0], rounds, perRound, mails[m].length);
            System.out.printf(Locale.ROOT, "%-4s allocated per mail: baseline %.1f KB, candidate %.1f KB%n", names[m],
                    allocated[0] / 1024.0 / rounds / perRound, allocated[1] / 1024.0 / rounds / perRound);
            printSteps(chains, names[m], (rounds + Math.max(10, rounds / 4)) * perRound);
        }
        for (Function<byte[], String> f : chains) {
            f.getClass().getMethod("close").invoke(f);
        }
    }

    /**
     * With {@code -Dmailchain.steps=true}: each build's mean thread CPU per mail by step of the chain, warm-up
     * rounds included (the timing itself adds about a microsecond per step).
     */
    @SuppressWarnings("unchecked")
    private static void printSteps(Function<byte[], String>[] chains, String mail, int mails) {
        Map<String, Long>[] steps = new Map[2];
        for (int k = 0; k < 2; k++) {
            steps[k] = ((java.util.function.Supplier<Map<String, Long>>) chains[k]).get();
        }
        for (String step : steps[1].keySet()) {
            System.out.printf(Locale.ROOT, "%-4s   %-24s baseline %8.1f us  candidate %8.1f us per mail%n", mail, step,
                    steps[0].getOrDefault(step, 0L) / 1e3 / mails, steps[1].get(step) / 1e3 / mails);
        }
    }

    /** Bytes the thread has allocated so far (HotSpot's counter), or 0 where the JVM does not count them. */
    private static long allocatedBytes(ThreadMXBean threads, long tid) {
        return threads instanceof com.sun.management.ThreadMXBean
                ? ((com.sun.management.ThreadMXBean) threads).getThreadAllocatedBytes(tid) : 0;
    }

    private static Path jar(Path checkout, String module, String artifact) {
        Path p = jarOrNull(checkout, module, artifact);
        if (p == null) {
            throw new IllegalArgumentException("no " + artifact + " jar in " + checkout.resolve(module).resolve("target")
                    + ": build the checkout first");
        }
        return p;
    }

    private static Path jarOrNull(Path checkout, String module, String artifact) {
        File[] files = checkout.resolve(module).resolve("target").toFile()
                .listFiles((d, n) -> n.startsWith(artifact + "-") && n.endsWith(".jar") && !n.contains("original")
                        && !n.contains("sources") && !n.contains("tests"));
        return files == null || files.length == 0 ? null : files[0].toPath();
    }

    /** The mail: 20 KB of HTML with 10 links, quoted-printable, with its text version; optionally a PDF. */
    static byte[] htmlMail(byte[] pdf) {
        return htmlMail(pdf, false);
    }

    /**
     * @param single the HTML part alone as the message's body (a single-part {@code text/html} mail, the shape of
     *               the end-to-end benchmark's HTML mix), without the text version; {@code pdf} must then be null
     */
    static byte[] htmlMail(byte[] pdf, boolean single) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Newsletter</title>"
                + "<style>p{margin:0 0 1em} .x{color:#333}</style></head><body><table width=\"100%\"><tr><td class=\"x\">");
        StringBuilder text = new StringBuilder();
        int link = 0;
        for (int p = 0; html.length() < 20 * 1024; p++) {
            html.append("<p style=\"font-family:Arial,sans-serif;font-size:14px\">Paragraph ").append(p)
                    .append(": the quarterly figures for the région are in, and the team thanks everyone — déjà vu for some.");
            text.append("Paragraph ").append(p).append(": the quarterly figures for the région are in.\n");
            if (p % 3 == 0 && link < 10) {
                String url = "https://www" + link + ".news.example/articles/" + (1000 + p) + "?utm_source=mail&amp;id=" + p;
                html.append(" <a href=\"").append(url).append("\">Read article ").append(link).append("</a>");
                text.append("Read: ").append(url.replace("&amp;", "&")).append('\n');
                link++;
            }
            html.append("</p>\n");
        }
        html.append("</td></tr></table></body></html>\n");
        String boundary = "b1_" + "alt";
        StringBuilder m = new StringBuilder();
        m.append("From: Alice <alice@localhost>\r\nTo: bob@localhost, carol@localhost\r\nSubject: Quarterly newsletter\r\n"
                + "Date: Thu, 3 Dec 2026 12:00:00 +0000\r\nMessage-ID: <bench-1@localhost>\r\nMIME-Version: 1.0\r\n");
        if (single) {
            m.append("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
                    .append(qp(html.toString())).append("\r\n");
            return m.toString().getBytes(StandardCharsets.US_ASCII);
        }
        String outer = "b0_mixed";
        if (pdf != null) {
            m.append("Content-Type: multipart/mixed; boundary=\"").append(outer).append("\"\r\n\r\n--").append(outer)
                    .append("\r\n");
        }
        m.append("Content-Type: multipart/alternative; boundary=\"").append(boundary).append("\"\r\n\r\n");
        m.append("--").append(boundary).append("\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\n").append(qp(text.toString())).append("\r\n");
        m.append("--").append(boundary).append("\r\nContent-Type: text/html; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\n").append(qp(html.toString())).append("\r\n");
        m.append("--").append(boundary).append("--\r\n");
        if (pdf != null) {
            m.append("--").append(outer).append("\r\nContent-Type: application/pdf; name=\"report.pdf\"\r\n"
                    + "Content-Disposition: attachment; filename=\"report.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
                    .append(Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(pdf)).append("\r\n--")
                    .append(outer).append("--\r\n");
        }
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Quoted-printable (RFC 2045 §6.7) of UTF-8 text, CRLF line breaks, soft breaks at 76. */
    static String qp(String s) {
        StringBuilder out = new StringBuilder();
        int col = 0;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c == '\n') {
                out.append("\r\n");
                col = 0;
                continue;
            }
            String t = (c >= 33 && c <= 126 && c != '=') || c == ' ' ? String.valueOf((char) c)
                    : String.format(Locale.ROOT, "=%02X", c);
            if (col + t.length() > 75) {
                out.append("=\r\n");
                col = 0;
            }
            out.append(t);
            col += t.length();
        }
        return out.toString();
    }

    /** A text PDF (PDF 1.4, uncompressed content streams) of about {@code size} bytes. */
    static byte[] pdf(int size) {
        List<String> pages = new ArrayList<>();
        int total = 0;
        int line = 0;
        while (total < size - 2000) {
            StringBuilder c = new StringBuilder("BT /F1 9 Tf 40 800 Td 11 TL\n");
            for (int i = 0; i < 70; i++, line++) {
                c.append("(Line ").append(line).append(" of the quarterly report: revenue, costs and outlook by region.) '\n");
            }
            c.append("ET\n");
            pages.add(c.toString());
            total += c.length() + 200;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> offsets = new ArrayList<>();
        StringBuilder kids = new StringBuilder();
        int n = pages.size();
        for (int i = 0; i < n; i++) {
            kids.append(4 + 2 * i).append(" 0 R ");
        }
        List<String> objects = new ArrayList<>();
        objects.add("<< /Type /Catalog /Pages 2 0 R >>");
        objects.add("<< /Type /Pages /Kids [" + kids + "] /Count " + n + " >>");
        objects.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        for (int i = 0; i < n; i++) {
            objects.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                    + "/Contents " + (5 + 2 * i) + " 0 R >>");
            String content = pages.get(i);
            objects.add("<< /Length " + content.length() + " >>\nstream\n" + content + "endstream");
        }
        write(out, "%PDF-1.4\n");
        for (int i = 0; i < objects.size(); i++) {
            offsets.add(out.size());
            write(out, (i + 1) + " 0 obj\n" + objects.get(i) + "\nendobj\n");
        }
        int xref = out.size();
        StringBuilder x = new StringBuilder("xref\n0 " + (objects.size() + 1) + "\n0000000000 65535 f \n");
        for (int o : offsets) {
            x.append(String.format(Locale.ROOT, "%010d 00000 n \n", o));
        }
        x.append("trailer\n<< /Size ").append(objects.size() + 1).append(" /Root 1 0 R >>\nstartxref\n").append(xref)
                .append("\n%%EOF\n");
        write(out, x.toString());
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        out.write(b, 0, b.length);
    }
}
