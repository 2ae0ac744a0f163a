package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.lifecycle.Startables;

import dev.tollgate.it.harness.DnssecZones;
import dev.tollgate.it.harness.DnssecZones.Signing;
import dev.tollgate.it.harness.ItSettings;
import dev.tollgate.it.harness.JamesContainer;
import dev.tollgate.it.harness.Messages;
import dev.tollgate.it.harness.Peers;
import dev.tollgate.it.harness.TestCa;
import dev.tollgate.it.harness.Teardown;

/**
 * DANE for SMTP (RFC 7672) against real signed DNS: BIND serves {@code dane.test} (signed, its KSK the only trust
 * anchor James is given) and zones below it, signed, unsigned or broken; James ({@code TlsPolicyDelivery},
 * {@code dane=true}, its validating resolver and its DNSService both at that server, default level {@code may})
 * sends one mail to each destination. One receiving peer stands for every MX host (network aliases) and presents
 * the certificate of the host named in SNI.
 *
 * <ul>
 *   <li>{@code ee.dane.test} (signed zone): self-signed certificate, TLSA {@code 3 1 1}: delivered;
 *       {@code expired.dane.test}: the same records in a zone whose RRSIGs have expired: bogus, deferred
 *       ({@code dnssec-invalid}); {@code wrongds.dane.test}: DS naming another key: bogus, deferred;
 *   <li>{@code ta.dane.test}: certificate from a private CA James does not trust, TLSA {@code 2 0 1} of that CA:
 *       delivered;
 *   <li>{@code both.dane.test}: certificate from the CA James trusts, an {@code enforce} MTA-STS policy naming the
 *       MX, and a TLSA {@code 3 1 1} record for another key: DANE decides (RFC 8461 §2), deferred with
 *       {@code dane-mismatch}, the MTA-STS policy never fetched;
 *   <li>{@code tlsafail.dane.test}: secure MX host whose TLSA lookup gets SERVFAIL: deferred ({@code dnssec-invalid});
 *       {@code mixed.dane.test}: secure MX RRset naming a host in an unsigned zone whose TLSA lookup would also get
 *       SERVFAIL: no TLSA lookup (RFC 7672 §2.2.2), the default level applies, delivered;
 *   <li>{@code pkix.dane.test}: only PKIX-TA/PKIX-EE (0, 1) records, unusable for SMTP (RFC 7672 §3.1.3): TLS
 *       required but not authenticated (level {@code encrypt}), delivered to a self-signed peer;
 *   <li>{@code nx.dane.test}: secure NXDOMAIN for the TLSA name: DANE does not apply, the default level does;
 *   <li>{@code only.dane.test}: {@code dane-only} in the policy map, no TLSA records: deferred ({@code dane-required}),
 *       never delivered.
 * </ul>
 */
class DaneDeliveryIT {
    static final String DOMAIN = "tollgate.test";
    static final String ALICE = "alice@" + DOMAIN;
    static final String PASSWORD = "s3cret-Passw0rd";
    static final List<String> DELIVERED = List.of("ee.dane.test", "ta.dane.test", "mixed.dane.test",
            "pkix.dane.test", "nx.dane.test");
    static final List<String> DEFERRED = List.of("expired.dane.test", "wrongds.dane.test", "both.dane.test",
            "tlsafail.dane.test", "only.dane.test");

    static Network network;
    static GenericContainer<?> mx;
    static GenericContainer<?> policyHost;
    static GenericContainer<?> dns;
    static JamesContainer james;

