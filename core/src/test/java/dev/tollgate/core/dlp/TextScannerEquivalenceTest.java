package dev.tollgate.core.dlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.CharBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The optimised scan loop of {@link TextScanner} (chunked copy, rolling three-char start filter) gives exactly the
 * findings of the plain definition: at every position whose previous char is not a letter or digit, offer the
 * detectors whose two-char pre-filter passes, in priority order, honouring each detector's resume position.
 */
class TextScannerEquivalenceTest {
    private static final ExactDataMatch EDM = ExactDataMatch.fromValues("edm",
            Arrays.asList("CU-100234", "998877665", "Müller-7", "4111111111111111", "alpha"));

    private static final String[] FRAGMENTS = {
        "4111 1111 1111 1111", "4111-1111-1111-1111", "378282246310005", "2223003122003222", "1748503543012",
        "DE89 3704 0044 0532 0130 00", "NL91-ABNA-0417-1643-00", "gb82west12345698765432", "AKIAIOSFODNN7EXAMPLE",
        "123-45-6789", "123456789", "AB 12 34 56 C", "AB123456C", "-----BEGIN PRIVATE KEY-----\\n",
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7", "\\n-----END PRIVATE KEY-----",
        "-----BEGIN RSA PRIVATE KEY-----\n", "PuTTY-User-Key-File-2: ssh-rsa\nPrivate-Lines: 2\n",
        "ghp_aB3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xY1zA2", "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMn",
        "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY", "SSN ", "card ", "IBAN ",
        "CU-100234", "Müller-7", "alpha", "test ", "Kreditkarte ", "12", "1 2", "12-", "9", "DE", "AK", "--", "Pu",
        "4111,1111,1111,1111", "4000\t1200\t1300\t1407", "\"4111\",\"1111\"", " | ", "\n\n", "Visa\n"
    };
    private static final String ALPHABET = "0123456789 -\n\t.,:;|\"\\/_=+AKIDEGBNLSTXZakiesghxorlpu-BEGINPRIVATEKEYé\u00a0\u0660Ω€\u007f\u0000\ud83d\ude00";

    @Test
    void sameFindingsAsThePlainDefinitionOnFuzzedText() {
        List<TextScanner> scanners = List.of(
                TextScanner.builder().allBuiltInDetectors().build(),
                TextScanner.builder().allBuiltInDetectors().detect(EDM).withoutDefaultContextRules().build(),
                TextScanner.builder().detect(EDM, IbanDetector.create()).maxFindings(3).build(),
                TextScanner.builder().allBuiltInDetectors().maxInputChars(150).build());
        Random r = new Random(7);
        for (int t = 0; t < 1500; t++) {
            String text = fuzz(r, r.nextInt(t % 100 == 0 ? 20_000 : 400));
            for (TextScanner s : scanners) {
                ScanResult expected = reference(s, text);
                ScanResult actual = s.scan(text);
                assertThat(actual).as(text).isEqualTo(expected);
                assertThat(actual.isTruncated()).isEqualTo(expected.isTruncated());
                assertThat(actual.scannedChars()).isEqualTo(expected.scannedChars());
            }
        }
    }

    @Test
    void matchesAcrossChunkBoundaries() {
        TextScanner s = TextScanner.builder().allBuiltInDetectors().build();
        String values = "card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00, AKIAIOSFODNN7EXAMPLE, "
                + "SSN 123-45-6789, NINO AB 12 34 56 C.";
        for (int offset = 8100; offset < 8260; offset++) {
            String text = "w".repeat(offset - 1) + " " + values;
            ScanResult f = s.scan(text);
            assertThat(f).as("offset %d", offset).extracting(Finding::label)
                    .containsExactly("VISA", "DE", "AWS_ACCESS_KEY_ID", "SSN", "NINO");
            assertThat(f.get(0).start()).isEqualTo(offset + 5);
            assertThat(f).isEqualTo(reference(s, text));
            // glued to the preceding word across the boundary: not a card
            assertThat(s.scan("w".repeat(offset) + "4111111111111111")).isEmpty();
        }
    }

    @Test
    void everyCharSequenceKindGivesTheSameFindings() {
        TextScanner s = TextScanner.builder().allBuiltInDetectors().build();
        Random r = new Random(11);
        for (int t = 0; t < 100; t++) {
            String text = fuzz(r, r.nextInt(20_000));
            ScanResult expected = s.scan(text);
            assertThat(s.scan(new StringBuilder(text))).isEqualTo(expected);
            assertThat(s.scan(CharBuffer.wrap(text))).isEqualTo(expected);
        }
    }

    private static String fuzz(Random r, int length) {
        StringBuilder sb = new StringBuilder(length + 64);
        while (sb.length() < length) {
            int k = r.nextInt(10);
            if (k < 4) {
                sb.append(FRAGMENTS[r.nextInt(FRAGMENTS.length)]);
            } else if (k < 7) {
                sb.append(" -.\n".charAt(r.nextInt(4)));
            } else {
                sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
            }
        }
        return sb.toString();
    }

    /** The scan as defined, one position at a time: no chunks, no three-char filter. */
    private static ScanResult reference(TextScanner scanner, CharSequence text) {
        Detector[] detectors = scanner.detectors().toArray(new Detector[0]);
        int limit = Math.min(text.length(), scanner.maxInputChars());
        boolean truncated = text.length() > limit;
        int[] resume = new int[detectors.length];
        List<Finding> out = new ArrayList<>();
        Hit hit = new Hit();
        int i = 0;
        scan:
        while (i < limit) {
            if (i > 0 && Chars.isWordChar(text.charAt(i - 1))) {
                i++;
                continue;
            }
            char c = text.charAt(i);
            char next = i + 1 < limit ? text.charAt(i + 1) : Detector.NO_NEXT;
            for (int k = 0; k < detectors.length; k++) {
                Detector d = detectors[k];
                boolean triggers = c < 128
                        ? d.triggersOn(c, next < 128 ? next : Detector.NON_ASCII_NEXT)
                        : Chars.isWordChar(c) && d.triggersOnNonAscii();
                if (!triggers || resume[k] > i) {
                    continue;
                }
                hit.reset();
                resume[k] = Math.max(d.detect(text, i, limit, hit), i + 1);
                if (!hit.found) {
                    continue;
                }
                Finding f = scanner.toFinding(d, hit, text, limit);
                if (f == null) {
                    continue;
                }
                if (out.size() >= scanner.maxFindings()) {
                    truncated = true;
                    break scan;
                }
                out.add(f);
                i = hit.end;
                continue scan;
            }
            i++;
        }
        return new ScanResult(out, truncated, limit);
    }
}
