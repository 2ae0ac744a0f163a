package dev.tollgate.james.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.Socket;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import org.apache.james.dnsservice.api.DNSService;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.tls.EffectiveTlsPolicy;
import dev.tollgate.core.tls.PeerTrustManager;
import dev.tollgate.core.tls.PolicySocketFactory;
import dev.tollgate.core.tls.TlsCipherGrade;
import dev.tollgate.core.tls.TlsPolicyResolver;
import dev.tollgate.james.tls.MxDeliverer;
import dev.tollgate.james.tls.TlsPolicyDeliveryConfig;

/**
 * The policy map entry's {@code protocols=} and {@code ciphers=} reach the TLS socket of a delivery: on the
 * {@link javax.net.ssl.SSLParameters} of the socket {@link MxDeliverer} creates for the destination, and in real
 * handshakes against a loopback TLS server that allows only some protocol versions.
 */
class PolicySocketFactoryTest {
    private static final String AES_GCM = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
    private static final String AES_CBC = "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA";
    private static final String TRIPLE_DES = "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA";
    private static final String RC4 = "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA";
    private static final String SCSV = "TLS_EMPTY_RENEGOTIATION_INFO_SCSV";

    private static SSLContext serverContext;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = g.generateKeyPair();
        X500Name name = new X500Name("CN=mx.peer.test");
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.ONE, Date.from(Instant.now().minus(Duration.ofDays(1))),
                Date.from(Instant.now().plus(Duration.ofDays(1))), name, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", keys.getPrivate(), "p".toCharArray(), new X509Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "p".toCharArray());
        serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** The factory {@link MxDeliverer} builds for {@code peer.test} under the given mailet parameters. */
    private static PolicySocketFactory factory(String... params) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            map.put(params[i], params[i + 1]);
        }
        TlsPolicyDeliveryConfig config = TlsPolicyDeliveryConfig.parse(Parameters.of(map));
        EffectiveTlsPolicy policy = TlsPolicyResolver.builder().policyMap(config.policyMap()).build().resolve("peer.test");
        DNSService dns = (DNSService) java.lang.reflect.Proxy.newProxyInstance(DNSService.class.getClassLoader(),
                new Class<?>[] {DNSService.class}, (p, m, a) -> {
                    throw new UnsupportedOperationException(m.getName());
                });
        return new MxDeliverer(config, config.loadTrust(), dns).factory(policy, "mx.peer.test");
    }

    /** A TLS socket from {@code factory}, layered on a TCP connection to a server that never answers. */
    private SSLSocket socket(PolicySocketFactory factory) throws IOException {
        java.net.ServerSocket server = new java.net.ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        open.add(server);
        Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        open.add(plain);
        SSLSocket ssl = (SSLSocket) factory.createSocket(plain, "mx.peer.test", server.getLocalPort(), true);
        open.add(ssl);
        return ssl;
    }

    @Test
    void sslExclusionsInTheMapKeepTheGlobalMinimum() throws Exception {
        SSLSocket s = socket(factory("policyMap", "peer.test encrypt protocols=!SSLv2:!SSLv3"));
        assertThat(s.getSSLParameters().getProtocols()).containsExactlyInAnyOrder("TLSv1.2", "TLSv1.3");
        assertThat(s.getEnabledProtocols()).doesNotContain("TLSv1", "TLSv1.1");
    }

    @Test
    void entryCanRaiseTheFloorAndExcludeVersions() throws Exception {
        assertThat(socket(factory("policyMap", "peer.test encrypt protocols=>=TLSv1.3")).getSSLParameters()
                .getProtocols()).containsExactly("TLSv1.3");
        assertThat(socket(factory("policyMap", "peer.test encrypt protocols=!TLSv1.3")).getSSLParameters()
                .getProtocols()).containsExactly("TLSv1.2");
        assertThat(socket(factory("minimumProtocol", "TLSv1.3", "policyMap", "peer.test encrypt protocols=!SSLv3"))
                .getSSLParameters().getProtocols()).containsExactly("TLSv1.3");
        assertThat(socket(factory()).getSSLParameters().getProtocols()).containsExactlyInAnyOrder("TLSv1.2", "TLSv1.3");
    }

    @Test
    void cipherGradeNarrowsTheSuitesOffered() {
        // Stock JVMs support no suite below high (jdk.tls.disabledAlgorithms): a factory that does.
        SSLSocketFactory relaxed = new StubFactory(List.of(AES_GCM, TRIPLE_DES, AES_CBC, RC4, SCSV),
                List.of(AES_GCM, TRIPLE_DES, SCSV));
        List<String> list = List.of(AES_GCM, TRIPLE_DES, AES_CBC, RC4);
        assertThat(PolicySocketFactory.cipherSuites(list, TlsCipherGrade.HIGH, relaxed)).containsExactly(AES_GCM, AES_CBC);
        assertThat(PolicySocketFactory.cipherSuites(list, TlsCipherGrade.MEDIUM, relaxed)).containsExactly(list.toArray(new String[0]));
        assertThat(PolicySocketFactory.cipherSuites(list, null, relaxed)).containsExactly(list.toArray(new String[0]));
        assertThat(PolicySocketFactory.cipherSuites(List.of(), TlsCipherGrade.HIGH, relaxed)).as("over the JVM defaults")
                .containsExactly(AES_GCM, SCSV);
        assertThat(PolicySocketFactory.cipherSuites(List.of(), null, relaxed)).as("JVM defaults untouched").isNull();
        assertThat(PolicySocketFactory.cipherSuites(List.of(TRIPLE_DES, RC4), TlsCipherGrade.HIGH, relaxed))
                .as("nothing left: none, never the defaults").isEmpty();
    }

    @Test
    void configuredSuitesAndGradeReachTheSocket() throws Exception {
        String list = AES_GCM + ", " + AES_CBC;
        assertThat(socket(factory("ciphers", list, "policyMap", "peer.test encrypt ciphers=high"))
                .getSSLParameters().getCipherSuites()).containsExactly(AES_GCM, AES_CBC);
        assertThat(socket(factory("ciphers", list, "policyMap", "other.test encrypt ciphers=high"))
                .getSSLParameters().getCipherSuites()).containsExactly(AES_GCM, AES_CBC);
    }

    @Test
    void cipherGradeOverTheJvmDefaultsKeepsOnlyThatGrade() throws Exception {
        List<String> defaults = List.of(SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites());
        String[] high = socket(factory("policyMap", "peer.test verify ciphers=high")).getSSLParameters().getCipherSuites();
        assertThat(high).isNotEmpty().allMatch(TlsCipherGrade.HIGH::permits);
        assertThat(defaults).containsAll(List.of(high));
    }

    @Test
    void handshakeUsesOnlyTheEntrysProtocols() throws Exception {
        assertThat(handshake(factory("policyMap", "peer.test encrypt protocols=!SSLv2:!SSLv3"), "TLSv1.2"))
                .isEqualTo("TLSv1.2");
        assertThat(handshake(factory("policyMap", "peer.test encrypt"), "TLSv1.3")).isEqualTo("TLSv1.3");
        assertThatThrownBy(() -> handshake(factory("policyMap", "peer.test encrypt protocols=>=TLSv1.3"), "TLSv1.2"))
                .isInstanceOf(SSLException.class);
        assertThatThrownBy(() -> handshake(factory("policyMap", "peer.test encrypt protocols=!TLSv1.3"), "TLSv1.3"))
                .isInstanceOf(SSLException.class);
    }

    @Test
    void aGradeLeavingNoSuiteFailsTheHandshakeInsteadOfFallingBack() throws Exception {
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, new javax.net.ssl.TrustManager[] {new PeerTrustManager(null, List.of(), false)}, null);
        PolicySocketFactory none = new PolicySocketFactory(client, List.of("TLSv1.2", "TLSv1.3"), List.of(TRIPLE_DES),
                TlsCipherGrade.HIGH, "mx.peer.test", null);
        assertThat(socket(none).getSSLParameters().getCipherSuites()).isEmpty();
        assertThatThrownBy(() -> handshake(none, "TLSv1.2")).isInstanceOf(IOException.class);
        PolicySocketFactory high = new PolicySocketFactory(client, List.of("TLSv1.2", "TLSv1.3"),
                List.of(TRIPLE_DES, AES_GCM), TlsCipherGrade.HIGH, "mx.peer.test", null);
        assertThat(handshake(high, "TLSv1.2")).isEqualTo("TLSv1.2");
    }

    /** Connects {@code factory}'s socket to a loopback TLS server allowing only {@code serverProtocol}. */
    private String handshake(PolicySocketFactory factory, String serverProtocol) throws Exception {
        SSLServerSocket server = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getLoopbackAddress());
        open.add(server);
        server.setEnabledProtocols(new String[] {serverProtocol});
        Thread accept = new Thread(() -> {
            try (SSLSocket s = (SSLSocket) server.accept()) {
                s.setSoTimeout(10_000);
                s.startHandshake();
                s.getInputStream().read();
            } catch (IOException e) {
                // the client's handshake reports the failure
            }
        });
        accept.setDaemon(true);
        accept.start();
        Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        open.add(plain);
        plain.setSoTimeout(10_000);
        SSLSocket ssl = (SSLSocket) factory.createSocket(plain, "mx.peer.test", server.getLocalPort(), true);
        open.add(ssl);
        ssl.startHandshake();
        return ssl.getSession().getProtocol();
    }

    /** Reports chosen supported and default suites; creates no sockets. */
    private static final class StubFactory extends SSLSocketFactory {
        private final List<String> supported;
        private final List<String> defaults;

        StubFactory(List<String> supported, List<String> defaults) {
            this.supported = supported;
            this.defaults = defaults;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return defaults.toArray(new String[0]);
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return supported.toArray(new String[0]);
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Socket createSocket(String host, int port) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Socket createSocket(InetAddress host, int port) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
            throw new UnsupportedOperationException();
        }
    }
}
