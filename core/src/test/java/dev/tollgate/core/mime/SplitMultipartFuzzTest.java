package dev.tollgate.core.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.tollgate.core.fuzz.Bounded;
import dev.tollgate.core.fuzz.FuzzSeeds;

/**
 * Random multipart bodies built from delimiter-ish fragments: {@link SplitMultipart} reads each multipart in
 * them (nested ones and attached messages included) exactly as JavaMail's {@code MimeMultipart} does (see
 * {@link MultipartEquivalence}).
 *
 * <p>Input shape: the first byte picks the Content-Type's boundary parameter; every later byte below 0x40
 * appends a fragment (line ends of every kind, boundaries, close delimiters, padding, part headers that nest
 * further multiparts), any other byte is appended as it is (letters and non-ASCII bytes).
 */
class SplitMultipartFuzzTest {
    private static final String[] BOUNDARIES = {"b", "c", "-", "--", "b-b", "bb", "\"\"", "\"b \"", "\"b\u00e9\"",
        null};
    private static final String[] FRAGMENTS = {"\r", "\n", "\r\n", " ", "\t", "-", "--", "--b", "--b--", "--b\r\n",
        "\r\n--b\r\n", "\r\n--b--\r\n", "Content-Type: text/plain\r\n", "Content-Type: multipart/mixed; boundary=c\r\n",
        "--c", "--c--", "\r\n\r\n", "X: 1", "b", "c", "=", "--b-", "----", "Content-Transfer-Encoding: base64\r\n",
        "Content-Type: message/rfc822\r\n", "Content-Type: multipart/alternative\r\n", "\r\r\n", "--bb", "--b \t\r\n",
        "---", "--b-b", "\n--c\n", "Content-Type: multipart/mixed; boundary=\"--\"\r\n", "\r\n--\r\n", "------\r\n",
        "From: x\r\n"};

    static Stream<Arguments> seeds() {
        return FuzzSeeds.files(List.of(), List.of(),
                "\u0000\u0009\u0010\u000c\u0010\u0002Ab\u000b\u0010c\u000b",
                "\u0000preamble\u0002\u0009\r\u0010\u000e\u0001\u000c\u0010x\u000f\u0002\u000b",
                "\u0009\u001d\u001c\u0010text\u001c\u0001\u001b\u001e",
                "\u0003\u001d\u0010\u001d\u0002\u0010\u001d\u0006\u0002",
                "\u0000\u0009\u001a\u0010one\u001a\u0010\u0007\u0005two\u0008");
    }

    static byte[] mail(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String boundary = BOUNDARIES[(data[0] & 0xff) % BOUNDARIES.length];
        String type = "multipart/mixed" + (boundary == null ? "" : "; boundary=" + boundary);
        out.writeBytes(("From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: " + type + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 1; i < data.length; i++) {
            int b = data[i] & 0xff;
            if (b < 0x40) {
                out.writeBytes(FRAGMENTS[b % FRAGMENTS.length].getBytes(StandardCharsets.ISO_8859_1));
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "15s")
    void splitsEveryMultipartAsJavaMailDoes(byte[] data) throws Exception {
        if (data == null || data.length == 0 || data.length > 64 * 1024) {
            return;
        }
        MultipartEquivalence eq = new MultipartEquivalence(6);
        Bounded.run(() -> eq.message(mail(data)));
    }
}
