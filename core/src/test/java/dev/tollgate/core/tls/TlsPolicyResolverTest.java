package dev.tollgate.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TlsPolicyResolverTest {
    private static final TlsaRecord USABLE = TlsaRecord.of(3, 1, 1, new byte[32]);
    private static final TlsaRecord UNUSABLE = TlsaRecord.of(1, 1, 1, new byte[32]);

    private final Clock clock = Clock.fixed(TestPki.NOW, ZoneOffset.UTC);
    private final Map<String, DaneLookupResult> dns = new HashMap<>();
    private final Map<String, List<String>> txt = new HashMap<>();
    private final Map<String, String> policies = new HashMap<>();
    private final List<String> daneQueries = new ArrayList<>();

    private final DaneLookup daneLookup = domain -> {
        daneQueries.add(domain);
        return dns.getOrDefault(domain, DaneLookupResult.insecure());
    };
    private final MtaStsPolicyFetcher fetcher = domain -> {
        String body = policies.get(domain);
        if (body == null) {
            throw new TlsPolicyException(TlsFailureReason.STS_POLICY_FETCH_ERROR, "no such policy");
        }
        return MtaStsPolicy.parse(body);
    };

    private TlsPolicyResolver resolver(String map) {
        return TlsPolicyResolver.builder()
                .policyMap(TlsPolicyMap.parse(map, "policyMap"))
                .daneLookup(daneLookup)
                .mtaSts(MtaStsPolicyCache.create(fetcher, clock), domain -> txt.getOrDefault(domain, List.of()))
                .defaultLevel(TlsSecurityLevel.MAY)
                .build();
    }

    private void sts(String domain, String mode) {
        txt.put(domain, List.of("v=STSv1; id=1;"));
        policies.put(domain, "version: STSv1\nmode: " + mode + "\nmx: *.mx." + domain + "\nmax_age: 86400\n");
    }

    @Test
    void defaultWhenNoSourceApplies() {
        EffectiveTlsPolicy p = resolver("").resolve("example.com");
        assertThat(p.level()).isEqualTo(TlsSecurityLevel.MAY);
        assertThat(p.source()).isEqualTo(EffectiveTlsPolicy.Source.DEFAULT);
        assertThat(p.requiresTls()).isFalse();
        assertThat(p.permitsMx("anything.example")).isTrue();
        assertThat(p.deferReason()).isEmpty();
        assertThat(p.reasons()).isNotEmpty();
    }

    @Test
    void policyMapBeatsDaneAndMtaSts() {
        dns.put("example.com", DaneLookupResult.secureWithTlsa(Map.of("mx.example.com", List.of(USABLE))));
        sts("example.com", "enforce");
        EffectiveTlsPolicy p = resolver("example.com encrypt protocols=>=TLSv1.2").resolve("Example.COM.");
        assertThat(p.level()).isEqualTo(TlsSecurityLevel.ENCRYPT);
        assertThat(p.source()).isEqualTo(EffectiveTlsPolicy.Source.POLICY_MAP);
        assertThat(p.mapEntry().orElseThrow().minimumProtocol()).contains("TLSv1.2");
        assertThat(p.mxPatterns()).isEmpty();
        assertThat(daneQueries).isEmpty();
    }

    @Test
    void daneBeatsMtaStsWhenUsableTlsaExist() {
        dns.put("example.com", DaneLookupResult.secureWithTlsa(Map.of("mx.example.com", List.of(USABLE))));
        sts("example.com", "enforce");
        EffectiveTlsPolicy p = resolver("").resolve("example.com");
        assertThat(p.level()).isEqualTo(TlsSecurityLevel.DANE);
        assertThat(p.source()).isEqualTo(EffectiveTlsPolicy.Source.DANE);
        assertThat(p.requiresTls()).isTrue();
        assertThat(p.verifiesPeer()).isTrue();
        assertThat(p.tlsaByMxHost()).containsKey("mx.example.com");
    }

    @Test
    void unusableTlsaMeansMandatoryUnauthenticatedTls() {
        dns.put("example.com", DaneLookupResult.secureWithTlsa(Map.of("mx.example.com", List.of(UNUSABLE))));
        EffectiveTlsPolicy p = resolver("").resolve("example.com");
        assertThat(p.level()).isEqualTo(TlsSecurityLevel.ENCRYPT);
        assertThat(p.verifiesPeer()).isFalse();
        assertThat(p.requiresTls()).isTrue();
    }

    @Test
    void daneLookupFailureDefers() {
        dns.put("example.com", DaneLookupResult.lookupFailure());
        sts("example.com", "enforce");
        EffectiveTlsPolicy p = resolver("").resolve("example.com");
        assertThat(p.deferReason()).contains(TlsFailureReason.DNSSEC_INVALID);
        assertThat(p.source()).isEqualTo(EffectiveTlsPolicy.Source.DANE);
    }

    @Test
    void secureWithoutTlsaFallsThroughToMtaStsEnforce() {
        dns.put("example.com", DaneLookupResult.secureNoTlsa());
        sts("example.com", "enforce");
        EffectiveTlsPolicy p = resolver("").resolve("example.com");
        assertThat(p.level()).isEqualTo(TlsSecurityLevel.MTA_STS);
        assertThat(p.source()).isEqualTo(EffectiveTlsPolicy.Source.MTA_STS);
        assertThat(p.mode()).isEqualTo(EffectiveTlsPolicy.Mode.ENFORCE);
        assertThat(p.permitsMx("a.mx.example.com")).isTrue();
        assertThat(p.permitsMx("mail.attacker.example")).isFalse();
        assertThat(p.permitsMx("mx.example.com")).isFalse();
    }

    @Test
    void mtaStsTestingIsMayWithReportingAndNoMxEnforcement() {
        sts("example.com", "testing");
        EffectiveTlsPolicy p = resolver("").resolve("example.com");
        assertThat(p.level()).isEqualTo(TlsSecurityLevel.MAY);
        assertThat(p.mode()).isEqualTo(EffectiveTlsPolicy.Mode.TESTING);
        assertThat(p.matchesMxPatterns("mail.attacker.example")).isFalse();
        assertThat(p.permitsMx("mail.attacker.example")).isTrue();
    }

    @Test
    void mtaStsNoneAndFetchFailureFallBackToDefault() {
        sts("none.example", "none");
        txt.put("broken.example", List.of("v=STSv1; id=1;"));
        TlsPolicyResolver r = resolver("");
        assertThat(r.resolve("none.example").source()).isEqualTo(EffectiveTlsPolicy.Source.DEFAULT);
        EffectiveTlsPolicy broken = r.resolve("broken.example");
        assertThat(broken.source()).isEqualTo(EffectiveTlsPolicy.Source.DEFAULT);
        assertThat(broken.reasons()).anyMatch(s -> s.contains("sts-policy-fetch-error"));
    }

    @Test
    void mapDaneOnlyWithoutTlsaDefers() {
        EffectiveTlsPolicy p = resolver("example.com dane-only").resolve("example.com");
        assertThat(p.level()).isEqualTo(TlsSecurityLevel.DANE_ONLY);
        assertThat(p.deferReason()).contains(TlsFailureReason.DANE_REQUIRED);
        dns.put("example.com", DaneLookupResult.secureWithTlsa(Map.of("mx.example.com", List.of(USABLE))));
        EffectiveTlsPolicy ok = resolver("example.com dane-only").resolve("example.com");
        assertThat(ok.deferReason()).isEmpty();
        assertThat(ok.tlsaByMxHost()).isNotEmpty();
    }

    @Test
    void mapMtaStsWithoutPolicyDefersAndWithPolicyEnforcesPatterns() {
        EffectiveTlsPolicy missing = resolver("example.com mta-sts").resolve("example.com");
        assertThat(missing.deferReason()).contains(TlsFailureReason.STS_POLICY_FETCH_ERROR);
        sts("example.com", "testing");
        EffectiveTlsPolicy p = resolver("example.com mta-sts").resolve("example.com");
        assertThat(p.deferReason()).isEmpty();
        assertThat(p.mode()).isEqualTo(EffectiveTlsPolicy.Mode.ENFORCE);
        assertThat(p.permitsMx("mail.attacker.example")).isFalse();
    }

    @Test
    void requireTlsRaisesWeakLevelsToVerify() {
        EffectiveTlsPolicy p = resolver("").resolve("example.com", MessageTlsOption.REQUIRETLS);
        assertThat(p.level()).isEqualTo(TlsSecurityLevel.VERIFY);
        assertThat(p.source()).isEqualTo(EffectiveTlsPolicy.Source.DEFAULT);
        EffectiveTlsPolicy fromMap = resolver("example.com encrypt").resolve("example.com", MessageTlsOption.REQUIRETLS);
        assertThat(fromMap.level()).isEqualTo(TlsSecurityLevel.VERIFY);
        assertThat(fromMap.requireTlsExtension()).isTrue();
        assertThat(resolver("").resolve("example.com").requireTlsExtension()).isFalse();
    }

    @Test
    void requireTlsKeepsAuthenticatedLevels() {
        dns.put("dane.example", DaneLookupResult.secureWithTlsa(Map.of("mx.dane.example", List.of(USABLE))));
        TlsPolicyResolver r = resolver("verify.example verify\nonly.example dane-only");
        assertThat(r.resolve("dane.example", MessageTlsOption.REQUIRETLS).level()).isEqualTo(TlsSecurityLevel.DANE);
        assertThat(r.resolve("verify.example", MessageTlsOption.REQUIRETLS).level()).isEqualTo(TlsSecurityLevel.VERIFY);
        assertThat(r.resolve("only.example", MessageTlsOption.REQUIRETLS).level()).isEqualTo(TlsSecurityLevel.DANE_ONLY);
        assertThat(r.resolve("verify.example", MessageTlsOption.REQUIRETLS).requireTlsExtension()).isTrue();
    }

    @Test
    void requireTlsTurnsMtaStsTestingIntoEnforce() {
        sts("example.com", "testing");
        EffectiveTlsPolicy p = resolver("").resolve("example.com", MessageTlsOption.REQUIRETLS);
        assertThat(p.level()).isEqualTo(TlsSecurityLevel.MTA_STS);
        assertThat(p.mode()).isEqualTo(EffectiveTlsPolicy.Mode.ENFORCE);
        assertThat(p.permitsMx("mail.attacker.example")).isFalse();
    }

    @Test
    void tlsRequiredNoLowersRemotePolicies() {
        sts("example.com", "enforce");
        EffectiveTlsPolicy p = resolver("").resolve("example.com", MessageTlsOption.TLS_REQUIRED_NO);
        assertThat(p.level()).isEqualTo(TlsSecurityLevel.MAY);
        assertThat(p.permitsMx("mail.attacker.example")).isTrue();
        dns.put("dane.example", DaneLookupResult.lookupFailure());
        EffectiveTlsPolicy dane = resolver("").resolve("dane.example", MessageTlsOption.TLS_REQUIRED_NO);
        assertThat(dane.deferReason()).isEmpty();
        assertThat(dane.requiresTls()).isFalse();
    }

    @Test
    void tlsRequiredNoDoesNotOverrideThePolicyMap() {
        EffectiveTlsPolicy p = resolver("example.com verify").resolve("example.com", MessageTlsOption.TLS_REQUIRED_NO);
        assertThat(p.level()).isEqualTo(TlsSecurityLevel.VERIFY);
        assertThat(p.reasons()).anyMatch(s -> s.contains("TLS-Required: No ignored"));
    }

    @Test
    void tlsRequiredNoKeepsNone() {
        TlsPolicyResolver r = TlsPolicyResolver.builder().defaultLevel(TlsSecurityLevel.NONE).build();
        assertThat(r.resolve("example.com", MessageTlsOption.TLS_REQUIRED_NO).level()).isEqualTo(TlsSecurityLevel.NONE);
    }

    @Test
    void messageOptionFromEnvelopeAndHeader() {
        assertThat(MessageTlsOption.of(true, "No")).isEqualTo(MessageTlsOption.REQUIRETLS);
        assertThat(MessageTlsOption.of(false, " no ")).isEqualTo(MessageTlsOption.TLS_REQUIRED_NO);
        assertThat(MessageTlsOption.of(false, "yes")).isEqualTo(MessageTlsOption.DEFAULT);
        assertThat(MessageTlsOption.of(false, null)).isEqualTo(MessageTlsOption.DEFAULT);
    }

    @Test
    void invalidInputsAreRefused() {
        assertThatThrownBy(() -> resolver("").resolve("bad..domain")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TlsPolicyResolver.builder().defaultLevel(TlsSecurityLevel.DANE_ONLY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void describeListsTheDecision() {
        sts("example.com", "enforce");
        String text = resolver("").resolve("example.com").describe();
        assertThat(text).startsWith("example.com: mta-sts (source mta-sts, enforce)");
        assertThat(text).contains("mx: *.mx.example.com");
    }
    private void stsBody(String domain, String id, String mode, String... mx) {
        txt.put(domain, List.of("v=STSv1; id=" + id + ";"));
        StringBuilder body = new StringBuilder("version: STSv1\nmode: " + mode + "\n");
        for (String m : mx) {
            body.append("mx: ").append(m).append('\n');
        }
        policies.put(domain, body.append("max_age: 86400\n").toString());
    }

    @Test
    void ipLiteralLinesAreIgnoredAndTheHostPatternsEnforced() {
        for (String ip : List.of("192.0.2.25", "[192.0.2.25]", "2001:db8::25", "[2001:db8::25]")) {
            stsBody("example.com", "1", "enforce", "mx1.example.com", ip);
            EffectiveTlsPolicy p = resolver("").resolve("example.com");
            assertThat(p.level()).as(ip).isEqualTo(TlsSecurityLevel.MTA_STS);
            assertThat(p.mode()).as(ip).isEqualTo(EffectiveTlsPolicy.Mode.ENFORCE);
            assertThat(p.deferReason()).as(ip).isEmpty();
            assertThat(p.mxPatterns()).as(ip).containsExactly("mx1.example.com");
            assertThat(p.permitsMx("mx1.example.com")).as(ip).isTrue();
            assertThat(p.permitsMx("mx.rogue.example")).as(ip).isFalse();
        }
    }

    @Test
    void enforcePolicyWithOnlyIpLiteralsDefersWithStsPolicyInvalid() {
        for (List<String> mx : List.of(List.of("192.0.2.25"), List.of("[192.0.2.25]"), List.of("2001:db8::25"),
                List.of("[IPv6:2001:db8::25]", "198.51.100.7"))) {
            stsBody("example.com", "1", "enforce", mx.toArray(new String[0]));
            EffectiveTlsPolicy p = resolver("").resolve("example.com");
            assertThat(p.level()).as(mx.toString()).isEqualTo(TlsSecurityLevel.MTA_STS);
            assertThat(p.source()).isEqualTo(EffectiveTlsPolicy.Source.MTA_STS);
            assertThat(p.mode()).isEqualTo(EffectiveTlsPolicy.Mode.ENFORCE);
            assertThat(p.deferReason()).as(mx.toString()).contains(TlsFailureReason.STS_POLICY_INVALID);
            assertThat(p.deferReason().orElseThrow().resultType()).isEqualTo("sts-policy-invalid");
            assertThat(p.reasons()).anyMatch(r -> r.contains("no usable mx pattern"));
        }
    }

    @Test
    void validCachedPolicyStaysInForceWhenTheNewPolicyHasOnlyIpLiterals() {
        TlsPolicyResolver r = resolver("");
        stsBody("example.com", "1", "enforce", "mx1.example.com");
        assertThat(r.resolve("example.com").mxPatterns()).containsExactly("mx1.example.com");
        stsBody("example.com", "2", "enforce", "[192.0.2.25]", "2001:db8::25");
        EffectiveTlsPolicy p = r.resolve("example.com");
        assertThat(p.level()).isEqualTo(TlsSecurityLevel.MTA_STS);
        assertThat(p.deferReason()).isEmpty();
        assertThat(p.mxPatterns()).containsExactly("mx1.example.com");
        assertThat(p.permitsMx("mx.rogue.example")).isFalse();
        assertThat(p.reasons()).anyMatch(s -> s.contains("refresh failed (sts-policy-invalid), cached policy kept"));
    }

    @Test
    void testingPolicyWithOnlyIpLiteralsIsNoPolicy() {
        stsBody("example.com", "1", "testing", "192.0.2.25");
        EffectiveTlsPolicy p = resolver("").resolve("example.com");
        assertThat(p.source()).isEqualTo(EffectiveTlsPolicy.Source.DEFAULT);
        assertThat(p.deferReason()).isEmpty();
        assertThat(p.reasons()).anyMatch(s -> s.contains("sts-policy-invalid"));
    }

    @Test
    void mapMtaStsWithOnlyIpLiteralsDefersWithStsPolicyInvalid() {
        stsBody("example.com", "1", "enforce", "[192.0.2.25]");
        EffectiveTlsPolicy p = resolver("example.com mta-sts").resolve("example.com");
        assertThat(p.deferReason()).contains(TlsFailureReason.STS_POLICY_INVALID);
    }

    @Test
    void localTestingModeReportsTheUnusablePolicyInsteadOfDeferring() {
        stsBody("example.com", "1", "enforce", "192.0.2.25");
        EffectiveTlsPolicy p = TlsPolicyResolver.builder()
                .mtaSts(MtaStsPolicyCache.create(fetcher, clock), domain -> txt.getOrDefault(domain, List.of()))
                .testing(true).build().resolve("example.com");
        assertThat(p.mode()).isEqualTo(EffectiveTlsPolicy.Mode.TESTING);
        assertThat(p.deferReason()).contains(TlsFailureReason.STS_POLICY_INVALID);
    }
}