    @BeforeAll
    static void start() throws Exception {
        network = Network.newNetwork();
        TestCa trusted = new TestCa("Tollgate DANE IT trusted CA");
        TestCa privateCa = new TestCa("Tollgate DANE IT private CA");
        Path dir = Files.createTempDirectory(Files.createDirectories(ItSettings.workDir()), "dane-");
        Path keys = Files.createDirectories(dir.resolve("sni"));
        Path ee = TestCa.selfSignedKeyStore(keys, "mx.ee.dane.test.p12", "mx.ee.dane.test");
        Path expired = TestCa.selfSignedKeyStore(keys, "mx.expired.dane.test.p12", "mx.expired.dane.test");
        Path wrongDs = TestCa.selfSignedKeyStore(keys, "mx.wrongds.dane.test.p12", "mx.wrongds.dane.test");
        privateCa.serverKeyStore(keys, "mx.ta.dane.test.p12", "mx.ta.dane.test");
        trusted.serverKeyStore(keys, "mx.both.dane.test.p12", "mx.both.dane.test");
        Path pkix = TestCa.selfSignedKeyStore(keys, "mx.pkix.dane.test.p12", "mx.pkix.dane.test");
        for (String host : List.of("mx.tlsafail.dane.test", "mx.insecure.dane.test", "mx.nx.dane.test",
                "mx.only.dane.test")) {
            TestCa.selfSignedKeyStore(keys, host + ".p12", host);
        }
        Path policyKeys = trusted.serverKeyStore(dir, "policy.p12", List.of("mta-sts.both.dane.test"));

        String[] aliases = Stream.of(keys.toFile().list()).map(f -> f.replaceFirst("\\.p12$", ""))
                .toArray(String[]::new);
        mx = Peers.sniSmtpPeer(network, keys, aliases);
        policyHost = Peers.policyHost(network, "policyhost", policyKeys,
                Map.of("mta-sts.both.dane.test", Peers.mtaStsPolicy("enforce", "mx.both.dane.test")));
        Startables.deepStart(Stream.of(mx, policyHost)).join();
        String peer = Peers.ipOf(mx);

        DnssecZones zones = new DnssecZones("dane.test");
        zones.zone("ee.dane.test", Signing.SIGNED).mx("ee.dane.test", "mx.ee.dane.test", 10)
                .a("mx.ee.dane.test", peer)
                .tlsa("mx.ee.dane.test", 3, 1, 1, DnssecZones.spkiSha256(TestCa.leaf(ee)));
        zones.zone("expired.dane.test", Signing.EXPIRED).mx("expired.dane.test", "mx.expired.dane.test", 10)
                .a("mx.expired.dane.test", peer)
                .tlsa("mx.expired.dane.test", 3, 1, 1, DnssecZones.spkiSha256(TestCa.leaf(expired)));
        zones.zone("wrongds.dane.test", Signing.WRONG_DS).mx("wrongds.dane.test", "mx.wrongds.dane.test", 10)
                .a("mx.wrongds.dane.test", peer)
                .tlsa("mx.wrongds.dane.test", 3, 1, 1, DnssecZones.spkiSha256(TestCa.leaf(wrongDs)));
        zones.zone("insecure.dane.test", Signing.UNSIGNED).a("mx.insecure.dane.test", peer);
        zones.zone("_25._tcp.mx.insecure.dane.test", Signing.SERVFAIL);
        zones.zone("_25._tcp.mx.tlsafail.dane.test", Signing.SERVFAIL);
        zones.anchor()
                .mx("ta.dane.test", "mx.ta.dane.test", 10).a("mx.ta.dane.test", peer)
                .tlsa("mx.ta.dane.test", 2, 0, 1, DnssecZones.certSha256(privateCa.certificate()))
                .mx("both.dane.test", "mx.both.dane.test", 10).a("mx.both.dane.test", peer)
                .tlsa("mx.both.dane.test", 3, 1, 1, DnssecZones.spkiSha256(TestCa.leaf(ee)))
                .txt("_mta-sts.both.dane.test", "v=STSv1; id=both1")
                .a("mta-sts.both.dane.test", Peers.ipOf(policyHost))
                .mx("tlsafail.dane.test", "mx.tlsafail.dane.test", 10).a("mx.tlsafail.dane.test", peer)
                .mx("mixed.dane.test", "mx.insecure.dane.test", 10)
                .mx("pkix.dane.test", "mx.pkix.dane.test", 10).a("mx.pkix.dane.test", peer)
                .tlsa("mx.pkix.dane.test", 1, 1, 1, DnssecZones.spkiSha256(TestCa.leaf(pkix)))
                .tlsa("mx.pkix.dane.test", 0, 0, 1, DnssecZones.certSha256(trusted.certificate()))
                .mx("nx.dane.test", "mx.nx.dane.test", 10).a("mx.nx.dane.test", peer)
                .mx("only.dane.test", "mx.only.dane.test", 10).a("mx.only.dane.test", peer);
        dns = zones.container(network, "dns");
        dns.start();
        String anchors = DnssecZones.trustAnchor(dns);

        james = new JamesContainer().withNetwork(network).withNetworkAliases("james")
                .withConfFile("dnsservice.xml", Peers.dnsServiceXml(Peers.ipOf(dns)))
                .withConfFile("tollgate-test-ca.pem", trusted.pem())
                .withConfFile("dane-anchors.txt", anchors)
                .withConfEdit("mailetcontainer.xml", xml -> xml
                        .replaceOnce("<defaultLevel>may</defaultLevel>", "<defaultLevel>may</defaultLevel>\n"
                                + "                <policyMap>only.dane.test dane-only</policyMap>\n"
                                + "                <trustStore>conf/tollgate-test-ca.pem</trustStore>\n"
                                + "                <dane>true</dane>\n"
                                + "                <daneDnsServer>" + Peers.ipOf(dns) + "</daneDnsServer>\n"
                                + "                <daneTrustAnchors>conf/dane-anchors.txt</daneTrustAnchors>")
                        .replaceOnce("<delays>5m, 15m, 1h, 4h</delays>", "<delays>10m</delays>"));
        james.start();
        assertThat(james.logs()).as("the DANE configuration took effect").contains("dane=true");
        james.webAdmin().addDomain(DOMAIN).addUser(ALICE, PASSWORD);
        for (String domain : Stream.concat(DELIVERED.stream(), DEFERRED.stream()).toArray(String[]::new)) {
            send("someone@" + domain, "DANE test to " + domain);
        }
    }

