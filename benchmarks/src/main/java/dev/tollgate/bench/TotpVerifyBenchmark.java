package dev.tollgate.bench;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.tollgate.core.mfa.InMemoryReplayGuard;
import dev.tollgate.core.mfa.Totp;
import dev.tollgate.core.mfa.TotpAlgorithm;
import dev.tollgate.core.mfa.TotpSecret;
import dev.tollgate.core.mfa.TotpVerifier;

/**
 * Verify-with-replay-check, the per-AUTH cost of a TOTP login without the password hash: the ±1-step window
 * (3 HMACs, constant-time compares) plus the atomic replay guard.
 *
 * <ul>
 *   <li>{@code accept}: a correct code for a key never seen (the guard records a new watermark);</li>
 *   <li>{@code replay}: the same correct code again (window computed, guard refuses);</li>
 *   <li>{@code wrong}: a well-formed wrong code (window computed, guard not consulted).</li>
 * </ul>
 * Run as {@code benchmarks/README.md} says, naming {@code TotpVerifyBenchmark}. Mode {@code SampleTime} gives
 * percentiles (p99) as well as the mean; ops/s is its inverse.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TotpVerifyBenchmark {
    @Param({"SHA1", "SHA512"})
    public String algorithm;

    private TotpVerifier verifier;
    private TotpVerifier fresh;
    private Totp totp;
    private TotpSecret secret;
    private String code;
    private String wrong;
    private long counter;

    @Setup
    public void setUp() {
        TotpAlgorithm alg = TotpAlgorithm.valueOf(algorithm);
        Clock clock = Clock.fixed(Instant.parse("2026-03-01T10:00:05Z"), ZoneOffset.UTC);
        totp = Totp.builder().algorithm(alg).digits(6).window(1).clock(clock).build();
        secret = TotpSecret.generate(new java.security.SecureRandom(), alg.outputBytes());
        verifier = TotpVerifier.of(totp, new InMemoryReplayGuard());
        code = totp.generate(secret, clock.instant());
        String w = "000000";
        for (int i = 0; totp.verify(secret, w).isPresent(); i++) {
            w = String.format("%06d", i * 7919 % 1_000_000);
        }
        wrong = w;
        verifier.verify("replayed-user", secret, code);
        fresh = TotpVerifier.of(totp, new InMemoryReplayGuard());
    }

    @Benchmark
    public boolean accept() {
        if ((++counter & 0xFFFF) == 0) {
            fresh = TotpVerifier.of(totp, new InMemoryReplayGuard()); // bounded memory: 65 536 keys per guard
        }
        return fresh.verify("user-" + counter, secret, code).isAccepted();
    }

    @Benchmark
    public boolean replay() {
        return verifier.verify("replayed-user", secret, code).isAccepted();
    }

    @Benchmark
    public boolean wrong() {
        return verifier.verify("replayed-user", secret, wrong).isAccepted();
    }
}
