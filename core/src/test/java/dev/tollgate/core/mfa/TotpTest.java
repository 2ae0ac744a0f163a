package dev.tollgate.core.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TotpTest {

    /** RFC 6238 Appendix B seeds: ASCII "1234567890" repeated to the HMAC output length. */
    static TotpSecret rfcSeed(TotpAlgorithm algorithm) {
        String digits = "1234567890";
        StringBuilder seed = new StringBuilder();
        while (seed.length() < algorithm.outputBytes()) {
            seed.append(digits);
        }
        return TotpSecret.fromBytes(seed.substring(0, algorithm.outputBytes()).getBytes(StandardCharsets.US_ASCII));
    }

    static Totp totp(TotpAlgorithm algorithm, int digits, long epochSecond) {
        return Totp.builder().algorithm(algorithm).digits(digits)
                .clock(Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC)).build();
    }

    /** All 18 RFC 6238 Appendix B vectors. */
    @ParameterizedTest
    @CsvSource({
            "59,94287082,SHA1", "59,46119246,SHA256", "59,90693936,SHA512",
            "1111111109,07081804,SHA1", "1111111109,68084774,SHA256", "1111111109,25091201,SHA512",
            "1111111111,14050471,SHA1", "1111111111,67062674,SHA256", "1111111111,99943326,SHA512",
            "1234567890,89005924,SHA1", "1234567890,91819424,SHA256", "1234567890,93441116,SHA512",
            "2000000000,69279037,SHA1", "2000000000,90698825,SHA256", "2000000000,38618901,SHA512",
            "20000000000,65353130,SHA1", "20000000000,77737706,SHA256", "20000000000,47863826,SHA512"})
    void rfc6238AppendixB(long time, String code, TotpAlgorithm algorithm) {
        Totp totp = totp(algorithm, 8, time);
        TotpSecret seed = rfcSeed(algorithm);
        assertThat(totp.generate(seed, Instant.ofEpochSecond(time))).isEqualTo(code);
        assertThat(totp.verify(seed, code)).contains(TimeStep.at(Instant.ofEpochSecond(time)));
    }

    @Test
    void seedLengthsMatchTheAlgorithm() {
        assertThat(rfcSeed(TotpAlgorithm.SHA1).bits()).isEqualTo(160);
        assertThat(rfcSeed(TotpAlgorithm.SHA256).bits()).isEqualTo(256);
        assertThat(rfcSeed(TotpAlgorithm.SHA512).bits()).isEqualTo(512);
        assertThat(new String(rfcSeed(TotpAlgorithm.SHA256).bytes(), StandardCharsets.US_ASCII))
                .isEqualTo("12345678901234567890123456789012");
    }

    @Test
    void sixDigitCodesKeepLeadingZeros() {
        TotpSecret seed = rfcSeed(TotpAlgorithm.SHA1);
        assertThat(totp(TotpAlgorithm.SHA1, 6, 0).generate(seed, Instant.ofEpochSecond(1111111109L)))
                .isEqualTo("081804");
        assertThat(totp(TotpAlgorithm.SHA1, 6, 0).generate(seed, Instant.ofEpochSecond(1234567890L)))
                .isEqualTo("005924");
        assertThat(totp(TotpAlgorithm.SHA1, 6, 1234567890L).verify(seed, "005924")).isPresent();
        assertThat(totp(TotpAlgorithm.SHA1, 6, 1234567890L).verify(seed, "5924")).isEmpty();
    }

    @Test
    void acceptsOneStepEitherSideByDefaultButNotTwo() {
        TotpSecret secret = TotpSecret.generate();
        long now = 1_700_000_010L; // step 56666667
        Totp totp = totp(TotpAlgorithm.SHA1, 6, now);
        TimeStep current = TimeStep.at(Instant.ofEpochSecond(now));
        for (long delta = -1; delta <= 1; delta++) {
            TimeStep step = TimeStep.of(current.value() + delta);
            assertThat(totp.verify(secret, totp.generate(secret, step))).contains(step);
        }
        for (long delta : new long[] {-2, 2}) {
            TimeStep step = TimeStep.of(current.value() + delta);
            String code = totp.generate(secret, step);
            // guard against a (1 in a million) collision with a code inside the window
            boolean collides = false;
            for (long d = -1; d <= 1; d++) {
                collides |= totp.generate(secret, TimeStep.of(current.value() + d)).equals(code);
            }
            if (!collides) {
                assertThat(totp.verify(secret, code)).isEmpty();
            }
        }
    }

    @Test
    void windowZeroAcceptsOnlyTheCurrentStep() {
        TotpSecret secret = rfcSeed(TotpAlgorithm.SHA1);
        Totp strict = Totp.builder().window(0).digits(8)
                .clock(Clock.fixed(Instant.ofEpochSecond(89), ZoneOffset.UTC)).build();
        // 94287082 is the code of step 1 (t=59); t=89 is step 2
        assertThat(strict.verify(secret, "94287082")).isEmpty();
        Totp lenient = Totp.builder().window(1).digits(8)
                .clock(Clock.fixed(Instant.ofEpochSecond(89), ZoneOffset.UTC)).build();
        assertThat(lenient.verify(secret, "94287082")).contains(TimeStep.of(1));
    }

    @Test
    void windowAtTheEpochDoesNotGoNegative() {
        TotpSecret secret = rfcSeed(TotpAlgorithm.SHA1);
        Totp totp = Totp.builder().window(3).digits(8).clock(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)).build();
        assertThat(totp.verify(secret, totp.generate(secret, TimeStep.of(0)))).contains(TimeStep.of(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "12345", "1234567", "12345a", " 12345", "+12345", "１２３４５６", "١٢٣٤٥٦"})
    void malformedCandidatesAreRejected(String candidate) {
        Totp totp = totp(TotpAlgorithm.SHA1, 6, 59);
        assertThat(totp.isWellFormed(candidate)).isFalse();
        assertThat(totp.verify(rfcSeed(TotpAlgorithm.SHA1), candidate)).isEmpty();
    }

    @Test
    void nullCandidateIsMalformed() {
        assertThat(Totp.defaults().isWellFormed(null)).isFalse();
    }

    @Test
    void wrongCodeIsRejected() {
        Totp totp = totp(TotpAlgorithm.SHA1, 8, 59);
        assertThat(totp.verify(rfcSeed(TotpAlgorithm.SHA1), "94287083")).isEmpty();
        assertThat(totp.verify(rfcSeed(TotpAlgorithm.SHA256), "94287082")).isEmpty();
    }

    @Test
    void timeStepFollowsRfc6238Section4_2() {
        assertThat(TimeStep.at(Instant.ofEpochSecond(59)).value()).isEqualTo(1);
        assertThat(TimeStep.at(Instant.ofEpochSecond(60)).value()).isEqualTo(2);
        assertThat(TimeStep.at(Instant.ofEpochSecond(29, 999_999_999)).value()).isZero();
        assertThat(TimeStep.at(Instant.ofEpochSecond(120), Duration.ofSeconds(60)).value()).isEqualTo(2);
        assertThat(TimeStep.of(2).start(Duration.ofSeconds(30))).isEqualTo(Instant.ofEpochSecond(60));
        assertThat(TimeStep.of(3).isAfter(TimeStep.of(2))).isTrue();
        assertThat(TimeStep.of(2).isAfter(TimeStep.of(2))).isFalse();
        assertThatThrownBy(() -> TimeStep.at(Instant.ofEpochSecond(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TimeStep.at(Instant.EPOCH, Duration.ofMillis(1500)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TimeStep.of(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void builderRefusesBadSettings() {
        assertThatThrownBy(() -> Totp.builder().window(-1).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Totp.builder().window(11).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Totp.builder().digits(9).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Totp.builder().period(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void algorithmNamesParseCaseInsensitively() {
        assertThat(TotpAlgorithm.fromName("sha256")).isEqualTo(TotpAlgorithm.SHA256);
        assertThat(TotpAlgorithm.SHA512.macName()).isEqualTo("HmacSHA512");
        assertThatThrownBy(() -> TotpAlgorithm.fromName("MD5")).isInstanceOf(IllegalArgumentException.class);
    }
}
