package dev.tollgate.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.SimpleResolver;

class DnsjavaDaneLookupTest {
    private static final String HASH = "8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1";
    private static SignedZoneServer server;
    private static DnsjavaDaneLookup lookup;

    @BeforeAll
    static void start() throws Exception {
        server = new SignedZoneServer()
                .zone("dane.test.", List.of(
                        "dane.test. 300 IN MX 10 mx.dane.test.",
                        "mx.dane.test. 300 IN A 127.0.0.1",
                        "_25._tcp.mx.dane.test. 300 IN TLSA 3 1 1 " + HASH,
                        "_25._tcp.mx.dane.test. 300 IN TLSA 0 0 1 " + HASH), true, false)
                .zone("notlsa.test.", List.of(
                        "notlsa.test. 300 IN MX 10 notlsa.test.",
                        "notlsa.test. 300 IN A 127.0.0.1"), true, false)
                .zone("bogus.test.", List.of(
                        "bogus.test. 300 IN MX 10 mx.bogus.test.",
                        "_25._tcp.mx.bogus.test. 300 IN TLSA 3 1 1 " + HASH), true, true)
                .zone("plain.test.", List.of(
                        "plain.test. 300 IN MX 10 mx.plain.test.",
                        "mx.plain.test. 300 IN A 127.0.0.1",
                        "_25._tcp.mx.plain.test. 300 IN TLSA 3 1 1 " + HASH), false, false)
                .zone("mixed.test.", List.of(
                        "mixed.test. 300 IN MX 10 mx.plain.test."), true, false);
        SimpleResolver head = new SimpleResolver(java.net.InetAddress.getLoopbackAddress());
        head.setPort(server.port());
        head.setTimeout(Duration.ofSeconds(3));
        lookup = new DnsjavaDaneLookup(DnsjavaDaneLookup.validatingResolver(head, server.trustAnchors()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void validatedTlsaRecordsAreReturnedPerMxHost() {
        DaneLookupResult result = lookup.lookup("dane.test");
        assertThat(result.status()).isEqualTo(DaneLookupResult.Status.SECURE_WITH_TLSA);
        assertThat(result.tlsaByMxHost()).containsOnlyKeys("mx.dane.test");
        assertThat(result.tlsaByMxHost().get("mx.dane.test")).extracting(TlsaRecord::toString)
                .contains("3 1 1 " + HASH, "0 0 1 " + HASH);
        assertThat(result.hasUsableTlsa()).as("the 3 1 1 record is usable, the 0 0 1 one is not").isTrue();
    }

    @Test
    void unprovenTlsaNonExistenceInASignedZoneFailsClosed() {
        // The TLSA name does not exist and the test server sends no NSEC proof: the validator cannot tell a
        // stripped answer from a real absence, so the lookup fails (delivery defers) instead of skipping DANE.
        DaneLookupResult result = lookup.lookup("notlsa.test");
        assertThat(result.status()).isEqualTo(DaneLookupResult.Status.LOOKUP_FAILURE);
    }

    @Test
    void forgedTlsaDataIsBogusAndFailsTheLookup() {
        assertThat(lookup.lookup("bogus.test").status()).isEqualTo(DaneLookupResult.Status.LOOKUP_FAILURE);
    }

    @Test
    void zoneOutsideTheTrustAnchorsIsInsecure() {
        assertThat(lookup.lookup("plain.test").status()).isEqualTo(DaneLookupResult.Status.INSECURE);
    }

    @Test
    void mxHostWithInsecureAddressIsNotLookedUpForTlsa() {
        // Secure MX RRset, but the MX host's A record is outside the anchors: RFC 7672 §2.2.2, no TLSA lookup,
        // so the unsigned zone's TLSA records play no part.
        DaneLookupResult result = lookup.lookup("mixed.test");
        assertThat(result.status()).isEqualTo(DaneLookupResult.Status.SECURE_NO_TLSA);
        assertThat(result.tlsaByMxHost()).isEmpty();
    }

    @Test
    void aServerThatNeverAnswersIsALookupFailureNotInsecure() throws Exception {
        try (java.net.DatagramSocket silent = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            SimpleResolver head = new SimpleResolver(java.net.InetAddress.getLoopbackAddress());
            head.setPort(silent.getLocalPort());
            head.setTimeout(Duration.ofMillis(500));
            DnsjavaDaneLookup timingOut = new DnsjavaDaneLookup(
                    DnsjavaDaneLookup.validatingResolver(head, server.trustAnchors()));
            assertThat(timingOut.lookup("dane.test").status()).isEqualTo(DaneLookupResult.Status.LOOKUP_FAILURE);
        }
    }

    @Test
    void ianaRootAnchorsParse() throws IOException {
        assertThat(DnsjavaDaneLookup.validatingResolver(new SimpleResolver(java.net.InetAddress.getLoopbackAddress()),
                DnsjavaDaneLookup.IANA_ROOT_ANCHORS)).isNotNull();
        assertThatThrownBy(() -> DnsjavaDaneLookup.validatingResolver(
                new SimpleResolver(java.net.InetAddress.getLoopbackAddress()), "; nothing\n"))
                .isInstanceOf(IOException.class);
    }
}
