package dev.tollgate.core.dlp.smime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Recipient S/MIME certificates kept as files in one directory: {@code <address>.pem} or
 * {@code <address>.crt} (PEM or DER X.509), the address in lower case, e.g.
 * {@code bob@partner.example.pem}. A certificate outside its validity period counts as missing.
 * Files are read at each lookup, so certificates can be added without a restart. Thread-safe.
 */
public final class CertificateDirectory {
    private static final Pattern SAFE = Pattern.compile("[a-z0-9._%+\\-]{1,64}@[a-z0-9.\\-]{1,253}");
    private static final String[] SUFFIXES = {".pem", ".crt"};

    private final Path directory;
    private final Clock clock;

    /**
     * @param directory the directory
     * @param clock for the validity check
     */
    public CertificateDirectory(Path directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    /**
     * @param address recipient address
     * @return its valid certificate, or empty (also for addresses that cannot be file names)
     */
    public Optional<X509Certificate> find(String address) {
        String a = address.toLowerCase(Locale.ROOT);
        if (!SAFE.matcher(a).matches() || a.contains("..")) {
            return Optional.empty();
        }
        for (String suffix : SUFFIXES) {
            Path f = directory.resolve(a + suffix);
            if (!Files.isRegularFile(f)) {
                continue;
            }
            try (InputStream in = Files.newInputStream(f)) {
                X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
                c.checkValidity(Date.from(clock.instant()));
                return Optional.of(c);
            } catch (IOException | CertificateException | ClassCastException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** @return whether a valid certificate exists for the address */
    public boolean has(String address) {
        return find(address).isPresent();
    }

    public Path directory() {
        return directory;
    }
}