    static void send(String to, String subject) {
        james.submit(ALICE, PASSWORD, Messages.text(ALICE, to, subject, "body of " + subject), to);
    }

    @AfterAll
    static void stop() {
        Teardown.printLog(james, "JAMES", 300, Teardown.TOLLGATE_AND_ERRORS);
        Teardown.printPeerLogs(150, l -> !l.contains("automatic empty zone"), mx, policyHost, dns);
        Teardown.stopAll(network, james, mx, policyHost, dns);
    }

    /** Waits for the first delivery decision for {@code domain} and returns James's log. */
    static String decided(String domain) {
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> james.logs().contains("domain=" + domain + " level="));
        return james.logs();
    }

    static void awaitStored(String domain) {
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> mx.getLogs().contains("PEER TLS=yes RCPT TO:<someone@" + domain + ">"));
    }

    static void assertNeverSent(String domain) {
        assertThat(mx.getLogs()).as("nothing for " + domain + " reached the MX").doesNotContain("someone@" + domain);
    }

    static String quoted(String domain) {
        return domain.replace(".", "\\.");
    }

    @Test
    void daneEeRecordAuthenticatesASelfSignedCertificate() {
        awaitStored("ee.dane.test");
        assertThat(decided("ee.dane.test")).containsPattern("domain=ee\\.dane\\.test level=dane source=dane "
                + "mode=enforce attempt=1 mx=mx\\.ee\\.dane\\.test result=sent");
        assertThat(mx.getLogs()).containsPattern("HANDSHAKE ok TLSv1\\.\\d sni=mx\\.ee\\.dane\\.test")
                .doesNotContain("TLS=no MAIL FROM");
    }

    @Test
    void expiredSignaturesMakeTheSameRecordsBogusAndDefer() {
        assertThat(decided("expired.dane.test")).containsPattern("domain=expired\\.dane\\.test level=dane "
                + "source=dane mode=enforce attempt=1 mx=- result=dnssec-invalid action=retry-in-600000ms");
        assertNeverSent("expired.dane.test");
        assertThat(mx.getLogs()).doesNotContain("sni=mx.expired.dane.test");
    }

    @Test
    void dsNamingAnotherKeyIsBogusAndDefers() {
        assertThat(decided("wrongds.dane.test")).containsPattern("domain=wrongds\\.dane\\.test level=dane "
                + "source=dane mode=enforce attempt=1 mx=- result=dnssec-invalid");
        assertNeverSent("wrongds.dane.test");
    }

    @Test
    void daneTaRecordAuthenticatesAPrivateCaChain() {
        awaitStored("ta.dane.test");
        assertThat(decided("ta.dane.test")).containsPattern("domain=ta\\.dane\\.test level=dane source=dane "
                + "mode=enforce attempt=1 mx=mx\\.ta\\.dane\\.test result=sent");
    }

    @Test
    void tlsaMismatchDefersEvenWithAnEnforcedMtaStsPolicyAndATrustedCertificate() {
        assertThat(decided("both.dane.test")).containsPattern("domain=both\\.dane\\.test level=dane source=dane "
                + "mode=enforce attempt=1 mx=mx\\.both\\.dane\\.test result=dane-mismatch");
        assertThat(james.logs()).containsPattern("tollgate\\.tls\\.session domain=both\\.dane\\.test "
                + "mx=mx\\.both\\.dane\\.test ip=[0-9.]+ level=dane source=dane mode=enforce result=dane-mismatch");
        assertNeverSent("both.dane.test");
        assertThat(policyHost.getLogs()).as("DANE decides: the MTA-STS policy is not consulted")
                .doesNotContain("POLICY GET");
    }

    @Test
    void tlsaLookupFailureForASignedMxHostDefers() {
        assertThat(decided("tlsafail.dane.test")).containsPattern("domain=tlsafail\\.dane\\.test level=dane "
                + "source=dane mode=enforce attempt=1 mx=- result=dnssec-invalid");
        assertNeverSent("tlsafail.dane.test");
        assertThat(dns.getLogs()).contains("_25._tcp.mx.tlsafail.dane.test IN TLSA");
    }

    @Test
    void tlsaLookupFailureForAnInsecureMxHostLeavesTheNormalPolicy() {
        awaitStored("mixed.dane.test");
        assertThat(decided("mixed.dane.test")).containsPattern("domain=mixed\\.dane\\.test level=may "
                + "source=default mode=enforce attempt=1 mx=mx\\.insecure\\.dane\\.test result=sent");
        assertThat(dns.getLogs()).as("no TLSA lookup for a host with insecure addresses (RFC 7672 §2.2.2)")
                .doesNotContain("_25._tcp.mx.insecure.dane.test IN TLSA");
    }

    @Test
    void onlyPkixRecordsMeanEncryptionWithoutAuthentication() {
        awaitStored("pkix.dane.test");
        assertThat(decided("pkix.dane.test")).containsPattern("domain=pkix\\.dane\\.test level=encrypt "
                + "source=dane mode=enforce attempt=1 mx=mx\\.pkix\\.dane\\.test result=sent");
        assertThat(mx.getLogs()).contains("sni=mx.pkix.dane.test");
    }

    @Test
    void secureNxdomainForTlsaLeavesTheNormalPolicy() {
        awaitStored("nx.dane.test");
        assertThat(decided("nx.dane.test")).containsPattern("domain=nx\\.dane\\.test level=may source=default "
                + "mode=enforce attempt=1 mx=mx\\.nx\\.dane\\.test result=sent");
        assertThat(dns.getLogs()).contains("_25._tcp.mx.nx.dane.test IN TLSA");
    }

    @Test
    void daneOnlyWithoutTlsaNeverFallsBack() {
        assertThat(decided("only.dane.test")).containsPattern("domain=only\\.dane\\.test level=dane-only "
                + "source=policy_map mode=enforce attempt=1 mx=\\S+ result=dane-required");
        assertNeverSent("only.dane.test");
    }
}
