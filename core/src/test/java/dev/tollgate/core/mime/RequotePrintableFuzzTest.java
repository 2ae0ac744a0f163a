package dev.tollgate.core.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.tollgate.core.fuzz.Bounded;
import dev.tollgate.core.fuzz.FuzzSeeds;

/**
 * Link rewriting's re-encoding of a quoted-printable body ({@link TransferEncoding#requotePrintable}) on bodies
 * other senders wrote ({@link SenderQuotedPrintable}: any width, lower-case hex, transport padding) and a change
 * anywhere: the result decodes, strictly, to exactly the changed text, every encoded line it did not take from the
 * sender is at most 76 characters, and a body it cannot map is declined (null), never an exception; the whole-part
 * encoding the caller then uses ({@link TransferEncoding#quotedPrintableBytes}) decodes to exactly the changed text.
 *
 * <p>Input shape: byte 0 the sender's width (20–76), byte 1 its hex case and padding, bytes 2–4 where the change
 * starts and how many bytes it removes; then the text, up to a 0xFF byte, and after it the bytes inserted. In
 * both, bytes below 0x08 stand for fragments (CRLF, {@code =}, blanks, {@code .}, {@code From }, UTF-8 {@code é}, a
 * link), other bytes for themselves (a lone CR or LF makes a body the re-encoding declines).
 */
class RequotePrintableFuzzTest {
    private static final String[] FRAGMENTS = {"\r\n", "=", " ", "\t", ".", "From ", "\u00e9",
        "https://links.test/r/abc?u=a%3Db"};

    static Stream<Arguments> seeds() {
        return FuzzSeeds.files(List.of(), List.of(),
                "\u0030\u0001\u0000\u0010\u0003abc\u0002def\u0001ghi\u0000jkl\u0006mno\u0007pqr\u00ffXY\u0007",
                "\u004c\u0000\u0000\u0000\u0000\u0004\u0005the text\u0000\u0004line\u00ff\u0002",
                "\u0014\u0003\u0000\u0005\u0010aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\u0006\u0006\u00ff");
    }

    private static byte[] text(byte[] data, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = from; i < to; i++) {
            int b = data[i] & 0xff;
            if (b < FRAGMENTS.length) {
                out.writeBytes(FRAGMENTS[b].getBytes(StandardCharsets.UTF_8));
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "15s")
    void reencodesToExactlyTheChangedText(byte[] data) throws Exception {
        if (data == null || data.length < 5 || data.length > 64 * 1024) {
            return;
        }
        int width = 20 + (data[0] & 0xff) % 57;
        boolean lowerHex = (data[1] & 1) != 0;
        boolean padding = (data[1] & 2) != 0;
        int split = 5;
        while (split < data.length && data[split] != (byte) 0xff) {
            split++;
        }
        byte[] before = text(data, 5, split);
        byte[] inserted = text(data, Math.min(split + 1, data.length), data.length);
        int at = ((data[2] & 0xff) << 8 | (data[3] & 0xff)) % (before.length + 1);
        int removed = Math.min(before.length - at, (data[4] & 0xff) % 64);
        byte[] after = new byte[before.length - removed + inserted.length];
        System.arraycopy(before, 0, after, 0, at);
        System.arraycopy(inserted, 0, after, at, inserted.length);
        System.arraycopy(before, at + removed, after, at + inserted.length, before.length - at - removed);
        Bounded.run(() -> {
            byte[] raw = SenderQuotedPrintable.encode(before, width, lowerHex, padding);
            byte[] decoded = TransferEncoding.decodeQuotedPrintableStrict(raw);
            assertThat(decoded).as("the sender's encoding decodes").isNotNull();
            byte[] requoted = TransferEncoding.requotePrintable(raw, decoded, after);
            if (requoted == null) {
                // declined: the caller encodes the whole part, which decodes to the changed text as well
                assertThat(Arrays.equals(TransferEncoding.decodeQuotedPrintableStrict(
                        TransferEncoding.quotedPrintableBytes(after)), after)).as("whole part decodes to the changed text")
                        .isTrue();
                return;
            }
            assertThat(Arrays.equals(TransferEncoding.decodeQuotedPrintableStrict(requoted), after))
                    .as("decodes to the changed text").isTrue();
            List<String> senders = Arrays.asList(new String(raw, StandardCharsets.US_ASCII).split("\r\n", -1));
            for (String line : new String(requoted, StandardCharsets.US_ASCII).split("\r\n", -1)) {
                assertThat(line.length() <= TransferEncoding.QP_MAX_LINE || senders.contains(line))
                        .as("line of %d chars", line.length()).isTrue();
            }
        });
    }
}
