package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import dev.tollgate.core.tls.MtaStsPolicy;
import dev.tollgate.core.tls.TlsFailureReason;
import dev.tollgate.core.tls.TlsPolicyException;

class TlsPolicyCommandTest {
    private LoopbackDns dns;
    private final List<String> fetched = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startDns() throws Exception {
        dns = new LoopbackDns(
                "enforce.test. 300 IN MX 10 mx1.enforce.test.",
                "enforce.test. 300 IN MX 20 mx2.enforce.test.",
                "_mta-sts.enforce.test. 300 IN TXT \"v=STSv1; id=e1\"",
                "_smtp._tls.enforce.test. 300 IN TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@enforce.test\"",
                "mta-sts.enforce.test. 300 IN A 127.0.0.1",
                "broken.test. 300 IN MX 10 mx.broken.test.",
                "_mta-sts.broken.test. 300 IN TXT \"v=STSv1; id=b1\"",
                "plain.test. 300 IN MX 10 mx.plain.test.");
    }

    @AfterEach
    void stopDns() {
        dns.close();
    }

    private String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Tollgate.newCommandLine();
        TlsPolicyCommand command = cl.getSubcommands().get("tls-policy").getCommand();
        command.fetcherFactory = (ssl, resolver) -> domain -> {
            fetched.add(domain);
            try {
                // The fetcher resolves the policy host with the same DNS as the MX lookups.
                resolver.resolve("mta-sts." + domain);
            } catch (java.net.UnknownHostException e) {
                throw new TlsPolicyException(TlsFailureReason.STS_POLICY_FETCH_ERROR, "no address");
            }
            return MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmx: mx2.enforce.test\nmax_age: 604800\n");
        };
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void enforcedMtaStsListsTheAllowedAndRefusedMxHosts() {
        String[] r = run("tls-policy", "enforce.test", "--dns-server", "127.0.0.1:" + dns.port());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("Effective policy: mta-sts (source mta-sts, enforce)")
                .contains("policy map: no entry (no configuration given)")
                .contains("DANE: not consulted (dane=false")
                .contains("MTA-STS: TXT _mta-sts.enforce.test: v=STSv1; id=e1")
                .contains("(id e1, cached for 604800 s)")
                .contains("      mx: mx2.enforce.test")
                .containsPattern("10 mx1\\.enforce\\.test\\s+refused: matches no mx pattern of the enforced MTA-STS "
                        + "policy \\(mx-not-permitted\\)")
                .containsPattern("20 mx2\\.enforce\\.test\\s+allowed: matches an MTA-STS mx pattern; TLS required, "
                        + "certificate must chain to a trusted CA and name mx2\\.enforce\\.test")
                .contains("TLS-RPT: _smtp._tls.enforce.test: reports requested to [mailto:tlsrpt@enforce.test]");
        String mxSection = r[1].substring(r[1].indexOf("MX hosts, preference order:"));
        assertThat(mxSection.indexOf("10 mx1.enforce.test")).as("preference order").isGreaterThan(0)
                .isLessThan(mxSection.indexOf("20 mx2.enforce.test"));
        assertThat(dns.questions).contains("enforce.test. MX", "_mta-sts.enforce.test. TXT",
                "_smtp._tls.enforce.test. TXT", "mta-sts.enforce.test. A");
        assertThat(fetched).containsExactly("enforce.test");
    }

    @Test
    void policyMapWinsOverMtaSts() {
        String[] r = run("tls-policy", "enforce.test", "--dns-server", "127.0.0.1:" + dns.port(),
                "--policy-map", ".test encrypt");
        assertThat(r[1]).contains("Effective policy: encrypt (source policy-map, enforce)")
                .contains("policy map: entry .test encrypt (from --policy-map)")
                .containsPattern("10 mx1\\.enforce\\.test\\s+allowed: TLS required, any certificate");
        assertThat(r[0]).isEqualTo("0");
    }

    @Test
    void failedPolicyFetchFallsBackToTheDefaultLevelAndSaysWhy() {
        String[] r = run("tls-policy", "broken.test", "--dns-server", "127.0.0.1:" + dns.port(), "--level", "verify");
        assertThat(r[1]).contains("Effective policy: verify (source default, enforce)")
                .contains("policy not usable: sts-policy-fetch-error")
                .containsPattern("10 mx\\.broken\\.test\\s+allowed: TLS required, certificate must chain")
                .contains("TLS-RPT: _smtp._tls.broken.test: no (valid) record");
        assertThat(r[0]).isEqualTo("0");
    }

