package dev.tollgate.james.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.james.dnsservice.api.DNSService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.tls.DaneLookupResult;
import dev.tollgate.core.tls.EffectiveTlsPolicy;
import dev.tollgate.core.tls.MessageTlsOption;
import dev.tollgate.core.tls.TlsFailureReason;
import dev.tollgate.core.tls.TlsPolicyMap;
import dev.tollgate.core.tls.TlsPolicyResolver;
import dev.tollgate.core.tls.TlsSecurityLevel;

/**
 * The local report-only mode ({@code mode=testing}): against a STARTTLS server presenting a self-signed certificate
 * for {@code self-signed.invalid} (MX host {@code mx.peer.test}), each session is checked as the intended level
 * would check it, failures go to the session listener (log line + TLS-RPT), and the mail is delivered; REQUIRETLS
 * mails and {@code mode=enforce} still defer.
 */
class TlsPolicyTestingModeTest {
    private final List<TlsFailureReason> reported = Collections.synchronizedList(new ArrayList<>());
    private final List<EffectiveTlsPolicy> sessions = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() throws Exception {
        DaneDeliveryTest.start();
    }

    @AfterAll
    static void stop() throws Exception {
        DaneDeliveryTest.stop();
    }

    @BeforeEach
    void clear() {
        DaneDeliveryTest.server.commands.clear();
        DaneDeliveryTest.server.offerRequireTls = false;
    }

    private static TlsPolicyResolver resolver(String map, boolean testing) {
        return TlsPolicyResolver.builder().policyMap(TlsPolicyMap.parse(map, "policyMap"))
                .daneLookup(d -> DaneLookupResult.secureNoTlsa()).testing(testing).build();
    }

    private DeliveryResult deliver(EffectiveTlsPolicy policy, Map<String, String> extra) throws Exception {
        DNSService dns = (DNSService) Proxy.newProxyInstance(DNSService.class.getClassLoader(),
                new Class<?>[] {DNSService.class}, (p, m, a) -> m.getName().equals("findMXRecords")
                        ? List.of("mx.peer.test.") : List.of(InetAddress.getLoopbackAddress()));
        Map<String, String> params = new HashMap<>(extra);
        params.put("port", String.valueOf(DaneDeliveryTest.server.port()));
        TlsPolicyDeliveryConfig config = TlsPolicyDeliveryConfig.parse(Parameters.of(params));
        return new MxDeliverer(config, config.loadTrust(), dns, (pol, mx, ip, local, failure) -> {
            sessions.add(pol);
            if (failure != null) {
                reported.add(failure);
            }
        }).deliver(DaneDeliveryTest.mail(), policy);
    }

    private static Path trustingTheServer(Path dir) throws Exception {
        Path pem = dir.resolve("server.pem");
        Files.write(pem, ("-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(DaneDeliveryTest.cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n").getBytes(StandardCharsets.US_ASCII));
        return pem;
    }

    @Test
    void resolverKeepsTheIntendedLevelAndMarksItTestingExceptForRequireTls() {
        EffectiveTlsPolicy p = resolver("peer.test verify", true).resolve("peer.test");
        assertThat(p.level()).isEqualTo(TlsSecurityLevel.VERIFY);
        assertThat(p.mode()).isEqualTo(EffectiveTlsPolicy.Mode.TESTING);
        assertThat(p.requiresTls()).isTrue();
        assertThat(p.enforcesTls()).isFalse();
        EffectiveTlsPolicy defaults = TlsPolicyResolver.builder().defaultLevel(TlsSecurityLevel.ENCRYPT).testing(true)
                .build().resolve("other.test");
        assertThat(defaults.mode()).isEqualTo(EffectiveTlsPolicy.Mode.TESTING);
        EffectiveTlsPolicy may = TlsPolicyResolver.builder().testing(true).build().resolve("other.test");
        assertThat(may.mode()).isEqualTo(EffectiveTlsPolicy.Mode.ENFORCE);
        EffectiveTlsPolicy requireTls = resolver("peer.test verify", true).resolve("peer.test", MessageTlsOption.REQUIRETLS);
        assertThat(requireTls.mode()).isEqualTo(EffectiveTlsPolicy.Mode.ENFORCE);
        assertThat(requireTls.enforcesTls()).isTrue();
        assertThat(resolver("peer.test verify", false).resolve("peer.test").mode()).isEqualTo(EffectiveTlsPolicy.Mode.ENFORCE);
    }

    @Test
    void testingVerifyWithUntrustedCertificateDeliversOverTlsAndReportsTheChain() throws Exception {
        EffectiveTlsPolicy policy = resolver("peer.test verify", true).resolve("peer.test");
        DeliveryResult result = deliver(policy, Map.of());
        assertThat(result.kind()).as(result.diagnostic()).isEqualTo(DeliveryResult.Kind.SENT);
        assertThat(DaneDeliveryTest.server.commands).contains("TLS MAIL FROM:<alice@local.test>");
        assertThat(reported).containsExactly(TlsFailureReason.CERTIFICATE_NOT_TRUSTED);
        assertThat(sessions).allMatch(p -> p.level() == TlsSecurityLevel.VERIFY);
    }

