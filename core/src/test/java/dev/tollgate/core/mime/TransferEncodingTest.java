package dev.tollgate.core.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransferEncodingTest {
    private static byte[] decode(byte[] encoded, String token) throws Exception {
        try (InputStream in = TransferEncoding.decode(new ByteArrayInputStream(encoded), token)) {
            return in.readAllBytes();
        }
    }

    @Test
    void longestLineCountsOctetsUpToEachLineFeed() {
        assertThat(TransferEncoding.longestLine(new byte[0])).isZero();
        assertThat(TransferEncoding.longestLine("abc".getBytes(StandardCharsets.US_ASCII))).isEqualTo(3);
        assertThat(TransferEncoding.longestLine("ab\r\nabcd\r\n".getBytes(StandardCharsets.US_ASCII))).isEqualTo(4);
        assertThat(TransferEncoding.longestLine("a\rabcde\nab".getBytes(StandardCharsets.US_ASCII))).as("a lone CR is data")
                .isEqualTo(7);
        assertThat(TransferEncoding.longestLine("abc\r\r\nab\n".getBytes(StandardCharsets.US_ASCII))).isEqualTo(4);
        assertThat(TransferEncoding.longestLine("\r\n\r\n".getBytes(StandardCharsets.US_ASCII))).isZero();
        byte[] long999 = ("x\r\n" + "y".repeat(999) + "\r\nz").getBytes(StandardCharsets.US_ASCII);
        assertThat(TransferEncoding.longestLine(long999)).isEqualTo(999).isGreaterThan(TransferEncoding.MAX_LINE_OCTETS);
        assertThat(TransferEncoding.longestLine("caf\u00e9".getBytes(StandardCharsets.UTF_8))).as("octets, not chars").isEqualTo(5);
    }

    @Test
    void tokensAreNormalisedOnceWithSevenBitAsTheDefault() {
        assertThat(TransferEncoding.normalize(null)).isEqualTo("7bit");
        assertThat(TransferEncoding.normalize("  ")).isEqualTo("7bit");
        assertThat(TransferEncoding.normalize(" Base64 ")).isEqualTo("base64");
        assertThat(TransferEncoding.normalize("Quoted-Printable")).isEqualTo("quoted-printable");
        assertThat(TransferEncoding.normalize("X-Weird")).isEqualTo("x-weird");
    }

    @ParameterizedTest
    @ValueSource(strings = {"base64", "BASE64", "quoted-printable", " Quoted-Printable", "7bit", "8bit", "binary"})
    void encodeThenDecodeGivesTheDataBack(String token) throws Exception {
        Random random = new Random(token.hashCode());
        for (int round = 0; round < 50; round++) {
            StringBuilder s = new StringBuilder();
            for (int i = random.nextInt(500); i > 0; i--) {
                int k = random.nextInt(10);
                s.append(k == 0 ? "\r\n" : k == 1 ? "=" : k == 2 ? "é" : k == 3 ? " " : k == 4 ? "." : k == 5 ? "From " : "a");
            }
            byte[] data = s.toString().getBytes(StandardCharsets.UTF_8);
            byte[] encoded = TransferEncoding.encode(data, token);
            String normalised = TransferEncoding.normalize(token);
            assertThat(decode(encoded, normalised)).as(normalised).isEqualTo(data);
            if (TransferEncoding.isIdentity(normalised)) {
                assertThat(encoded).isSameAs(data);
            } else {
                for (String line : new String(encoded, StandardCharsets.US_ASCII).split("\r\n")) {
                    assertThat(line.length()).isLessThanOrEqualTo(TransferEncoding.QP_MAX_LINE);
                }
            }
        }
    }

    @Test
    void unknownTokensCannotBeEncodedOrDecoded() {
        assertThat(TransferEncoding.canEncode("x-weird")).isFalse();
        assertThat(TransferEncoding.canEncode("uuencode")).isFalse();
        assertThat(TransferEncoding.canEncode("base64")).isTrue();
        assertThatThrownBy(() -> TransferEncoding.encode(new byte[] {1}, "x-weird"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x-weird");
        assertThatThrownBy(() -> decode(new byte[] {1}, "x-weird")).hasMessageContaining("x-weird");
    }

    @Test
    void strictQuotedPrintableAndLineByLineRequoting() {
        byte[] raw = "keep =3D this=\r\n line\r\nchange me".getBytes(StandardCharsets.US_ASCII);
        byte[] decoded = TransferEncoding.decodeQuotedPrintableStrict(raw);
        assertThat(new String(decoded, StandardCharsets.US_ASCII)).isEqualTo("keep = this line\r\nchange me");
        byte[] changed = "keep = this line\r\nchanged =".getBytes(StandardCharsets.US_ASCII);
        assertThat(new String(TransferEncoding.requotePrintable(raw, decoded, changed), StandardCharsets.US_ASCII))
                .isEqualTo("keep =3D this=\r\n line\r\nchanged =3D");
        assertThat(TransferEncoding.decodeQuotedPrintableStrict("a=zz".getBytes(StandardCharsets.US_ASCII))).isNull();
    }

    @Test
    void aMalformedEscapeIsKeptAndTheOtherRulesStillApply() {
        byte[] raw = "caf=  \r\n=C3=A9 x =G1 a = b=\r\n</p>\t\r\nend=".getBytes(StandardCharsets.US_ASCII);
        assertThat(TransferEncoding.decodeQuotedPrintableStrict(raw)).isNull();
        assertThat(new String(TransferEncoding.decodeQuotedPrintableLenient(raw), StandardCharsets.UTF_8))
                .isEqualTo("caf\u00e9 x =G1 a = b</p>\r\nend");
        // an '=' (and blanks) ending the data is a soft break: the last line of a body part
        assertThat(new String(TransferEncoding.decodeQuotedPrintableStrict("line one=\r\nlast=  ".getBytes(
                StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII)).isEqualTo("line onelast");
        assertThat(TransferEncoding.decodeQuotedPrintableLenient("=".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(TransferEncoding.decodeQuotedPrintableLenient("a=4".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("a=4".getBytes(StandardCharsets.US_ASCII));
    }

    /** The bytes a decoder gives, or the class of the exception it throws. */
    private static Object outcome(java.util.concurrent.Callable<byte[]> decoder) {
        try {
            return java.util.List.of(java.util.Arrays.toString(decoder.call()));
        } catch (Exception e) {
            return e.getClass();
        }
    }

    /** Base64 through JavaMail's stream decoder alone, read in 4 KiB steps (JavaMail's cannot readAllBytes). */
    private static byte[] javaMailBase64(byte[] encoded) throws Exception {
        try (InputStream in = javax.mail.internet.MimeUtility.decode(new ByteArrayInputStream(encoded), "base64")) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }

    @Test
    void base64DecodesToJavaMailsBytesForCleanDirtyAndBrokenBodies() throws Exception {
        Random random = new Random(42);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int round = 0; round < 2000; round++) {
            byte[] data = new byte[random.nextInt(300)];
            random.nextBytes(data);
            StringBuilder s = new StringBuilder(TransferEncoding.base64(data));
            // junk outside the alphabet, padding inside the data, dangling characters, truncation
            for (int k = random.nextInt(4); k > 0 && s.length() > 0; k--) {
                int at = random.nextInt(s.length() + 1);
                switch (random.nextInt(5)) {
                    case 0: s.insert(at, "*\u00e9 \t!"); break;
                    case 1: s.insert(at, "="); break;
                    case 2: s.insert(at, alphabet.charAt(random.nextInt(64))); break;
                    case 3: s.setLength(at); break;
                    default: s.insert(at, "==" + alphabet.charAt(random.nextInt(64)));
                }
            }
            byte[] encoded = s.toString().getBytes(StandardCharsets.ISO_8859_1);
            Object javaMail = outcome(() -> javaMailBase64(encoded));
            Object ours = outcome(() -> decode(encoded, "base64"));
            if (javaMail instanceof Class) {
                // JavaMail refuses (e.g. no padding at the end): the JDK's decoder may still read it, as mail
                // clients do; what it gives is then the JDK's reading
                if (!(ours instanceof Class)) {
                    assertThat(ours).as("round %d: %s", round, s).isEqualTo(outcome(
                            () -> Base64.getMimeDecoder().decode(encoded)));
                }
            } else {
                assertThat(ours).as("round %d: %s", round, s).isEqualTo(javaMail);
            }
        }
    }

    @Test
    void base64LongerThanTheBufferedLimitStreamsWithTheSameBytes() throws Exception {
        byte[] data = new byte[TransferEncoding.BUFFERED_BASE64_MAX];
        new Random(7).nextBytes(data);
        byte[] encoded = TransferEncoding.base64(data).getBytes(StandardCharsets.US_ASCII);
        assertThat(encoded.length).isGreaterThan(TransferEncoding.BUFFERED_BASE64_MAX);
        assertThat(java.util.Arrays.equals(decode(encoded, "base64"), data)).isTrue();
        // a stream that does not tell its length is read up to the limit, then streamed from there
        try (InputStream in = TransferEncoding.decode(new java.io.FilterInputStream(new ByteArrayInputStream(encoded)) {
            @Override
            public int available() {
                return 0;
            }
        }, "base64")) {
            assertThat(java.util.Arrays.equals(in.readAllBytes(), data)).isTrue();
        }
    }

    @Test
    void base64WithoutTheMimeDecodersPreScanGivesItsBytesOrItsRefusal() {
        Random random = new Random(11);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        String[] inserts = {"\r\n", "\n", "\r", "\r\r\n", " ", "=", "==", "*", "\u00e9"};
        for (int round = 0; round < 5000; round++) {
            byte[] data = new byte[random.nextInt(400)];
            random.nextBytes(data);
            StringBuilder s = new StringBuilder(TransferEncoding.base64(data));
            if (random.nextBoolean()) {
                // LF-only and bare-CR line breaks, as some clients write them
                String eol = random.nextBoolean() ? "\n" : "\r";
                s = new StringBuilder(s.toString().replace("\r\n", eol));
            }
            for (int k = random.nextInt(4); k > 0; k--) {
                int at = random.nextInt(s.length() + 1);
                switch (random.nextInt(4)) {
                    case 0: s.insert(at, inserts[random.nextInt(inserts.length)]); break;
                    case 1: s.insert(at, alphabet.charAt(random.nextInt(64))); break;
                    case 2: s.setLength(at); break;
                    default: while (s.length() > 0 && s.charAt(s.length() - 1) == '=') { s.setLength(s.length() - 1); }
                }
            }
            byte[] encoded = s.toString().getBytes(StandardCharsets.ISO_8859_1);
            assertThat(outcome(() -> TransferEncoding.decodeBase64(encoded))).as("round %d: %s", round, s.toString().replace("\r", "\\r").replace("\n", "\\n"))
                    .isEqualTo(outcome(() -> Base64.getMimeDecoder().decode(encoded)));
        }
    }

    @Test
    void linesOfOneWidthWithABreakOrJunkInsideOrALineEndOfAnotherKindDecodeAsTheMimeDecoderDoes() {
        byte[] data = new byte[3000];
        new Random(5).nextBytes(data);
        String body = TransferEncoding.base64(data);
        assertThat(body.indexOf("\r\n")).isEqualTo(76);
        int[] places = {0, 1, 40, 75, 76, 77, 78 + 40, 78 * 10 + 75, 78 * 10 + 76, 78 * 10 + 77, body.length() - 3};
        for (char c : new char[] {'\n', '\r', '*', '=', 'A'}) {
            for (int at : places) {
                StringBuilder s = new StringBuilder(body);
                s.setCharAt(at, c);
                byte[] encoded = s.toString().getBytes(StandardCharsets.ISO_8859_1);
                assertThat(outcome(() -> TransferEncoding.decodeBase64(encoded))).as("%s at %d", (int) c, at)
                        .isEqualTo(outcome(() -> Base64.getMimeDecoder().decode(encoded)));
            }
        }
    }

    @Test
    void aStreamThatMisstatesItsLengthIsStillReadWhole() throws Exception {
        byte[] data = new byte[50_000];
        new Random(3).nextBytes(data);
        byte[] encoded = TransferEncoding.base64(data).getBytes(StandardCharsets.US_ASCII);
        for (int claimed : new int[] {1, 100, encoded.length - 1, encoded.length + 500}) {
            try (InputStream in = TransferEncoding.decode(new java.io.FilterInputStream(new ByteArrayInputStream(encoded)) {
                @Override
                public int available() {
                    return claimed;
                }
            }, "base64")) {
                assertThat(java.util.Arrays.equals(in.readAllBytes(), data)).as("available() = %d", claimed).isTrue();
            }
        }
    }

    /** The byte loop {@code hardLines} replaced, kept as the reference its word steps must agree with. */
    private static int[] hardLinesByteByByte(byte[] data, boolean encoded) {
        java.util.List<Integer> ends = new java.util.ArrayList<>();
        int n = data.length;
        for (int i = 0; i < n; i++) {
            byte b = data[i];
            if (b == '\n') {
                if (i == 0 || data[i - 1] != '\r') {
                    return null;
                }
                if (!(encoded && i >= 2 && data[i - 2] == '=')) {
                    ends.add(i - 1);
                }
            } else if (b == '\r') {
                if (i + 1 >= n || data[i + 1] != '\n') {
                    return null;
                }
            } else if (b == '=' && encoded && i + 2 < n && data[i + 1] == '0' && "DdAa".indexOf(data[i + 2]) >= 0) {
                return null;
            }
        }
        ends.add(n);
        return ends.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void hardLinesAreThoseOfTheByteLoopAtEveryAlignment() {
        Random random = new Random(11);
        String alphabet = "ab=0DdAa\r\n\u00bd";
        int refused = 0;
        for (int round = 0; round < 50_000; round++) {
            byte[] b = new byte[random.nextInt(48)];
            for (int i = 0; i < b.length; i++) {
                // mostly plain bytes, so that words without a mark and CRLFs at every alignment both occur
                b[i] = random.nextInt(3) == 0 ? (byte) alphabet.charAt(random.nextInt(alphabet.length())) : (byte) 'x';
                if (b[i] == '\n' && i > 0 && random.nextBoolean()) {
                    b[i - 1] = '\r';
                }
            }
            for (boolean encoded : new boolean[] {true, false}) {
                int[] expected = hardLinesByteByByte(b, encoded);
                refused += expected == null ? 1 : 0;
                assertThat(TransferEncoding.hardLines(b, encoded)).as("%s encoded=%s",
                        new String(b, StandardCharsets.ISO_8859_1), encoded).isEqualTo(expected);
            }
        }
        assertThat(refused).as("inputs refused").isBetween(10_000, 90_000);
    }

    /** The byte loop {@code decodeQuotedPrintableStrict} replaced, kept as the reference its runs must agree with. */
    private static byte[] decodeQuotedPrintableByteByByte(byte[] data, boolean lenient) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int n = data.length;
        for (int i = 0; i < n; i++) {
            byte b = data[i];
            if (b == '=') {
                int j = i + 1;
                while (j < n && (data[j] == ' ' || data[j] == '\t')) {
                    j++;
                }
                if (j < n && data[j] == '\n') {
                    i = j;
                    continue;
                }
                if (j + 1 < n && data[j] == '\r' && data[j + 1] == '\n') {
                    i = j + 1;
                    continue;
                }
                if (j == n) {
                    break; // a soft break ending the data
                }
                int hi = i + 2 < n ? Character.digit(data[i + 1], 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(data[i + 2], 16);
                if (lo < 0 && lenient) {
                    out.write('=');
                    continue;
                }
                if (lo < 0) {
                    return null;
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else if (b == ' ' || b == '\t') {
                int j = i;
                while (j < n && (data[j] == ' ' || data[j] == '\t')) {
                    j++;
                }
                if (!(j == n || data[j] == '\n' || j + 1 < n && data[j] == '\r' && data[j + 1] == '\n')) {
                    out.write(data, i, j - i);
                }
                i = j - 1;
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    /** Reads by single bytes and by arrays of random sizes, as readers of an attachment do. */
    private static byte[] readInPieces(InputStream in, Random random) {
        try (InputStream stream = in) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            while (true) {
                if (random.nextBoolean()) {
                    int c = stream.read();
                    if (c < 0) {
                        return out.toByteArray();
                    }
                    out.write(c);
                } else {
                    byte[] b = new byte[1 + random.nextInt(9)];
                    int n = stream.read(b, 0, b.length);
                    if (n < 0) {
                        return out.toByteArray();
                    }
                    out.write(b, 0, n);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A stream over {@code data} whose reads return one to three bytes. */
    private static java.io.InputStream trickle(byte[] data, Random random) {
        return new java.io.ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + random.nextInt(3)));
            }
        };
    }

    @Test
    void aRunOfBlanksLongerThanTheStreamHoldsIsRefused() throws Exception {
        byte[] data = ("a=" + " ".repeat(QuotedPrintableStream.MAX_HELD_BLANKS + 1) + "\r\nb").getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> new QuotedPrintableStream(new java.io.ByteArrayInputStream(data)).readAllBytes())
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("blanks in a row");
        byte[] fits = ("a=" + " ".repeat(QuotedPrintableStream.MAX_HELD_BLANKS) + "\r\nb").getBytes(StandardCharsets.US_ASCII);
        assertThat(new QuotedPrintableStream(new java.io.ByteArrayInputStream(fits)).readAllBytes())
                .isEqualTo("ab".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void strictQuotedPrintableDecodingIsThatOfTheByteLoop() {
        Random random = new Random(13);
        // escapes in a row ("=C3=BC=C3=9F"), and an escape cut short after a full one ("=C3=4 "), are read in one go
        String[] pieces = {"=", "=3D", "=3d", "=C3=A9", "=C3=BC=C3=9F", "=C3=4 ", "=E2=82=AC=", "=0D", "=\r\n", "= \r\n",
            "=\n", "\r\n", "\n", "\r", " ", "\t", "  ", "a", "word", "=4", "=G1", "=20", "=09", "\u00e9"};
        int refused = 0;
        for (int round = 0; round < 50_000; round++) {
            StringBuilder text = new StringBuilder();
            for (int k = random.nextInt(24); k > 0; k--) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            byte[] data = text.toString().getBytes(StandardCharsets.ISO_8859_1);
            byte[] expected = decodeQuotedPrintableByteByByte(data, false);
            refused += expected == null ? 1 : 0;
            assertThat(TransferEncoding.decodeQuotedPrintableStrict(data)).as(text.toString()).isEqualTo(expected);
            byte[] lenient = decodeQuotedPrintableByteByByte(data, true);
            assertThat(TransferEncoding.decodeQuotedPrintableLenient(data)).as("lenient " + text).isEqualTo(lenient);
            assertThat(readInPieces(new QuotedPrintableStream(new java.io.ByteArrayInputStream(data)), random))
                    .as("stream " + text).isEqualTo(lenient);
            // read from a source that gives a few bytes at a time, through a buffer of 3 to 8 bytes
            assertThat(readInPieces(new QuotedPrintableStream(trickle(data, random), 3 + random.nextInt(6)), random))
                    .as("stream, small buffer " + text).isEqualTo(lenient);
        }
        assertThat(refused).as("inputs refused").isBetween(5_000, 45_000);
    }

    private static final char[] HEX_DIGITS = "0123456789ABCDEF".toCharArray();

    /**
     * The byte loop {@code quotedPrintableBytes} ran alone before the middle of its lines had a loop of its own, kept
     * as the reference.
     */
    private static byte[] quotedPrintableByteByByte(byte[] data) {
        byte[] out = new byte[data.length + data.length / 8 + 16];
        int o = 0;
        int lineLength = 0;
        int i = 0;
        while (i < data.length) {
            if (out.length - o < 8) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            int b = data[i] & 0xff;
            if (b == '\r' && i + 1 < data.length && data[i + 1] == '\n') {
                out[o++] = '\r';
                out[o++] = '\n';
                lineLength = 0;
                i += 2;
                continue;
            }
            boolean lineEndNext = i + 1 >= data.length
                    || data[i + 1] == '\r' && i + 2 < data.length && data[i + 2] == '\n';
            boolean escape;
            if (b == ' ' || b == '\t') {
                escape = lineEndNext;
            } else if (b == '.' && lineLength == 0) {
                escape = true;
            } else if (b == 'F' && lineLength == 0 && startsWithFrom(data, i)) {
                escape = true;
            } else {
                escape = b < 33 || b > 126 || b == '=';
            }
            int width = escape ? 3 : 1;
            // keep room for the soft break '=' unless this is the last character of the line
            int limit = lineEndNext ? TransferEncoding.QP_MAX_LINE : TransferEncoding.QP_MAX_LINE - 1;
            if (lineLength + width > limit) {
                out[o++] = '=';
                out[o++] = '\r';
                out[o++] = '\n';
                lineLength = 0;
                if (b == '.' || b == 'F' && startsWithFrom(data, i)) {
                    escape = true;
                    width = 3;
                }
            }
            if (escape) {
                out[o++] = '=';
                out[o++] = (byte) HEX_DIGITS[b >> 4];
                out[o++] = (byte) HEX_DIGITS[b & 0xf];
            } else {
                out[o++] = (byte) b;
            }
            lineLength += width;
            i++;
        }
        return Arrays.copyOf(out, o);
    }

    private static boolean startsWithFrom(byte[] data, int at) {
        return at + 5 <= data.length && new String(data, at, 5, StandardCharsets.ISO_8859_1).equals("From ");
    }

    @Test
    void quotedPrintableEncodingIsThatOfTheByteLoop() throws Exception {
        Random random = new Random(17);
        String[] pieces = {"a", "word", "Longer-words_and.dots", " ", "\t", "  ", "\r\n", "\n", "\r", ".", "From ",
            "F", "=", "\u00e9", "\u20ac", "x".repeat(70), "y".repeat(150), " \r\n", "\t\n", ". ", "~", "\u0000", "\u007f"};
        for (int round = 0; round < 50_000; round++) {
            StringBuilder text = new StringBuilder();
            for (int k = random.nextInt(40); k > 0; k--) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            byte[] data = text.toString().getBytes(StandardCharsets.UTF_8);
            byte[] encoded = TransferEncoding.quotedPrintableBytes(data);
            assertThat(encoded).as(text.toString()).isEqualTo(quotedPrintableByteByByte(data));
            assertThat(decode(encoded, "quoted-printable")).as(text.toString()).isEqualTo(data);
        }
    }
}
