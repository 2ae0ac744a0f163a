package dev.tollgate.it.peers;

import java.io.InputStream;
import java.net.Socket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * Server keys chosen by SNI, for test peers standing for several host names: every {@code <host>.p12} in a
 * directory becomes the key entry {@code <host>}; a handshake naming {@code <host>} in SNI gets it, any other
 * handshake gets none (and fails).
 */
final class SniKeys {
    private SniKeys() {
    }

    static SSLContext context(Path dir, char[] password) throws Exception {
        KeyStore all = KeyStore.getInstance("PKCS12");
        all.load(null, null);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.p12")) {
            for (Path f : files) {
                KeyStore one = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(f)) {
                    one.load(in, password);
                }
                String alias = one.aliases().nextElement();
                String host = f.getFileName().toString().replaceFirst("\\.p12$", "").toLowerCase(Locale.ROOT);
                all.setKeyEntry(host, one.getKey(alias, password), password, one.getCertificateChain(alias));
            }
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(all, password);
        X509KeyManager keys = (X509KeyManager) kmf.getKeyManagers()[0];
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new javax.net.ssl.KeyManager[] {new BySni(keys)}, null, null);
        return context;
    }

    /** @return the SNI host name the client asked for, or {@code -} */
    static String requested(SSLSession session) {
        if (session instanceof ExtendedSSLSession) {
            List<SNIServerName> names = ((ExtendedSSLSession) session).getRequestedServerNames();
            for (SNIServerName n : names) {
                if (n instanceof SNIHostName) {
                    return ((SNIHostName) n).getAsciiName().toLowerCase(Locale.ROOT);
                }
            }
        }
        return "-";
    }

    private static final class BySni extends X509ExtendedKeyManager {
        private final X509KeyManager keys;

        BySni(X509KeyManager keys) {
            this.keys = keys;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            if (!(socket instanceof SSLSocket)) {
                return null;
            }
            String host = requested(((SSLSocket) socket).getHandshakeSession());
            return keys.getPrivateKey(host) != null && keyType.equals(keys.getPrivateKey(host).getAlgorithm())
                    ? host : null;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            String host = requested(engine.getHandshakeSession());
            return keys.getPrivateKey(host) != null && keyType.equals(keys.getPrivateKey(host).getAlgorithm())
                    ? host : null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return keys.getPrivateKey(alias);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return keys.getServerAliases(keyType, issuers);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
