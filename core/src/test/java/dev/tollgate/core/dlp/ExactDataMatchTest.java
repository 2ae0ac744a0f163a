package dev.tollgate.core.dlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExactDataMatchTest {
    private static final List<String> VALUES = Arrays.asList("CU-100234", "998877665", "  ", "Müller-7");

    private static TextScanner scannerFor(ExactDataMatch edm) {
        return TextScanner.builder().detect(edm).withoutDefaultContextRules().build();
    }

    @Test
    void findsNormalisedTokensAndMasks() {
        ExactDataMatch edm = ExactDataMatch.fromValues("edm-customers", VALUES);
        assertThat(edm.size()).isEqualTo(3);
        String text = "Customer CU-100234, also cu100234 and CU_100234; acct 998877665. MÜLLER-7 too.";
        List<Finding> f = scannerFor(edm).scan(text);
        assertThat(f).hasSize(5);
        assertThat(f).allSatisfy(x -> {
            assertThat(x.type()).isEqualTo(DetectorType.EXACT_DATA);
            assertThat(x.label()).isEqualTo("edm-customers");
            assertThat(x.confidence()).isEqualTo(Confidence.HIGH);
        });
        assertThat(text.substring(f.get(0).start(), f.get(0).end())).isEqualTo("CU-100234");
        assertThat(f.get(0).maskedSample()).isEqualTo("**-****34");
        assertThat(f.get(3).maskedSample()).isEqualTo("*******65");
        assertThat(text.substring(f.get(4).start(), f.get(4).end())).isEqualTo("MÜLLER-7");
    }

    @Test
    void matchesWholeTokensOnly() {
        ExactDataMatch edm = ExactDataMatch.fromValues("edm", VALUES);
        TextScanner s = scannerFor(edm);
        assertThat(s.scan("CU-1002345 XCU-100234 9988776650 CU-100234X 99887766")).isEmpty();
        assertThat(s.scan("CU 100234")).isEmpty();
    }

    @Test
    void caseFoldingThatChangesLengthStillMatches() {
        // U+0130 lower-cases to two chars under Locale.ROOT; lengths are counted before folding
        ExactDataMatch edm = ExactDataMatch.fromValues("edm", List.of("\u0130STANBUL-42"));
        assertThat(scannerFor(edm).scan("ref \u0130STANBUL-42 ok")).hasSize(1);
    }

    @Test
    void tokenCutByInputLimitIsNotMatched() {
        ExactDataMatch edm = ExactDataMatch.fromValues("edm", List.of("998877665"));
        TextScanner s = TextScanner.builder().detect(edm).maxInputChars(12).build();
        assertThat(s.scan("id 998877665")).hasSize(1);
        assertThat(s.scan("id 9988776650")).isEmpty();
    }

    @Test
    void containsUsesSameNormalisation() {
        ExactDataMatch edm = ExactDataMatch.fromValues("edm", VALUES);
        assertThat(edm.contains("cu_100234")).isTrue();
        assertThat(edm.contains("CU-100235")).isFalse();
        assertThat(edm.contains("CU 100234")).isFalse();
        assertThat(edm.contains("")).isFalse();
        assertThat(edm.contains(null)).isFalse();
    }

    @Test
    void digestFileRoundTripsWithoutPlaintext() throws IOException {
        ExactDataMatch edm = ExactDataMatch.fromValues("edm", VALUES);
        StringWriter w = new StringWriter();
        edm.writeTo(w);
        String file = w.toString();
        assertThat(file).startsWith("tollgate-edm 1\nsalt ");
        assertThat(file.toLowerCase()).doesNotContain("100234").doesNotContain("998877665").doesNotContain("müller");
        assertThat(file.split("\n")).hasSize(2 + 3);
        assertThat(file).containsPattern("\n8 m [0-9a-f]{64}\n").containsPattern("\n9 d [0-9a-f]{64}\n")
                .containsPattern("\n7 m [0-9a-f]{64}\n");

        ExactDataMatch loaded = ExactDataMatch.load("edm-loaded", new StringReader("# exported\n" + file));
        assertThat(loaded.size()).isEqualTo(3);
        assertThat(scannerFor(loaded).scan("id CU-100234 / 998877665")).hasSize(2);
        assertThat(loaded.contains("müller-7")).isTrue();
    }

    @Test
    void digestsAreSaltedSha256OfTheNormalisedValue() throws Exception {
        ExactDataMatch edm = ExactDataMatch.fromValues("edm", List.of("CU-100234"));
        StringWriter w = new StringWriter();
        edm.writeTo(w);
        String[] lines = w.toString().split("\n");
        String saltHex = lines[1].substring("salt ".length());
        byte[] salt = new byte[saltHex.length() / 2];
        for (int i = 0; i < salt.length; i++) {
            salt[i] = (byte) Integer.parseInt(saltHex.substring(2 * i, 2 * i + 2), 16);
        }
        assertThat(salt).hasSize(16);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(salt);
        String expected = hex(sha.digest("cu100234".getBytes(StandardCharsets.UTF_8)));
        assertThat(lines[2]).isEqualTo("8 m " + expected);
        // an unsalted digest of the same value is not what is stored
        String unsalted = hex(MessageDigest.getInstance("SHA-256").digest("cu100234".getBytes(StandardCharsets.UTF_8)));
        assertThat(w.toString()).doesNotContain(unsalted);
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xFF));
        }
        return sb.toString();
    }

    @Test
    void saltIsRandomPerList() throws IOException {
        StringWriter a = new StringWriter();
        StringWriter b = new StringWriter();
        ExactDataMatch.fromValues("a", VALUES).writeTo(a);
        ExactDataMatch.fromValues("b", VALUES).writeTo(b);
        assertThat(a.toString()).isNotEqualTo(b.toString());
        assertThat(a.toString().split("\n")[1]).isNotEqualTo(b.toString().split("\n")[1]);
    }

    @Test
    void rejectsBadValuesWithoutEchoingThem() {
        assertThatThrownBy(() -> ExactDataMatch.fromValues("edm", Arrays.asList("ok1", "secret value")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("#2")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> ExactDataMatch.fromValues(" ", VALUES)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsMalformedFiles() {
        String salt = "salt 00112233445566778899aabbccddeeff\n";
        String digest = "0000000000000000000000000000000000000000000000000000000000000000";
        assertThatThrownBy(() -> ExactDataMatch.load("e", new StringReader("nope\n")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 1");
        assertThatThrownBy(() -> ExactDataMatch.load("e", new StringReader("tollgate-edm 1\n")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExactDataMatch.load("e", new StringReader("tollgate-edm 1\nsalt zz\n")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExactDataMatch.load("e", new StringReader("tollgate-edm 1\n" + salt + "8 d abc\n")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 3");
        assertThatThrownBy(() -> ExactDataMatch.load("e", new StringReader("tollgate-edm 1\n" + salt + "0 d " + digest)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExactDataMatch.load("e", new StringReader("tollgate-edm 1\n" + salt + "x d " + digest)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExactDataMatch.load("e", new StringReader("tollgate-edm 1\n" + salt + "8 q " + digest)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExactDataMatch.load("e", new StringReader("tollgate-edm 1\n" + salt + "8 " + digest)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringHasNoSecrets() {
        ExactDataMatch edm = ExactDataMatch.fromValues("edm", VALUES);
        assertThat(edm.toString()).isEqualTo("ExactDataMatch[edm, 3 digests]");
    }
}
