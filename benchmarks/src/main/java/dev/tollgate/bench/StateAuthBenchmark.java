package dev.tollgate.bench;

import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.mfa.AppPasswordHasher;
import dev.tollgate.core.mfa.MfaService;
import dev.tollgate.core.mfa.MfaServiceConfig;
import dev.tollgate.core.mfa.OtpAuthUri;
import dev.tollgate.core.mfa.RecordSealer;
import dev.tollgate.core.mfa.Totp;
import dev.tollgate.core.state.StateConfig;
import dev.tollgate.core.state.StateStore;
import dev.tollgate.core.state.cassandra.CassandraSessions;
import dev.tollgate.core.state.memory.InMemoryStateStore;

/**
 * One SMTP AUTH with password and TOTP code against the state store, without the password hash (the password
 * check is a constant): throttle check (the user's and the client network's failures), the sealed enrolment read
 * and opened, the code verified (±1 step) and the replay watermark moved, the user's failures cleared.
 * {@code backend=memory} beside {@code backend=cassandra} (a Cassandra on loopback:
 * {@code -Dtollgate.bench.cassandra=127.0.0.1:9042}; keyspace {@code tollgate_bench}).
 *
 * <ul>
 *   <li>{@code authTotp}: the AUTH above; each call is one 30 s step later (the service's clock is moved), so every
 *       code is fresh and accepted;</li>
 *   <li>{@code watermarkLwt}: the replay watermark's compare-and-set alone (one lightweight transaction on
 *       Cassandra);</li>
 *   <li>{@code plainWrite}: one plain {@code LOCAL_QUORUM} write (an app-password use), for the LWT's cost.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class StateAuthBenchmark {
    @Param({"memory", "cassandra"})
    public String backend;

    /** A clock moved by hand. */
    static final class SteppingClock extends Clock {
        volatile Instant now = Instant.parse("2026-03-01T10:00:05Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** One user per fork: watermarks persist in Cassandra and never move back. */
    private final String user = "bench-" + System.nanoTime() + "@example.com";
    private final SteppingClock clock = new SteppingClock();
    private StateStore state;
    private MfaService mfa;
    private Totp totp;
    private OtpAuthUri uri;
    private String name;
    private long step = 1_000_000_000L;

    @Setup
    public void setUp() throws Exception {
        if (backend.equals("cassandra")) {
            String contact = System.getProperty("tollgate.bench.cassandra", "127.0.0.1:9042");
            state = CassandraSessions.open(StateConfig.parse(Parameters.of(Map.of("backend", "cassandra",
                    "cassandra.session", "own", "cassandra.contactPoints", contact, "cassandra.keyspace", "tollgate_bench",
                    "cassandra.requestTimeout", "10s"))), Paths.get("."));
        } else {
            state = InMemoryStateStore.create();
        }
        RecordSealer sealer = new RecordSealer(new byte[32]);
        mfa = new MfaService(state, sealer, MfaServiceConfig.parse(Parameters.of(Map.of())),
                AppPasswordHasher.argon2id(64, 1, 1), clock);
        uri = mfa.enroll(user);
        totp = uri.totpBuilder().clock(clock).build();
        mfa.confirm(user, totp.generate(uri.secret(), clock.instant()));
        name = sealer.recordName(user + " watermark");
        step += System.nanoTime() % 1_000_000;
    }

    @TearDown
    public void tearDown() {
        state.close();
    }

    @Benchmark
    public MfaService.Outcome authTotp() {
        clock.now = clock.now.plus(Duration.ofSeconds(30));
        String code = totp.generate(uri.secret(), clock.now);
        MfaService.Outcome o = mfa.authenticate(user, "pw" + code, "192.0.2.1", (u, p) -> true, false).outcome();
        if (o != MfaService.Outcome.SUCCESS) {
            throw new IllegalStateException("AUTH " + o);
        }
        return o;
    }

    @Benchmark
    public boolean watermarkLwt() throws Exception {
        return state.watermarks().advance(name, ++step);
    }

    @Benchmark
    public Instant plainWrite() throws Exception {
        Instant at = Instant.now();
        state.appPasswordUses().recordUse(name, "bench", at, "192.0.2.1");
        return at;
    }
}
