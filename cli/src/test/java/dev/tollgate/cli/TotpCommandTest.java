package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tollgate.core.mfa.OtpAuthUri;

class TotpCommandTest {
    /** Base32 of the RFC 6238 Appendix B SHA-1 seed "12345678901234567890". */
    static final String SEED_SHA1 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    /** Base32 of the 32-byte SHA-256 seed. */
    static final String SEED_SHA256 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA";

    static CheckConfigCommandTest.Run run(String... args) {
        return CheckConfigCommandTest.run(args);
    }

    @Test
    void codeMatchesRfc6238Vectors() {
        assertThat(run("totp", "code", "--secret", SEED_SHA1, "--digits", "8", "--time", "59").out.trim()).isEqualTo("94287082");
        assertThat(run("totp", "code", "--secret", SEED_SHA256, "--algorithm", "SHA256", "--digits", "8",
                "--time", "1111111109").out.trim()).isEqualTo("68084774");
    }

    @Test
    void sixDigitCodesKeepLeadingZeros() {
        assertThat(run("totp", "code", "--secret", SEED_SHA1, "--time", "1111111109").out.trim()).isEqualTo("081804");
        assertThat(run("totp", "code", "--secret", SEED_SHA1, "--time", "1234567890").out.trim()).isEqualTo("005924");
    }