    @Test
    void withoutMtaStsOpportunisticDefault() {
        String[] r = run("tls-policy", "plain.test", "--dns-server", "127.0.0.1:" + dns.port());
        assertThat(r[1]).contains("Effective policy: may (source default, enforce)")
                .contains("MTA-STS: TXT _mta-sts.plain.test: none")
                .containsPattern("mx\\.plain\\.test\\s+allowed: STARTTLS when offered, plain text otherwise");
        assertThat(fetched).isEmpty();
    }

    @Test
    void readsThePolicyMapFromMailetcontainerXml(@TempDir Path dir) throws Exception {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("mailetcontainer.xml"), "<mailetcontainer><processors>"
                + "<processor state=\"relay\"><mailet match=\"All\" class=\"dev.tollgate.james.tls.TlsPolicyDelivery\">"
                + "<defaultLevel>encrypt</defaultLevel><policyMap>plain.test none</policyMap>"
                + "</mailet></processor></processors></mailetcontainer>");
        String[] r = run("tls-policy", "plain.test", "--dns-server", "127.0.0.1:" + dns.port(), "--config",
                conf.toString());
        assertThat(r[1]).contains("Effective policy: none (source policy-map, enforce)")
                .contains("policy map: entry plain.test none (from " + conf + ")")
                .contains("default level: encrypt")
                .containsPattern("mx\\.plain\\.test\\s+allowed: no TLS");
    }

    @Test
    void daneWithoutAChainOfTrustFromTheRootDefers() {
        // The loopback server serves no signed root: the validator cannot establish the DNSSEC status, so DANE
        // fails closed (RFC 7672 §2.1) even though the domain publishes an MTA-STS policy.
        String[] r = run("tls-policy", "enforce.test", "--dns-server", "127.0.0.1:" + dns.port(), "--dane");
        assertThat(r[1]).contains("DANE: lookup failure")
                .contains("Effective policy: dane (source dane, enforce)")
                .contains("delivery is deferred: dnssec-invalid");
        assertThat(r[0]).isEqualTo("1");
    }

    @Test
    void deferredPolicyExitsWithOne() {
        String[] r = run("tls-policy", "plain.test", "--dns-server", "127.0.0.1:" + dns.port(),
                "--policy-map", "plain.test dane-only");
        assertThat(r[1]).contains("delivery is deferred: dnssec-invalid");
        assertThat(r[0]).isEqualTo("1");
    }

    @Test
    void configurationErrorsAreUsageErrors(@TempDir Path dir) {
        String[] r = run("tls-policy", "plain.test", "--dns-server", "127.0.0.1:" + dns.port(), "--level", "strict");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("defaultLevel");
        r = run("tls-policy", "plain.test", "--config", dir.resolve("missing.xml").toString());
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("--config");
    }

    @Test
    void servfailNamesTheQueryTheServerAndTheRcode() {
        String server = "127.0.0.1:" + dns.port();
        String[] r = run("tls-policy", "--dns-server=" + server, "--timeout=2s", "--no-mta-sts", "servfail.test");

        assertThat(r[0]).as(r[2]).isEqualTo("2");
        assertThat(r[2]).contains("DNS query MX servfail.test to " + server + " failed: the server answered SERVFAIL")
                .doesNotContain("null");
    }

    @Test
    void silentServerIsATimeoutNamingTheServer() throws Exception {
        try (java.net.DatagramSocket silent = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            String server = "127.0.0.1:" + silent.getLocalPort();
            String[] r = run("tls-policy", "--dns-server=" + server, "--timeout=300ms", "--no-mta-sts", "plain.test");

            assertThat(r[0]).as(r[2]).isEqualTo("2");
            assertThat(r[2]).contains("DNS query MX plain.test to " + server + " failed: no answer within 300ms (timeout)");
        }
    }

    @Test
    void closedPortIsRefused() throws Exception {
        int port;
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String server = "127.0.0.1:" + port;
        String[] r = run("tls-policy", "--dns-server=" + server, "--timeout=500ms", "--no-mta-sts", "plain.test");

        assertThat(r[0]).as(r[2]).isEqualTo("2");
        // Linux answers a datagram to a closed loopback port with ICMP port unreachable.
        assertThat(r[2]).contains("DNS query MX plain.test to " + server + " failed: refused or unreachable (PortUnreachableException)");
    }
}
