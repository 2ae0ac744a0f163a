package dev.tollgate.core.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import javax.mail.internet.MimeUtility;

import org.junit.jupiter.api.Test;

/** The quoted-printable and base64 writers and the strict decoder of {@link TransferEncoding} (RFC 2045 §6.7, §6.8). */
class QuotedPrintableAndBase64Test {
    private static String quotedPrintable(byte[] data) {
        return new String(TransferEncoding.quotedPrintableBytes(data), StandardCharsets.US_ASCII);
    }

    private static byte[] decode(String encoded, String cte) throws Exception {
        try (InputStream in = MimeUtility.decode(new ByteArrayInputStream(encoded.getBytes(StandardCharsets.US_ASCII)), cte)) {
            return in.readAllBytes();
        }
    }

    @Test
    void quotedPrintableLinesAreShortAndEscapesAreNeverSplit() throws Exception {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            StringBuilder s = new StringBuilder();
            int n = random.nextInt(600);
            for (int i = 0; i < n; i++) {
                int k = random.nextInt(20);
                s.append(k == 0 ? "\r\n" : k == 1 ? "=" : k == 2 ? "é" : k == 3 ? " " : k == 4 ? "." : k == 5 ? "\n" : k == 6 ? "From " : "a");
            }
            byte[] data = s.toString().getBytes(StandardCharsets.UTF_8);
            String qp = quotedPrintable(data);
            for (String line : qp.split("\r\n", -1)) {
                assertThat(line.length()).isLessThanOrEqualTo(76);
                assertThat(line).doesNotStartWith(".").doesNotStartWith("From ");
                assertThat(line).doesNotMatch(".*=[0-9A-F]?$(?<!=)|.*=[0-9A-F]$");
                assertThat(line).doesNotEndWith(" ").doesNotEndWith("\t");
            }
            // the data's bytes: a CRLF is a hard line break, a lone LF is written =0A
            assertThat(decode(qp, "quoted-printable")).isEqualTo(data);
        }
    }

    @Test
    void aLoneLineFeedOrCarriageReturnIsEscapedAndACrlfIsAHardBreak() throws Exception {
        String qp = quotedPrintable("one\ntwo\rthree\r\nfour \nfive".getBytes(StandardCharsets.US_ASCII));
        assertThat(qp).isEqualTo("one=0Atwo=0Dthree\r\nfour =0Afive");
        assertThat(new String(decode(qp, "quoted-printable"), StandardCharsets.US_ASCII))
                .isEqualTo("one\ntwo\rthree\r\nfour \nfive");
    }

    @Test
    void quotedPrintableEscapesEqualsSignsInUrls() {
        String qp = quotedPrintable("<a href=\"https://e.test/?x=1\">".getBytes(StandardCharsets.US_ASCII));
        assertThat(qp).isEqualTo("<a href=3D\"https://e.test/?x=3D1\">");
    }

    @Test
    void leadingDotIsEscapedAlsoAfterSoftBreak() {
        String line = "a".repeat(75) + ".b";
        String qp = quotedPrintable(line.getBytes(StandardCharsets.US_ASCII));
        assertThat(qp).isEqualTo("a".repeat(75) + "=\r\n=2Eb");
    }

    @Test
    void base64HasShortCrlfLines() throws Exception {
        byte[] data = new byte[1000];
        new Random(1).nextBytes(data);
        String b64 = TransferEncoding.base64(data);
        for (String line : b64.split("\r\n")) {
            assertThat(line.length()).isLessThanOrEqualTo(76);
        }
        assertThat(decode(b64, "base64")).isEqualTo(data);
    }

    @Test
    void strictQuotedPrintableDecodingAgreesWithJavaMail() throws Exception {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            StringBuilder s = new StringBuilder();
            for (int i = random.nextInt(400); i > 0; i--) {
                int k = random.nextInt(12);
                s.append(k == 0 ? "\r\n" : k == 1 ? "=" : k == 2 ? "é" : k == 3 ? " " : k == 4 ? "\n" : k == 5 ? "\t" : "a");
            }
            String qp = quotedPrintable(s.toString().getBytes(StandardCharsets.UTF_8));
            byte[] strict = TransferEncoding.decodeQuotedPrintableStrict(qp.getBytes(StandardCharsets.US_ASCII));
            assertThat(strict).isEqualTo(decode(qp, "quoted-printable"));
        }
        assertThat(TransferEncoding.decodeQuotedPrintableStrict("a=3db=\nc=\r\nd".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("a=bcd".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void malformedEscapesAreLeftToTheLenientDecoder() {
        for (String irregular : new String[] {"a=zz", "a=4", "a= x\r\n", "a=\r"}) {
            assertThat(TransferEncoding.decodeQuotedPrintableStrict(irregular.getBytes(StandardCharsets.US_ASCII)))
                    .as(irregular).isNull();
        }
        // an '=' ending the data is a soft break (a body part's last line), not a malformed escape
        assertThat(TransferEncoding.decodeQuotedPrintableStrict("a=".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("a".getBytes(StandardCharsets.US_ASCII));
    }

    /** RFC 2045 §6.7 rule 3: trailing white space is transport padding, so {@code "= "} before a break is a soft break. */
    @Test
    void whiteSpaceAtTheEndOfALineIsDeletedAndAnEqualsSignBeforeItIsASoftBreak() {
        String[][] cases = {
            {"card 41111111= \r\n11111111 ok", "card 4111111111111111 ok"},
            {"card 41111111=\t \n11111111", "card 4111111111111111"},
            {"trailing  \r\nx", "trailing\r\nx"},
            {"tab\t\nx", "tab\nx"},
            {"end \t", "end"},
            {"inner  spaces\tand tabs stay", "inner  spaces\tand tabs stay"},
            {"=3D \r\n", "=\r\n"},
        };
        for (String[] c : cases) {
            assertThat(new String(TransferEncoding.decodeQuotedPrintableStrict(c[0].getBytes(StandardCharsets.US_ASCII)),
                    StandardCharsets.US_ASCII)).as(c[0]).isEqualTo(c[1]);
        }
        // a long run of blanks inside a line is copied in one pass
        String blanks = "x" + " ".repeat(1_000_000) + "y";
        assertThat(TransferEncoding.decodeQuotedPrintableStrict(blanks.getBytes(StandardCharsets.US_ASCII))).hasSize(blanks.length());
    }

    @Test
    void requotingKeepsUnchangedLinesAndEncodesChangedOnes() throws Exception {
        Random random = new Random(11);
        for (int round = 0; round < 200; round++) {
            List<String> lines = new java.util.ArrayList<>();
            for (int i = random.nextInt(30) + 1; i > 0; i--) {
                StringBuilder line = new StringBuilder();
                for (int j = random.nextInt(200); j > 0; j--) {
                    int k = random.nextInt(14);
                    line.append(k == 0 ? "=" : k == 1 ? "é" : k == 2 ? " " : k == 3 ? "." : k == 4 ? "\t" : "a");
                }
                lines.add(line.toString());
            }
            String before = String.join("\r\n", lines);
            // a sender's own encoding, not ours: unchanged lines must keep exactly these bytes
            byte[] raw = quotedPrintable(before.getBytes(StandardCharsets.UTF_8)).replace("=2E", "=2e")
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] oldDecoded = TransferEncoding.decodeQuotedPrintableStrict(raw);
            assertThat(oldDecoded).isEqualTo(before.getBytes(StandardCharsets.UTF_8));
            List<String> changed = new java.util.ArrayList<>(lines);
            int target = random.nextInt(changed.size());
            changed.set(target, changed.get(target) + " <a href=\"https://links.test/r/" + round + "?a=1&b=2\"> ");
            byte[] newDecoded = String.join("\r\n", changed).getBytes(StandardCharsets.UTF_8);
            byte[] requoted = TransferEncoding.requotePrintable(raw, oldDecoded, newDecoded);
            assertThat(requoted).isNotNull();
            assertThat(decode(new String(requoted, StandardCharsets.US_ASCII), "quoted-printable")).isEqualTo(newDecoded);
            String out = new String(requoted, StandardCharsets.US_ASCII);
            for (String line : out.split("\r\n", -1)) {
                assertThat(line.length()).isLessThanOrEqualTo(76);
                assertThat(line).doesNotEndWith(" ").doesNotEndWith("\t");
            }
            otherHardLinesKept(raw, requoted, target);
        }
    }

    /**
     * Asserts that the requoted body has the sender's hard lines (RFC 2045 §6.7 rule 4) but {@code target} byte for
     * byte.
     *
     * @return the hard lines of the sender's body and of the requoted one
     */
    private static String[][] otherHardLinesKept(byte[] raw, byte[] requoted, int target) {
        String[] rawHard = new String(raw, StandardCharsets.US_ASCII).split("(?<!=)\r\n", -1);
        String[] outHard = new String(requoted, StandardCharsets.US_ASCII).split("(?<!=)\r\n", -1);
        assertThat(outHard).hasSameSizeAs(rawHard);
        for (int k = 0; k < rawHard.length; k++) {
            if (k != target) {
                assertThat(outHard[k]).isEqualTo(rawHard[k]);
            }
        }
        return new String[][] {rawHard, outHard};
    }

    /** Decoded length of one encoded soft line: blanks before its soft break are data, at a hard line's end padding. */
    private static int softLineLength(String soft, boolean endsHardLine) {
        return TransferEncoding.decodeQuotedPrintableStrict((endsHardLine ? soft : soft + "=\r\n")
                .getBytes(StandardCharsets.US_ASCII)).length;
    }

    @Test
    void aChangeInsideALongLineKeepsTheSendersSoftLinesAroundIt() throws Exception {
        Random random = new Random(17);
        int keptSomewhere = 0;
        for (int round = 0; round < 3000; round++) {
            List<String> lines = new java.util.ArrayList<>();
            for (int i = random.nextInt(4) + 1; i > 0; i--) {
                StringBuilder line = new StringBuilder();
                for (int j = random.nextInt(round % 3 == 0 ? 60 : 900); j > 0; j--) {
                    int k = random.nextInt(16);
                    line.append(k == 0 ? "=" : k == 1 ? "é" : k == 2 ? " " : k == 3 ? "." : k == 4 ? "\t"
                            : k == 5 ? "From " : "a");
                }
                lines.add(line.toString());
            }
            String before = String.join("\r\n", lines);
            int width = 20 + random.nextInt(57);
            boolean padding = random.nextBoolean();
            byte[] raw = SenderQuotedPrintable.encode(before.getBytes(StandardCharsets.UTF_8), width, random.nextBoolean(),
                    padding);
            // a body part's last line ending in a soft break (after padding its blanks would be data)
            boolean finalSoftBreak = !padding && random.nextInt(3) == 0;
            if (finalSoftBreak) {
                raw = (new String(raw, StandardCharsets.US_ASCII) + (random.nextBoolean() ? "=" : "= \t"))
                        .getBytes(StandardCharsets.US_ASCII);
            }
            byte[] oldDecoded = TransferEncoding.decodeQuotedPrintableStrict(raw);
            assertThat(oldDecoded).isEqualTo(before.getBytes(StandardCharsets.UTF_8));
            // replace, insert or delete a run somewhere in one line (a link rewritten, a link taken out)
            int target = random.nextInt(lines.size());
            String line = lines.get(target);
            int from = line.isEmpty() ? 0 : random.nextInt(line.length() + 1);
            int to = Math.min(line.length(), from + random.nextInt(40));
            String inserted = new String[] {"", "https://links.test/r/" + round + "?u=a%3Db", " . ", "é=é", "From x",
                "\t"}[random.nextInt(6)];
            String changedLine = line.substring(0, from) + inserted + line.substring(to);
            if (changedLine.equals(line)) {
                continue;
            }
            List<String> changed = new java.util.ArrayList<>(lines);
            changed.set(target, changedLine);
            byte[] newDecoded = String.join("\r\n", changed).getBytes(StandardCharsets.UTF_8);
            byte[] requoted = TransferEncoding.requotePrintable(raw, oldDecoded, newDecoded);
            assertThat(requoted).isNotNull();
            assertThat(TransferEncoding.decodeQuotedPrintableStrict(requoted)).isEqualTo(newDecoded);
            if (!padding && !finalSoftBreak) { // JavaMail's decoder keeps transport padding as data
                assertThat(decode(new String(requoted, StandardCharsets.US_ASCII), "quoted-printable")).isEqualTo(newDecoded);
            }
            for (String encodedLine : new String(requoted, StandardCharsets.US_ASCII).split("\r\n", -1)) {
                assertThat(encodedLine.length()).isLessThanOrEqualTo(76);
            }
            String[][] hard = otherHardLinesKept(raw, requoted, target);
            String[] rawHard = hard[0];
            String[] outHard = hard[1];
            // the soft lines wholly before the change are the sender's, byte for byte, and so are those wholly after
            // the common head of the old and new line, then the longest common tail that does not overlap it
            byte[] oldLine = line.getBytes(StandardCharsets.UTF_8);
            byte[] newLine = changedLine.getBytes(StandardCharsets.UTF_8);
            int fromByte = java.util.Arrays.mismatch(oldLine, newLine);
            int tailBytes = 0;
            while (tailBytes < Math.min(oldLine.length, newLine.length) - fromByte
                    && oldLine[oldLine.length - 1 - tailBytes] == newLine[newLine.length - 1 - tailBytes]) {
                tailBytes++;
            }
            assertThat(fromByte).isGreaterThanOrEqualTo(line.substring(0, from).getBytes(StandardCharsets.UTF_8).length);
            String[] rawSoft = rawHard[target].split("=\r\n", -1);
            String[] outSoft = outHard[target].split("=\r\n", -1);
            int decodedAt = 0;
            int kept = 0;
            for (String soft : rawSoft) {
                if (kept == rawSoft.length - 1) {
                    break;
                }
                int length = softLineLength(soft, false);
                if (decodedAt + length > fromByte) {
                    break;
                }
                assertThat(outSoft[kept]).isEqualTo(soft);
                decodedAt += length;
                kept++;
            }
            int tail = 0;
            int decodedFromEnd = 0;
            for (int k = rawSoft.length - 1; k > 0; k--) {
                int length = softLineLength(rawSoft[k], k == rawSoft.length - 1);
                if (decodedFromEnd + length > tailBytes) {
                    break;
                }
                assertThat(outSoft[outSoft.length - 1 - tail]).isEqualTo(rawSoft[k]);
                decodedFromEnd += length;
                tail++;
            }
            keptSomewhere += kept + tail > 0 ? 1 : 0;
        }
        assertThat(keptSomewhere).isGreaterThan(1000);
    }

    @Test
    void requotingDeclinesShapesItCannotMap() {
        byte[] lf = "a\nb".getBytes(StandardCharsets.US_ASCII);
        assertThat(TransferEncoding.requotePrintable(lf, lf, lf)).isNull();
        byte[] escapedBreak = "a=0D=0Ab".getBytes(StandardCharsets.US_ASCII);
        byte[] decoded = "a\r\nb".getBytes(StandardCharsets.US_ASCII);
        assertThat(TransferEncoding.requotePrintable(escapedBreak, decoded, decoded)).isNull();
        byte[] two = "a\r\nb".getBytes(StandardCharsets.US_ASCII);
        assertThat(TransferEncoding.requotePrintable(two, two, "a\r\nb\r\nc".getBytes(StandardCharsets.US_ASCII))).isNull();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes("head\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(TransferEncoding.requotePrintable(escapedBreak, decoded, decoded, out)).isFalse();
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("head\r\n");
    }

    @Test
    void requotingIntoAStreamAppendsWhatTheArrayFormReturns() {
        byte[] raw = ("caf=C3=A9 <a href=3D\"https://a.example/x\">x</a> and a long line that goes on and on=\r\n"
                + " past its soft break\r\nlast line").getBytes(StandardCharsets.US_ASCII);
        byte[] decoded = TransferEncoding.decodeQuotedPrintableStrict(raw);
        byte[] changed = new String(decoded, StandardCharsets.UTF_8).replace("https://a.example/x",
                "https://r.example/r/" + "t".repeat(120)).getBytes(StandardCharsets.UTF_8);
        byte[] expected = TransferEncoding.requotePrintable(raw, decoded, changed);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(4);
        out.writeBytes("head\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(TransferEncoding.requotePrintable(raw, decoded, changed, out)).isTrue();
        assertThat(new String(out.toByteArray(), StandardCharsets.US_ASCII))
                .isEqualTo("head\r\n\r\n" + new String(expected, StandardCharsets.US_ASCII));
        assertThat(TransferEncoding.decodeQuotedPrintableStrict(expected)).isEqualTo(changed);
        assertThat(TransferEncoding.requotedCapacity(raw, decoded, changed)).isGreaterThanOrEqualTo(expected.length);
    }
}