    @Test
    void secretCanComeFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("secret");
        Files.writeString(file, SEED_SHA1.toLowerCase() + "\n", StandardCharsets.US_ASCII);
        assertThat(run("totp", "code", "--secret-file", file.toString(), "--time", "1111111109").out.trim()).isEqualTo("081804");
    }

    @Test
    void verifyAcceptsWithinTheWindowAndRefusesOutside() {
        CheckConfigCommandTest.Run ok = run("totp", "verify", "--secret", SEED_SHA1, "--code", "081804", "--time", "1111111130");
        assertThat(ok.exit).isZero();
        assertThat(ok.out).contains("valid (time step 37037036)");
        CheckConfigCommandTest.Run late = run("totp", "verify", "--secret", SEED_SHA1, "--code", "081804", "--time", "1111111200");
        assertThat(late.exit).isEqualTo(1);
        assertThat(late.out.trim()).isEqualTo("invalid");
    }

    @Test
    void uriRoundTripsThroughTheParser() {
        String uri = run("totp", "uri", "--secret", SEED_SHA1, "--account", "alice@example.com", "--issuer", "Example").out.trim();
        OtpAuthUri parsed = OtpAuthUri.parse(uri);
        assertThat(parsed.account()).isEqualTo("alice@example.com");
        assertThat(parsed.issuer()).isEqualTo("Example");
        assertThat(parsed.secret().toBase32()).isEqualTo(SEED_SHA1);
    }

    @Test
    void enrollGeneratesA160BitSecretAndItsUri() {
        String out = run("totp", "enroll", "--account", "bob@example.com").out;
        String secret = out.lines().filter(l -> l.startsWith("secret: ")).findFirst().orElseThrow().substring(8);
        String uri = out.lines().filter(l -> l.startsWith("uri:")).findFirst().orElseThrow().substring(4).trim();
        assertThat(OtpAuthUri.parse(uri).secret().toBase32()).isEqualTo(secret);
        assertThat(OtpAuthUri.parse(uri).secret().bits()).isGreaterThanOrEqualTo(160);
    }

    @Test
    void badSecretIsAUsageErrorThatDoesNotEchoIt() {
        CheckConfigCommandTest.Run bad = run("totp", "code", "--secret", "NOT*BASE32SECRETVALUE");
        assertThat(bad.exit).isEqualTo(2);
        assertThat(bad.err).doesNotContain("NOT*BASE32SECRETVALUE").contains("tollgate totp code:");
    }

    @Test
    void shortImportedSecretIsRefused() {
        CheckConfigCommandTest.Run shortSecret = run("totp", "code", "--secret", "GEZDGNBVGY3TQOJQ");
        assertThat(shortSecret.exit).isEqualTo(2);
    }

    @Test
    void codeFromAnEnrolmentUriTakesSecretAlgorithmDigitsAndPeriodFromIt() {
        // The Key Uri Format's defaults: SHA1, 6 digits, 30 s.
        assertThat(run("totp", "code", "--uri", "otpauth://totp/Tollgate:alice@example.com?secret=" + SEED_SHA1
                + "&issuer=Tollgate", "--time", "1111111109").out.trim()).isEqualTo("081804");
        // RFC 6238 Appendix B, SHA-256, 8 digits
        assertThat(run("totp", "code", "--uri", "otpauth://totp/alice?secret=" + SEED_SHA256
                + "&algorithm=SHA256&digits=8&period=30", "--time", "1111111109").out.trim()).isEqualTo("68084774");
        // period=60 makes time 1111111109 step 18518518, the step of time 555555554 at 30 s
        String at60 = run("totp", "code", "--uri", "otpauth://totp/alice?secret=" + SEED_SHA1 + "&period=60",
                "--time", "1111111109").out.trim();
        assertThat(at60).isEqualTo(run("totp", "code", "--secret", SEED_SHA1, "--time", "555555554").out.trim())
                .isNotEqualTo("081804");
    }

    @Test
    void theUriPrintedByTotpUriGivesTheSameCodes(@TempDir Path dir) throws Exception {
        String uri = run("totp", "uri", "--secret", SEED_SHA256, "--algorithm", "SHA512", "--digits", "8",
                "--period", "45", "--account", "bob@example.com").out.trim();
        String expected = run("totp", "code", "--secret", SEED_SHA256, "--algorithm", "SHA512", "--digits", "8",
                "--period", "45", "--time", "2000000000").out.trim();
        assertThat(expected).hasSize(8);
        assertThat(run("totp", "code", "--uri", uri, "--time", "2000000000").out.trim()).isEqualTo(expected);
        Path file = dir.resolve("uri");
        Files.writeString(file, uri + "\n", StandardCharsets.UTF_8);
        assertThat(run("totp", "code", "--uri-file", file.toString(), "--time", "2000000000").out.trim()).isEqualTo(expected);
        CheckConfigCommandTest.Run ok = run("totp", "verify", "--uri-file", file.toString(), "--code", expected,
                "--time", "2000000010");
        assertThat(ok.exit).isZero();
        assertThat(ok.out).startsWith("valid");
    }

    @Test
    void badUrisAreUsageErrorsThatNameTheProblemAndNeverEchoTheSecret() {
        BadUri[] cases = {
            BadUri.of("https://example.com/?secret=" + SEED_SHA1, "not an otpauth:// URI"),
            BadUri.of("otpauth://hotp/alice?secret=" + SEED_SHA1 + "&counter=1", "only otpauth://totp/"),
            BadUri.of("otpauth://totp/alice?issuer=Tollgate", "no secret"),
            BadUri.of("otpauth://totp/alice?secret=" + SEED_SHA1 + "&digits=x", "digits"),
            BadUri.of("otpauth://totp/alice?secret=" + SEED_SHA1 + "&digits=5", "digits"),
            BadUri.of("otpauth://totp/alice?secret=" + SEED_SHA1 + "&algorithm=MD5", "algorithm"),
            BadUri.of("otpauth://totp/alice?secret=" + SEED_SHA1 + "&period=0", "period"),
            BadUri.of("otpauth://totp/alice?secret=GEZDGNBVGY3TQOJQ", "bits"),
            BadUri.of("otpauth://totp/alice?secret=NOT*BASE32", "Base32"),
        };
        for (BadUri c : cases) {
            CheckConfigCommandTest.Run bad = run("totp", "code", "--uri", c.uri);
            assertThat(bad.exit).as(c.uri).isEqualTo(2);
            assertThat(bad.err).as(c.uri).startsWith("tollgate totp code: --uri: ").containsIgnoringCase(c.expectedProblem)
                    .contains("expected otpauth://totp/LABEL?secret=BASE32").doesNotContain(SEED_SHA1)
                    .doesNotContain("NOT*BASE32");
            assertThat(bad.out).as(c.uri).isEmpty();
        }
    }

    @Test
    void aUriSaysTheParametersSoTheyCannotAlsoBeGiven() {
        String uri = "otpauth://totp/alice?secret=" + SEED_SHA1;
        for (OptionValue o : new OptionValue[] {OptionValue.of("--digits", "8"), OptionValue.of("--algorithm", "SHA1"),
                OptionValue.of("--period", "30")}) {
            CheckConfigCommandTest.Run both = run("totp", "code", "--uri", uri, o.option, o.value);
            assertThat(both.exit).as(o.option).isEqualTo(2);
            assertThat(both.err).contains(o.option + " cannot be given with --uri");
        }
        CheckConfigCommandTest.Run twoSources = run("totp", "code", "--uri", uri, "--secret", SEED_SHA1);
        assertThat(twoSources.exit).isEqualTo(2);
        assertThat(twoSources.err).contains("mutually exclusive");
    }

    /** An otpauth URI {@code tollgate totp} must refuse, and the words its error must contain. */
    static final class BadUri {
        final String uri;
        final String expectedProblem;

        private BadUri(String uri, String expectedProblem) {
            this.uri = uri;
            this.expectedProblem = expectedProblem;
        }

        static BadUri of(String uri, String expectedProblem) {
            return new BadUri(uri, expectedProblem);
        }
    }

    /** A command-line option with its value. */
    static final class OptionValue {
        final String option;
        final String value;

        private OptionValue(String option, String value) {
            this.option = option;
            this.value = value;
        }

        static OptionValue of(String option, String value) {
            return new OptionValue(option, value);
        }
    }
}