    @Test
    void testingVerifyWithTrustedCertificateForTheWrongNameReportsTheHostMismatch(@TempDir Path dir) throws Exception {
        EffectiveTlsPolicy policy = resolver("peer.test verify", true).resolve("peer.test");
        DeliveryResult result = deliver(policy, Map.of("trustStore", trustingTheServer(dir).toString()));
        assertThat(result.kind()).as(result.diagnostic()).isEqualTo(DeliveryResult.Kind.SENT);
        assertThat(DaneDeliveryTest.server.commands).contains("TLS MAIL FROM:<alice@local.test>");
        assertThat(reported).containsExactly(TlsFailureReason.CERTIFICATE_HOST_MISMATCH);
    }

    @Test
    void testingEncryptDoesNotReportCertificateProblems() throws Exception {
        EffectiveTlsPolicy policy = resolver("peer.test encrypt", true).resolve("peer.test");
        assertThat(policy.mode()).isEqualTo(EffectiveTlsPolicy.Mode.TESTING);
        DeliveryResult result = deliver(policy, Map.of());
        assertThat(result.kind()).as(result.diagnostic()).isEqualTo(DeliveryResult.Kind.SENT);
        assertThat(DaneDeliveryTest.server.commands).contains("TLS MAIL FROM:<alice@local.test>");
        assertThat(reported).isEmpty();
        assertThat(sessions).hasSize(1);
    }

    @Test
    void testingDaneOnlyWithoutRecordsReportsAndDelivers() throws Exception {
        EffectiveTlsPolicy policy = resolver("peer.test dane-only", true).resolve("peer.test");
        assertThat(policy.deferReason()).contains(TlsFailureReason.DANE_REQUIRED);
        DeliveryResult result = deliver(policy, Map.of());
        assertThat(result.kind()).as(result.diagnostic()).isEqualTo(DeliveryResult.Kind.SENT);
        assertThat(reported).containsExactly(TlsFailureReason.DANE_REQUIRED);
    }

    @Test
    void testingDaneWithMismatchingRecordDeliversAndReportsTheMismatch() throws Exception {
        dev.tollgate.core.tls.TlsaRecord wrong = dev.tollgate.core.tls.TlsaRecord.of(
                dev.tollgate.core.tls.TlsaRecord.USAGE_DANE_EE, dev.tollgate.core.tls.TlsaRecord.SELECTOR_SPKI,
                dev.tollgate.core.tls.TlsaRecord.MATCHING_SHA256, new byte[32]);
        EffectiveTlsPolicy policy = TlsPolicyResolver.builder()
                .daneLookup(d -> DaneLookupResult.secureWithTlsa(Map.of("mx.peer.test", List.of(wrong))))
                .testing(true).build().resolve("peer.test");
        assertThat(policy.level()).isEqualTo(TlsSecurityLevel.DANE);
        DeliveryResult result = deliver(policy, Map.of());
        assertThat(result.kind()).as(result.diagnostic()).isEqualTo(DeliveryResult.Kind.SENT);
        assertThat(DaneDeliveryTest.server.commands).contains("TLS MAIL FROM:<alice@local.test>");
        assertThat(reported).containsExactly(TlsFailureReason.DANE_MISMATCH);
    }

    @Test
    void requireTlsMailStaysEnforcedInTestingMode() throws Exception {
        EffectiveTlsPolicy policy = resolver("peer.test verify", true).resolve("peer.test", MessageTlsOption.REQUIRETLS);
        DeliveryResult result = deliver(policy, Map.of());
        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.TEMPORARY);
        assertThat(result.tlsReason()).contains(TlsFailureReason.CERTIFICATE_NOT_TRUSTED);
        assertThat(DaneDeliveryTest.server.commands).noneMatch(c -> c.contains("MAIL FROM"));
    }

    @Test
    void enforceModeStillDefers() throws Exception {
        EffectiveTlsPolicy policy = resolver("peer.test verify", false).resolve("peer.test");
        DeliveryResult result = deliver(policy, Map.of());
        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.TEMPORARY);
        assertThat(result.tlsReason()).contains(TlsFailureReason.CERTIFICATE_NOT_TRUSTED);
        assertThat(DaneDeliveryTest.server.commands).noneMatch(c -> c.contains("MAIL FROM"));
    }

    @Test
    void modeParameterIsValidated() {
        assertThat(TlsPolicyDeliveryConfig.parse(Parameters.empty()).mode())
                .isEqualTo(TlsPolicyDeliveryConfig.Mode.ENFORCE);
        assertThat(TlsPolicyDeliveryConfig.parse(Parameters.of(Map.of("mode", "testing"))).mode())
                .isEqualTo(TlsPolicyDeliveryConfig.Mode.TESTING);
        assertThatThrownBy(() -> TlsPolicyDeliveryConfig.parse(Parameters.of(Map.of("mode", "report"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("mode")
                .hasMessageContaining("enforce, testing");
        // tollgate check-config validates through the same spec
        assertThatThrownBy(() -> new TlsPolicyDeliveryConfig.Spec().validate(Parameters.of(Map.of("mode", "off")), null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("mode");
    }
}
