package dev.tollgate.core.dlp.content;

import static dev.tollgate.core.dlp.content.TestMessages.withAttachment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.dlp.TextScanner;
import dev.tollgate.core.dlp.policy.LocatedFinding;
import dev.tollgate.core.dlp.policy.MessageScan;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EmbeddedEncodingsTest {
    static final String AWS_KEY = "AKIAIOSFODNN7EXAMPLE"; // AWS's documentation example access key id
    static final String CARD = "4111 1111 1111 1111";
    private final MimeContentExtractor extractor = MimeContentExtractor.builder().build();
    private final TextScanner scanner = TextScanner.builder().allBuiltInDetectors().withoutDefaultContextRules().build();

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }

    private List<String> findingsIn(String json, String name) throws Exception {
        ExtractedContent c = extractor.extract(withAttachment("see attached", json.getBytes(StandardCharsets.UTF_8),
                name, "application/json"));
        MessageScan scan = MessageScan.of(c, scanner);
        assertThat(scan.unscannable()).isEmpty();
        return scan.findings().stream().map(f -> f.location() + " " + f.finding().detectorId())
                .collect(Collectors.toList());
    }

    @Test
    void base64InsideBase64InsideJsonReportsTheEncodedLocation() throws Exception {
        String inner = b64("{\"aws_access_key_id\": \"" + AWS_KEY + "\"}");
        String json = "{\"config\": \"" + b64("profile=prod\ncredentials=" + inner + "\n") + "\"}";
        assertThat(findingsIn(json, "cfg.json"))
                .containsExactly("attachment:cfg.json \u2192 base64 \u2192 base64 cloud-credential");
    }

    @Test
    void eachEncodingIsDecoded() throws Exception {
        String card = "card " + CARD + " exp 12/29";
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(("??>> " + card + " ??>>")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(urlSafe).containsAnyOf("-", "_");
        String text = "a: " + urlSafe + "\n"
                + "b: " + hex(card) + "\n"
                + "c: https://pay.example/?n=card%3A%204111%201111%201111%201111&x=1\n"
                + "d: \"\\u0034\\u0031\\u0031\\u0031 \\x31\\x31\\x31\\x31 1111 1111\"\n"
                + "e: card =34=31=31=31 =31=31=31=31=\n =31=31=31=31 1111\n";
        assertThat(findingsIn(text, "notes.txt")).containsExactlyInAnyOrder(
                "attachment:notes.txt \u2192 base64url payment-card",
                "attachment:notes.txt \u2192 hex payment-card",
                "attachment:notes.txt \u2192 percent payment-card",
                "attachment:notes.txt \u2192 escapes payment-card",
                "attachment:notes.txt \u2192 quoted-printable payment-card");
    }

    @Test
    void binaryAndOrdinaryTokensAreNotDecoded() {
        byte[] png = new byte[3000];
        new java.util.Random(1).nextBytes(png);
        png[0] = (byte) 0x89;
        String text = "<img src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\">\n"
                + "font: url(data:font/woff2;base64," + Base64.getEncoder().encodeToString(png) + ")\n"
                + "commit 3f786850e387550fdab836ed7e6dc881de23001b, uuid 123e4567-e89b-12d3-a456-426614174000\n"
                + "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
                + "AKIAIOSFODNN7EXAMPLE is the placeholder; Donaudampfschifffahrtsgesellschaft; path/to/some/resource\n"
                + "search?q=a%20b color: #FFF; width=100%\n";
        assertThat(EmbeddedEncodings.decode(text)).isEmpty();
    }

    @Test
    void decodedTextCountsAgainstTheExpandedSizeAndLayersAreBounded() throws Exception {
        String layered = "token 4111 1111 1111 1111 here";
        for (int i = 0; i < 4; i++) {
            layered = b64(layered + " layer " + i);
        }
        ExtractedContent c = extractor.extract(withAttachment("x", layered.getBytes(StandardCharsets.UTF_8), "deep.txt",
                "text/plain"));
        assertThat(c.unscannable()).singleElement().satisfies(u -> {
            assertThat(u.reason()).isEqualTo(Unscannable.Reason.DEPTH_LIMIT);
            assertThat(u.location()).isEqualTo("attachment:deep.txt \u2192 base64 \u2192 base64 \u2192 base64");
        });
        MimeContentExtractor small = MimeContentExtractor.builder()
                .limits(ExtractionLimits.builder().maxExpandedBytes(40_000).build()).build();
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            big.append(b64("line " + i + " of a long base64 encoded configuration value, nothing secret")).append('\n');
        }
        ExtractedContent limited = small.extract(withAttachment("x", big.toString().getBytes(StandardCharsets.UTF_8),
                "big.txt", "text/plain"));
        assertThat(limited.unscannable()).extracting(Unscannable::reason).contains(Unscannable.Reason.SIZE_LIMIT);
    }

    private static String b32(String s) {
        return com.google.common.io.BaseEncoding.base32().encode(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void base32PaddedOrNotIsDecodedAndNamed() throws Exception {
        String padded = b32("card " + CARD + " exp 12/29");
        assertThat(padded).endsWith("=");
        String unpadded = b32("aws_access_key_id = " + AWS_KEY).replace("=", "");
        assertThat(findingsIn("backup codes: " + padded + "\nrecovery " + unpadded + "\n", "notes.txt"))
                .containsExactlyInAnyOrder("attachment:notes.txt \u2192 base32 payment-card",
                        "attachment:notes.txt \u2192 base32 cloud-credential");
        // a long base32 run (past the probe) wrapped into a JSON string
        String longRun = b32("statement for the quarter; the card on file is " + CARD + "; please keep it safe.");
        assertThat(longRun.length()).isGreaterThan(EmbeddedEncodings.PROBE_CHARS);
        assertThat(findingsIn("{\"blob\": \"" + longRun + "\"}", "cfg.json"))
                .containsExactly("attachment:cfg.json \u2192 base32 payment-card");
    }

    @Test
    void base32OfRandomBytesUpperCaseRunsAndSecretsInDocsAreNotDecoded() {
        byte[] random = new byte[35];
        new java.util.Random(7).nextBytes(random);
        String hash = com.google.common.io.BaseEncoding.base32().encode(random);
        String text = "TOTP secret for the docs example: JBSWY3DPEHPK3PXP (otpauth://totp/x?secret=JBSWY3DPEHPK3PXP)\n"
                + "hash " + hash + "\n"
                + "onion: " + hash.toLowerCase(java.util.Locale.ROOT).substring(0, 56) + ".onion\n"
                + "WARNING: CONFIDENTIAL ATTORNEYCLIENTPRIVILEGED NOTICE; ABCDEFGHIJKLMNOPQRSTUVWXYZ234567\n"
                + "REF 2Q7K4M5N6P3R2S7T ISBN978-3-16-148410-0\n";
        assertThat(EmbeddedEncodings.decode(text)).extracting(d -> d.encoding).doesNotContain("base32");
        assertThat(EmbeddedEncodings.decode(text)).isEmpty();
    }

    /** The decoded fragments as "encoding: text", checked against the reference implementation. */
    private static List<String> decodedAsTheReference(String text) {
        List<String> expected = EmbeddedEncodingsReference.decode(text).stream().map(d -> d.encoding + ": " + d.text)
                .collect(Collectors.toList());
        List<String> actual = EmbeddedEncodings.decode(text).stream().map(d -> d.encoding + ": " + d.text)
                .collect(Collectors.toList());
        assertThat(actual).isEqualTo(expected);
        return actual;
    }

    @Test
    void runsAtTheStartAndEndOfTheTextAreDecoded() {
        String card = "card " + CARD;
        assertThat(decodedAsTheReference(b64(card))).containsExactly("base64: " + card);
        assertThat(decodedAsTheReference("x " + b64(card))).containsExactly("base64: " + card);
        assertThat(decodedAsTheReference(b64(card) + " x")).containsExactly("base64: " + card);
        assertThat(decodedAsTheReference(hex(card))).containsExactly("hex: " + card);
        // padding at the very end, and one '=' too many: the run ends at two
        assertThat(decodedAsTheReference(b64(card + "!"))).containsExactly("base64: " + card + "!");
        assertThat(b64(card + "!")).endsWith("=");
        assertThat(decodedAsTheReference(b64(card + "!") + "=")).containsExactly("base64: " + card + "!");
        // fifteen chars are too short, sixteen are a run
        assertThat(decodedAsTheReference(b64("card 411111"))).isEmpty();
        assertThat(b64("card 411111")).hasSize(MIN_RUN).endsWith("=");
        assertThat(decodedAsTheReference(b64("card 4111111"))).containsExactly("base64: card 4111111");
    }

    private static final int MIN_RUN = EmbeddedEncodings.MIN_BASE64_CHARS;

    @Test
    void wrappedLinesJoinWithCrLfAndLfAndStopAtAnOddLine() {
        String text = "statement: the card on file is " + CARD + ", expiring 12/29, please keep it safe and do not share";
        String encoded = b64(text);
        assertThat(encoded.length()).isGreaterThan(2 * 44);
        for (String eol : new String[] {"\n", "\r\n"}) {
            String wrapped = encoded.substring(0, 44) + eol + encoded.substring(44, 88) + eol + encoded.substring(88);
            assertThat(decodedAsTheReference(wrapped)).containsExactly("base64: " + text);
            assertThat(decodedAsTheReference("b: " + wrapped + eol)).containsExactly("base64: " + text);
            assertThat(decodedAsTheReference(wrapped + eol + "next line")).containsExactly("base64: " + text);
        }
        // a first line of 42 chars (not a whole number of groups) or 36 chars (too short) is not continued
        String odd = encoded.substring(0, 42) + "\n" + encoded.substring(42);
        assertThat(decodedAsTheReference(odd)).doesNotContain("base64: " + text);
        String shortLine = encoded.substring(0, 36) + "\n" + encoded.substring(36);
        assertThat(decodedAsTheReference(shortLine)).doesNotContain("base64: " + text);
        // a line break with nothing after it, or a lone CR, ends the run
        assertThat(decodedAsTheReference(encoded.substring(0, 44) + "\r" + encoded.substring(44)))
                .doesNotContain("base64: " + text);
        assertThat(decodedAsTheReference(encoded.substring(0, 44) + "\r\n")).hasSize(1);
    }

    @Test
    void nonAsciiCharsEndRunsAndALetterBeforeARunMakesItProse() {
        String card = "card " + CARD;
        assertThat(decodedAsTheReference("caf\u00e9" + b64(card))).isEmpty();
        assertThat(decodedAsTheReference("\u2019" + b64(card))).containsExactly("base64: " + card);
        assertThat(decodedAsTheReference(b64(card) + "\u00e9")).containsExactly("base64: " + card);
        assertThat(decodedAsTheReference("\uD835\uDFD2" + hex(card))).containsExactly("hex: " + card);
        // chars above ASCII whose low byte is an alphabet char ('A' + 0x100, '0' + 0xFF00) are no part of a run
        String split = b64(card).substring(0, 10) + "\u0141" + b64(card).substring(11);
        assertThat(decodedAsTheReference(split)).isEmpty();
        assertThat(decodedAsTheReference(hex(card).replace('3', '\uFF13'))).isEmpty();
    }

    @Test
    void percentTokensAreReadWholeWhereverTheEscapesStand() {
        String card = "card%3A%204111%201111%201111%201111";
        assertThat(decodedAsTheReference(card)).containsExactly("percent: card: " + CARD);
        assertThat(decodedAsTheReference("x " + card)).containsExactly("percent: card: " + CARD);
        assertThat(decodedAsTheReference("\"" + card + "\" 50%")).containsExactly("percent: card: " + CARD);
        // two tokens, each with its escapes; a token whose escapes are at its end, one cut short by the text's end
        assertThat(decodedAsTheReference("a%41%42cdef 100% <b%43%44efgh>\tq=1%2"))
                .containsExactly("percent: aABcdef\n\nbCDefgh");
        // one escape in a URL is enough, one elsewhere is not; '+' reads as a space
        assertThat(decodedAsTheReference("see https://x.example/?q=card+4111%201111 and width=100%25"))
                .containsExactly("percent: https://x.example/?q=card 4111 1111");
        assertThat(decodedAsTheReference("%%%41%42xyz %")).containsExactly("percent: %%ABxyz");
    }

    private static String wrap(String encoded, int width, String eol) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < encoded.length(); k += width) {
            sb.append(k == 0 ? "" : eol).append(encoded, k, Math.min(encoded.length(), k + width));
        }
        return sb.toString();
    }

    @Test
    void base64AndHexWrappedAtAnyWidthAreJoined() throws Exception {
        String text = "statement: the card on file is " + CARD + ", expiring 12/29";
        for (int width : new int[] {8, 13, 18, 20, 42, 64}) {
            for (String eol : new String[] {"\n", "\r\n"}) {
                String wrapped = wrap(b64(text), width, eol);
                assertThat(decodedAsTheReference(wrapped)).as("width %d", width).containsExactly("base64: " + text);
                assertThat(decodedAsTheReference("blob:" + eol + wrapped + eol + "-- end")).as("width %d", width)
                        .containsExactly("base64: " + text);
                assertThat(decodedAsTheReference(wrap(hex(text), width, eol))).as("width %d", width)
                        .containsExactly("hex: " + text);
            }
        }
        assertThat(findingsIn("backup:\n" + wrap(b64("card " + CARD + " exp 12/29"), 20, "\n") + "\n", "notes.txt"))
                .containsExactly("attachment:notes.txt \u2192 base64 payment-card");
        assertThat(findingsIn("dump:\n" + wrap(hex("SSN 123-45-6789 for payroll"), 16, "\n") + "\n", "notes.txt"))
                .containsExactly("attachment:notes.txt \u2192 hex us-ssn");
        // a line longer than the first ends the run of one width; a last line shorter than 8 chars still joins
        String encoded = b64(text);
        assertThat(decodedAsTheReference(encoded.substring(0, 20) + "\n" + encoded.substring(20)))
                .doesNotContain("base64: " + text);
        assertThat(decodedAsTheReference(encoded.substring(0, encoded.length() - 3) + "\n"
                + encoded.substring(encoded.length() - 3))).containsExactly("base64: " + text);
    }

    @Test
    void valuesOnLinesOfOneLengthThatAreNoOneTextAreReadLineByLine() {
        String a = Base64.getEncoder().withoutPadding().encodeToString("alpha-user-01".getBytes(StandardCharsets.UTF_8));
        String b = Base64.getEncoder().withoutPadding().encodeToString("bravo-user-02".getBytes(StandardCharsets.UTF_8));
        assertThat(a).hasSize(b.length());
        assertThat(a.length() % 4).isNotZero();
        assertThat(decodedAsTheReference(a + "\n" + b + "\n"))
                .containsExactly("base64: alpha-user-01\n\nbravo-user-02");
    }

    @Test
    void shortLinesOfProseFiguresHashesAndWordsAreNotDecoded() throws Exception {
        String text = "Hello team,\nplease find\nattached the\nquarterly\nnumbers\n\n"
                + "Invoices\n20261204\n20261205\n20261130\n\n"
                + "Totals\n12345678\n87654321\n11223344\n99887766\n\n"
                + "ProjectAlpha\nProjectGamma\nProjectDelta\n\n"
                + "Reviewers\nalexander\nkatharina\nstephanie\nChristoph\n\n"
                + "3f786850\ne387550f\nfdab836e\n3f78685 fix the build\ne387550 merge branch main\n"
                + "Donaudampfschifffahrtsgesellschaft\nSchifffahrtskapitaensmuetze\n";
        assertThat(decodedAsTheReference(text)).isEmpty();
        assertThat(findingsIn(text, "notes.txt")).isEmpty();
    }

    @Test
    void hexAndBase64GluedToAWordAreDecoded() throws Exception {
        String card = "card " + CARD + " exp 12/29";
        for (String word : new String[] {"key", "abc", "v2", "secret", "token"}) {
            assertThat(decodedAsTheReference("x " + word + hex(card) + " y")).as(word).containsExactly("hex: " + card);
        }
        // hex letters at the word's end that pair up are read with the value: as a whole run their bytes are kept as
        // malformed chars, as a glued reading cut off
        assertThat(decodedAsTheReference("x abcd" + hex(card) + " y")).containsExactly("hex: \ufffd\ufffd" + card);
        assertThat(decodedAsTheReference("x 2fa" + hex(card) + " y")).containsExactly("hex: " + card);
        for (String word : new String[] {"abc", "key", "secret", "password", "my"}) {
            assertThat(decodedAsTheReference("x " + word + b64(card) + " y")).as(word)
                    .containsExactly("base64: " + card);
        }
        // a value longer than the probe: the probe, too, is read without the word's bytes
        String longText = "statement for the quarter; the card on file is " + CARD + "; please keep it safe.";
        assertThat(b64(longText).length()).isGreaterThan(EmbeddedEncodings.PROBE_CHARS);
        assertThat(decodedAsTheReference("x secret" + b64(longText) + " y")).containsExactly("base64: " + longText);
        assertThat(findingsIn("config key" + hex(card) + " and pwd" + b64("SSN 123-45-6789") + "\n", "notes.txt"))
                .containsExactlyInAnyOrder("attachment:notes.txt \u2192 hex payment-card",
                        "attachment:notes.txt \u2192 base64 us-ssn");
    }

    @Test
    void aCardInBase64GluedToAnyWordOrInHexWithAWordAfterItIsFound() throws Exception {
        for (String card : new String[] {"4111111111111111", "5555555555554444"}) {
            String b64 = b64(card);
            String bare = b64.replace("=", "");
            for (String word : new String[] {"key", "ab", "data", "abcde", "abcdef", "abcdefg", "abcdefgh", "secret", "pwd"}) {
                for (String value : new String[] {b64, bare}) {
                    assertThat(findingsIn("note " + word + value + " end\n", "notes.txt")).as(word + value)
                            .containsExactly("attachment:notes.txt \u2192 base64 payment-card");
                }
            }
            for (String glued : new String[] {"key" + hex(card) + "X", hex(card) + "zz", hex(card) + "abc",
                    "dump" + hex(card) + "end", "key" + hex(card) + "x end", hex(card) + "abcd", hex(card) + "deadbeef",
                    hex(card) + "0000", "zz" + hex(card) + "abcde", "0x" + hex(card) + "z"}) {
                assertThat(findingsIn("note " + glued + " end\n", "notes.txt")).as(glued)
                        .containsExactly("attachment:notes.txt \u2192 hex payment-card");
            }
            // bytes that are no text around a base64 value: a glued word's tail, binary before or after it
            for (String value : new String[] {"key" + b64(card).replace("=", "") + "end",
                    Base64.getEncoder().encodeToString(("\0" + card).getBytes(StandardCharsets.ISO_8859_1)),
                    Base64.getEncoder().encodeToString(("\u00ff\u00fe" + card).getBytes(StandardCharsets.ISO_8859_1)),
                    Base64.getEncoder().encodeToString((card + "\0\0").getBytes(StandardCharsets.ISO_8859_1)),
                    Base64.getEncoder().encodeToString(("card " + card + "\0\0\0").getBytes(StandardCharsets.ISO_8859_1))}) {
                assertThat(findingsIn("v " + value + " x\n", "notes.txt")).as(value)
                        .containsExactly("attachment:notes.txt \u2192 base64 payment-card");
            }
        }
    }

    @Test
    void identifiersHashesAndBinaryGluedToWordsAreNotDecoded() {
        byte[] random = new byte[48];
        new java.util.Random(3).nextBytes(random);
        String text = "call getUserAccountSettingsById and AbstractSingletonProxyFactoryBean\n"
                + "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
                + "build-20261204123456 id=ab12cd34ef56ab78cd90 blob key" + Base64.getEncoder().encodeToString(random)
                + "\nfile Quarterly_Report_2026_final_v3.xlsx in SharedDocuments/Finance/Reports2026\n"
                + "commit 3f786850e387550fdab836ed7e6dc881de23001b and e3b0c44298fc1c149afbf4c8996fb92427ae41e4\n"
                + "rev3f786850e387550fdab836ed7e6dc881de23001bfix and id0123456789abcdef0123456789abcdefX\n";
        assertThat(decodedAsTheReference(text)).isEmpty();
    }

    private static String spaced(String s, String prefix, String sep) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            sb.append(sb.length() == 0 ? "" : sep).append(prefix).append(String.format("%02x", b));
        }
        return sb.toString();
    }

    @Test
    void separatedHexBytesAreDecoded() throws Exception {
        String card = "card " + CARD;
        for (String sep : new String[] {" ", ":", "-", ",", ", ", "  ", "\n", "\r\n", ",\n"}) {
            assertThat(decodedAsTheReference("bytes " + spaced(card, "", sep) + ".")).as("'%s'", sep)
                    .containsExactly("hex: " + card);
            assertThat(decodedAsTheReference("{" + spaced(card, "0x", sep) + "}")).as("'%s'", sep)
                    .containsExactly("hex: " + card);
        }
        // wherever the sequence starts, and whatever separator the fast search's stops fall in, it is found
        for (int pad = 0; pad < 24; pad++) {
            String before = "word ".repeat(pad / 5) + "x".repeat(pad % 5) + " ";
            for (String sep : new String[] {", ", ",\r\n", "\r\n", "  ", "-", "/"}) {
                String text = before + spaced(card, "", sep) + " " + before;
                List<String> decoded = decodedAsTheReference(text);
                if (!sep.equals("/")) {
                    assertThat(decoded).as("%d '%s'", pad, sep).contains("hex: " + card);
                }
            }
        }
        // a hex dump: sixteen bytes a line, two blanks in the middle
        String dump = spaced(card.substring(0, 8), "", " ") + "  " + spaced(card.substring(8, 16), "", " ") + "\n"
                + spaced(card.substring(16), "", " ") + "\n";
        assertThat(decodedAsTheReference(dump)).containsExactly("hex: " + card);
        // eight bytes are enough, seven are not; one kind of separator
        assertThat(decodedAsTheReference(spaced("4111-11", "", " "))).isEmpty();
        assertThat(decodedAsTheReference(spaced("4111-111", "", " "))).containsExactly("hex: 4111-111");
        assertThat(decodedAsTheReference(spaced("4111", "", ":") + " " + spaced("1111", "", ":"))).isEmpty();
        assertThat(findingsIn("see " + spaced("card " + CARD, "", " ") + " and " + spaced("SSN 123-45-6789", "0x", ", ")
                + "\n", "notes.txt")).containsExactlyInAnyOrder("attachment:notes.txt \u2192 hex payment-card",
                        "attachment:notes.txt \u2192 hex us-ssn");
    }

    @Test
    void macAddressesTimesPhoneNumbersAndFiguresAreNotDecodedAsBytes() throws Exception {
        String text = "eth0 00:1a:2b:3c:4d:5e, wlan0 00:1a:2b:3c:4d:5f, 00:1a:2b:3c:4d:60\n"
                + "02:42:ac:11:00:02\n02:42:ac:11:00:03\nat 12:34:56 on 04-12-26; tel 01 23 45 67 89, 06 12 34 56 78\n"
                + "glued x34 31 31 31 31 31 31 31, 3431 3131 3131 3131, 34 31:31 31-31 31 31 31\n"
                + "scores 12 08 15 03 11 09 14 07 10 02\n";
        assertThat(decodedAsTheReference(text)).isEmpty();
        // a row of two-digit figures between 20 and 7e reads as text: scanned, and no value in it
        String figures = "Q1 45 67 23 56 78 34 29 61 52 47\n";
        assertThat(decodedAsTheReference(figures)).containsExactly("hex: Eg#Vx4)aRG");
        assertThat(findingsIn(text + figures, "notes.txt")).isEmpty();
    }
}
