package dev.tollgate.james.mailets;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The SSL socket factory JavaMail uses for STARTTLS on one connection ({@code mail.smtp.ssl.socketFactory}):
 * its own {@link SSLContext} (trust as the level says), only protocols at or above the minimum, the configured
 * cipher suites, and SNI naming the MX host although JavaMail connects to an IP address. It records that the
 * TLS layer was reached, so a failure afterwards is known to be a TLS failure.
 *
 * <p>One instance per connection attempt.
 */
final class PolicySocketFactory extends SSLSocketFactory {
    private final SSLSocketFactory delegate;
    private final String[] protocols;
    private final String[] ciphers;
    private final String sniName;
    private volatile boolean used;
    private volatile InetAddress localAddress;

    private final javax.net.ssl.X509TrustManager trustManager;

    PolicySocketFactory(SSLContext context, String minimumProtocol, List<String> ciphers, String sniName) {
        this(context, minimumProtocol, ciphers, sniName, null);
    }

    /** @param trustManager the trust manager {@code context} was initialised with, read after the handshake */
    PolicySocketFactory(SSLContext context, String minimumProtocol, List<String> ciphers, String sniName,
            javax.net.ssl.X509TrustManager trustManager) {
        this.trustManager = trustManager;
        this.delegate = context.getSocketFactory();
        this.protocols = protocolsFrom(minimumProtocol, context.getSupportedSSLParameters().getProtocols());
        Set<String> supported = Set.of(delegate.getSupportedCipherSuites());
        List<String> enabled = new ArrayList<>();
        for (String c : ciphers) {
            if (supported.contains(c)) {
                enabled.add(c);
            }
        }
        this.ciphers = enabled.isEmpty() ? null : enabled.toArray(new String[0]);
        this.sniName = sniName;
    }

    static String[] protocolsFrom(String minimum, String[] supported) {
        int min = TlsPolicyDeliveryConfig.PROTOCOLS.indexOf(minimum);
        List<String> out = new ArrayList<>();
        for (String p : supported) {
            if (TlsPolicyDeliveryConfig.PROTOCOLS.indexOf(p) >= min && min >= 0) {
                out.add(p);
            }
        }
        return out.toArray(new String[0]);
    }

    /** @return true once JavaMail asked for the TLS layer (STARTTLS was accepted with 220) */
    boolean used() {
        return used;
    }

    /** @return the certificate check that failed in report-only mode, or null */
    java.security.cert.CertificateException observedFailure() {
        return trustManager instanceof PeerTrustManager ? ((PeerTrustManager) trustManager).observedFailure() : null;
    }

    /** @return why DANE authentication refused the peer, or null */
    dev.tollgate.core.tls.TlsFailureReason daneFailure() {
        return trustManager instanceof DaneTrustManager ? ((DaneTrustManager) trustManager).failure() : null;
    }

    /** @return this side's address on the connection (TLS-RPT {@code sending-mta-ip}), null before STARTTLS */
    InetAddress localAddress() {
        return localAddress;
    }

    private Socket configure(Socket s) {
        used = true;
        localAddress = s.getLocalAddress();
        SSLSocket socket = (SSLSocket) s;
        SSLParameters params = socket.getSSLParameters();
        params.setProtocols(protocols);
        if (ciphers != null) {
            params.setCipherSuites(ciphers);
        }
        if (sniName != null) {
            try {
                params.setServerNames(List.of(new SNIHostName(sniName)));
            } catch (IllegalArgumentException e) {
                // not a valid SNI name: send none
            }
        }
        socket.setSSLParameters(params);
        return socket;
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        return configure(delegate.createSocket(s, host, port, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return configure(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return configure(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return configure(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return configure(delegate.createSocket(address, port, localAddress, localPort));
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return ciphers != null ? ciphers.clone() : delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }
}
