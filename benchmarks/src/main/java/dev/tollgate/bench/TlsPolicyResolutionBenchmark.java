package dev.tollgate.bench;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.tollgate.core.tls.EffectiveTlsPolicy;
import dev.tollgate.core.tls.MtaStsPolicy;
import dev.tollgate.core.tls.MtaStsPolicyCache;
import dev.tollgate.core.tls.TlsPolicyMap;
import dev.tollgate.core.tls.TlsPolicyResolver;
import dev.tollgate.core.tls.TlsSecurityLevel;

/** Policy resolution on cache hit (target: under 5 µs per decision). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TlsPolicyResolutionBenchmark {
    private static final String POLICY = "version: STSv1\nmode: enforce\nmx: mx1.sts.example\nmx: *.sts.example\nmax_age: 86400\n";

    private TlsPolicyResolver resolver;

    @Setup
    public void setUp() throws Exception {
        StringBuilder map = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            map.append("domain").append(i).append(".example verify\n");
        }
        map.append(".partner.example encrypt protocols=>=TLSv1.3\n");
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        MtaStsPolicy policy = MtaStsPolicy.parse(POLICY);
        MtaStsPolicyCache cache = MtaStsPolicyCache.create(domain -> policy, clock);
        resolver = TlsPolicyResolver.builder().policyMap(TlsPolicyMap.parse(map.toString(), "policyMap"))
                .defaultLevel(TlsSecurityLevel.MAY)
                .mtaSts(cache, domain -> List.of("v=STSv1; id=20260101"))
                .build();
        // Warm the MTA-STS cache: the first resolution fetches, the benchmark then only hits.
        if (resolver.resolve("sts.example").level() != TlsSecurityLevel.MTA_STS) {
            throw new IllegalStateException("MTA-STS policy not applied");
        }
    }

    @Benchmark
    public EffectiveTlsPolicy policyMapParentEntry() {
        return resolver.resolve("mail.partner.example");
    }

    @Benchmark
    public EffectiveTlsPolicy mtaStsCacheHit() {
        return resolver.resolve("sts.example");
    }
}
