package dev.tollgate.core.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TotpVerifierTest {
    private final TotpSecret secret = TotpSecret.generate();
    private final Instant now = Instant.ofEpochSecond(1_700_000_000L);
    private final Totp totp = Totp.builder().clock(Clock.fixed(now, ZoneOffset.UTC)).build();
    private final TotpVerifier verifier = TotpVerifier.of(totp, ReplayGuard.inMemory());

    @Test
    void acceptsACorrectCodeOnceThenReportsReplay() {
        String code = totp.generate(secret, now);
        TotpVerifier.Result first = verifier.verify("alice", secret, code);
        assertThat(first.status()).isEqualTo(TotpVerifier.Status.ACCEPTED);
        assertThat(first.step()).contains(TimeStep.at(now));
        TotpVerifier.Result second = verifier.verify("alice", secret, code);
        assertThat(second.status()).isEqualTo(TotpVerifier.Status.REPLAYED);
        assertThat(second.isAccepted()).isFalse();
    }

    @Test
    void olderCodeInsideTheWindowIsRefusedAfterANewerOne() {
        TimeStep current = TimeStep.at(now);
        String previousCode = totp.generate(secret, TimeStep.of(current.value() - 1));
        String currentCode = totp.generate(secret, current);
        assertThat(verifier.verify("alice", secret, currentCode).isAccepted()).isTrue();
        if (!previousCode.equals(currentCode)) {
            assertThat(verifier.verify("alice", secret, previousCode).status())
                    .isEqualTo(TotpVerifier.Status.REPLAYED);
        }
    }

    @Test
    void wrongAndMalformedCodesAreDistinguished() {
        String code = totp.generate(secret, now);
        String wrong = String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
        TotpVerifier.Result r = verifier.verify("alice", secret, wrong);
        if (totp.verify(secret, wrong).isEmpty()) {
            assertThat(r.status()).isEqualTo(TotpVerifier.Status.WRONG_CODE);
            assertThat(r.step()).isEmpty();
        }
        assertThat(verifier.verify("alice", secret, "12345").status()).isEqualTo(TotpVerifier.Status.MALFORMED);
        assertThat(verifier.verify("alice", secret, "12a456").status()).isEqualTo(TotpVerifier.Status.MALFORMED);
        // a wrong code does not consume the watermark
        assertThat(verifier.verify("alice", secret, code).isAccepted()).isTrue();
    }

    @Test
    void replayKeysAreIndependent() {
        String code = totp.generate(secret, now);
        assertThat(verifier.verify("alice", secret, code).isAccepted()).isTrue();
        assertThat(verifier.verify("bob", secret, code).isAccepted()).isTrue();
    }
}
