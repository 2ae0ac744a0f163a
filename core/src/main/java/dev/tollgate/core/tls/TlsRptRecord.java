package dev.tollgate.core.tls;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The SMTP TLS reporting policy a domain publishes as TXT at {@code _smtp._tls.<domain>} (RFC 8460 §3), e.g.
 * {@code v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://reports.example.com/v1}.
 *
 * <p>Immutable and thread-safe.
 */
public final class TlsRptRecord {
    /** The DNS label prefix of the record (RFC 8460 §3). */
    public static final String PREFIX = "_smtp._tls.";
    private static final String VERSION = "v=TLSRPTv1";
    private static final int MAX_LENGTH = 4096;

    private final List<URI> rua;

    private TlsRptRecord(List<URI> rua) {
        this.rua = List.copyOf(rua);
    }

    /**
     * Picks the reporting record among the TXT records found at {@code _smtp._tls.<domain>}: records not starting
     * with {@code v=TLSRPTv1} are discarded; unless exactly one remains and it is valid, the domain does not
     * implement TLS-RPT (RFC 8460 §3).
     *
     * @param txtRecords each record's strings concatenated; may be empty
     * @return the record, or empty when the domain asks for no reports
     */
    public static Optional<TlsRptRecord> select(List<String> txtRecords) {
        List<String> candidates = new ArrayList<>();
        for (String txt : txtRecords) {
            if (txt != null && txt.length() <= MAX_LENGTH && startsWithVersion(txt)) {
                candidates.add(txt);
            }
        }
        if (candidates.size() != 1) {
            return Optional.empty();
        }
        return parse(candidates.get(0));
    }

    private static boolean startsWithVersion(String txt) {
        if (!txt.startsWith(VERSION)) {
            return false;
        }
        String rest = txt.substring(VERSION.length()).trim();
        return rest.startsWith(";");
    }

    /**
     * @param text one record, e.g. {@code v=TLSRPTv1; rua=mailto:a@example.com}
     * @return the record, or empty when the version is wrong, {@code rua} is missing, or no {@code rua} URI is a
     *     {@code mailto:} or {@code https:} URI
     */
    public static Optional<TlsRptRecord> parse(String text) {
        if (text == null || text.length() > MAX_LENGTH || !startsWithVersion(text)) {
            return Optional.empty();
        }
        List<URI> uris = null;
        String[] fields = text.split(";");
        for (int i = 1; i < fields.length; i++) {
            String field = fields[i].trim();
            if (field.isEmpty()) {
                continue;
            }
            int eq = field.indexOf('=');
            if (eq <= 0) {
                return Optional.empty();
            }
            String name = field.substring(0, eq).trim();
            String value = field.substring(eq + 1).trim();
            if (name.equals("rua") && uris == null) {
                uris = new ArrayList<>();
                for (String item : value.split(",")) {
                    URI uri = uri(item.trim());
                    if (uri != null) {
                        uris.add(uri);
                    }
                }
            }
        }
        if (uris == null || uris.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TlsRptRecord(uris));
    }

    private static URI uri(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (scheme.equals("mailto") && uri.getSchemeSpecificPart().contains("@")
                    || scheme.equals("https") && uri.getHost() != null) {
                return uri;
            }
            return null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** @return the report destinations ({@code mailto:} and {@code https:} URIs), in record order, at least one */
    public List<URI> rua() {
        return rua;
    }

    @Override
    public String toString() {
        return "TlsRptRecord" + rua;
    }
}
