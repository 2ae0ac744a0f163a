package dev.tollgate.core.tls;

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
 * its own {@link SSLContext} (trust as the level says), only the protocol versions the policy allows, the cipher
 * suites the configuration and the policy map entry's grade allow, and SNI naming the MX host although JavaMail
 * connects to an IP address. It records that the TLS layer was reached, so a failure afterwards is known to be a
 * TLS failure.
 *
 * <p>Cipher suites: the mailet's {@code ciphers} list, else the JVM's default suites; with a {@code ciphers=}
 * grade, only the suites of that grade or stronger ({@link TlsCipherGrade}). When the grade leaves none, the
 * socket is given none and the handshake fails: the destination is never reached with weaker suites.
 *
 * <p>One instance per connection attempt.
 */
public final class PolicySocketFactory extends SSLSocketFactory {
    private final SSLSocketFactory delegate;
    private final String[] protocols;
    private final String[] ciphers;
    private final String sniName;
    private volatile boolean used;
    private volatile InetAddress localAddress;

    private final javax.net.ssl.X509TrustManager trustManager;

    /**
     * @param context      the TLS context of this connection
     * @param protocols    JSSE protocol names allowed (e.g. from {@link dev.tollgate.core.tls.TlsPolicyEntry#allowedProtocols});
     *                     those the context does not support are dropped
     * @param ciphers      JSSE cipher suite names from the configuration; empty for the JVM's defaults
     * @param grade        the policy map entry's {@code ciphers=} grade, or null
     * @param sniName      the MX host name sent as SNI, or null
     * @param trustManager the trust manager {@code context} was initialised with, read after the handshake
     */
    public PolicySocketFactory(SSLContext context, List<String> protocols, List<String> ciphers, TlsCipherGrade grade,
            String sniName, javax.net.ssl.X509TrustManager trustManager) {
        this.trustManager = trustManager;
        this.delegate = context.getSocketFactory();
        List<String> supportedProtocols = List.of(context.getSupportedSSLParameters().getProtocols());
        List<String> allowed = new ArrayList<>();
        for (String p : protocols) {
            if (supportedProtocols.contains(p)) {
                allowed.add(p);
            }
        }
        this.protocols = allowed.toArray(new String[0]);
        this.ciphers = cipherSuites(ciphers, grade, delegate);
        this.sniName = sniName;
    }

    /**
     * @return the suites to enable, or null for the JVM's defaults (no list configured, no grade); an empty array
     *     when nothing is left, so that the handshake fails rather than fall back to other suites
     */
    public static String[] cipherSuites(List<String> configured, TlsCipherGrade grade, SSLSocketFactory factory) {
        if (configured.isEmpty() && grade == null) {
            return null;
        }
        List<String> candidates;
        if (configured.isEmpty()) {
            candidates = List.of(factory.getDefaultCipherSuites());
        } else {
            Set<String> supported = Set.of(factory.getSupportedCipherSuites());
            candidates = new ArrayList<>();
            for (String c : configured) {
                if (supported.contains(c)) {
                    candidates.add(c);
                }
            }
        }
        return (grade == null ? candidates : grade.filter(candidates)).toArray(new String[0]);
    }

    /** @return true once JavaMail asked for the TLS layer (STARTTLS was accepted with 220) */
    public boolean used() {
        return used;
    }

    /** @return the certificate check that failed in report-only mode, or null */
    public java.security.cert.CertificateException observedFailure() {
        return trustManager instanceof PeerTrustManager ? ((PeerTrustManager) trustManager).observedFailure() : null;
    }

    /** @return why DANE authentication refused the peer, or null */
    public dev.tollgate.core.tls.TlsFailureReason daneFailure() {
        return trustManager instanceof DaneTrustManager ? ((DaneTrustManager) trustManager).failure() : null;
    }

    /** @return this side's address on the connection (TLS-RPT {@code sending-mta-ip}), null before STARTTLS */
    public InetAddress localAddress() {
        return localAddress;
    }

    private Socket configure(Socket s) {
        used = true;
        localAddress = s.getLocalAddress();
        SSLSocket socket = (SSLSocket) s;
        SSLParameters params = socket.getSSLParameters();
        params.setProtocols(protocols.clone());
        if (ciphers != null) {
            params.setCipherSuites(ciphers.clone());
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
