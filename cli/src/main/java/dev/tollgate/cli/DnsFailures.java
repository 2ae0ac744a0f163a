package dev.tollgate.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;

/**
 * Turns a failed DNS query into one line naming the query, the server and the cause (timeout, refused,
 * an error RCODE such as SERVFAIL), instead of an exception message that may be null.
 */
final class DnsFailures {
    private DnsFailures() {
    }

    /**
     * @param type    the query type (MX, TXT)
     * @param name    the queried name
     * @param server  the server as the user named it
     * @param timeout the per-query timeout
     * @param e       what the resolver threw
     * @return an exception whose message is {@code DNS query TYPE NAME to SERVER failed: CAUSE}
     */
    static IOException describe(String type, String name, String server, Duration timeout, IOException e) {
        return new IOException("DNS query " + type + " " + name + " to " + server + " failed: "
                + cause(e, timeout), e);
    }

    static String cause(Throwable e, Duration timeout) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage();
            String lower = message.toLowerCase(Locale.ROOT);
            if (t instanceof SocketTimeoutException || lower.contains("timed out") || lower.contains("timeout")) {
                return "no answer within " + format(timeout) + " (timeout)";
            }
            if (t instanceof PortUnreachableException || t instanceof ConnectException
                    || lower.contains("refused") || lower.contains("unreachable")) {
                return "refused or unreachable (" + t.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message) + ")";
            }
            if (message.startsWith("DNS error ")) {
                // DnsjavaTlsDns: "DNS error SERVFAIL for NAME"
                String rcode = message.substring("DNS error ".length()).split(" ", 2)[0];
                return "the server answered " + rcode;
            }
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
