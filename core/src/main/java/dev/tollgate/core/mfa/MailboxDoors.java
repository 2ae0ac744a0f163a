package dev.tollgate.core.mfa;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The rule that no James protocol opens a mailbox with the account password alone while MFA is on: every
 * enabled IMAP server goes through Tollgate's IMAP package, and POP3 and ManageSieve, which Tollgate has no MFA
 * for, stay off. Checked when the MFA service starts in James (a violation stops James) and by
 * {@code tollgate check-config}, from the facts read in {@code imapserver.xml}, {@code pop3server.xml} and
 * {@code managesieveserver.xml}.
 */
public final class MailboxDoors {
    /** The IMAP package that puts LOGIN and AUTHENTICATE behind MFA. */
    public static final String IMAP_PACKAGE = "dev.tollgate.james.mfa.imap.MfaImapPackage";
    /** James's file of IMAP servers and packages. */
    public static final String IMAP_FILE = "imapserver.xml";
    /** James's file of POP3 servers. */
    public static final String POP3_FILE = "pop3server.xml";
    /** James's file of ManageSieve servers. */
    public static final String MANAGESIEVE_FILE = "managesieveserver.xml";
    /** James 3.8.1's packages holding its own LOGIN and AUTHENTICATE processors (password alone). */
    static final Set<String> PASSWORD_PACKAGES = Set.of("org.apache.james.modules.protocols.DefaultImapPackage",
            "org.apache.james.modules.protocols.ImapPackage$DefaultAuth",
            "org.apache.james.modules.protocols.ImapPackage.DefaultAuth");

    /** One violation: the file to change and why. Immutable. */
    public static final class Problem {
        private final String file;
        private final String message;

        Problem(String file, String message) {
            this.file = file;
            this.message = message;
        }

        /** @return the James configuration file name, e.g. {@code pop3server.xml} */
        public String file() {
            return file;
        }

        /** @return what is wrong and what to do */
        public String message() {
            return message;
        }

        @Override
        public String toString() {
            return file + ": " + message;
        }
    }

    private MailboxDoors() {
    }

    /**
     * @param imapEnabled        whether any {@code <imapserver>} is enabled
     * @param imapPackages       the {@code <imapPackages>} values, in order (empty means James's defaults)
     * @param pop3Enabled        whether any {@code <pop3server>} is enabled
     * @param manageSieveEnabled whether any {@code <managesieveserver>} is enabled
     * @return the violations, empty when no door opens with the password alone
     */
    public static List<Problem> check(boolean imapEnabled, List<String> imapPackages, boolean pop3Enabled,
            boolean manageSieveEnabled) {
        List<Problem> problems = new ArrayList<>();
        if (imapEnabled) {
            List<String> packages = imapPackages.stream().map(String::trim).filter(p -> !p.isEmpty())
                    .collect(java.util.stream.Collectors.toList());
            for (String p : packages) {
                if (PASSWORD_PACKAGES.contains(p)) {
                    problems.add(new Problem(IMAP_FILE, "<imapPackages> lists " + p + ", whose LOGIN and AUTHENTICATE "
                            + "accept the account password alone: list " + IMAP_PACKAGE + " instead (it holds every "
                            + "other default command)"));
                } else if (p.startsWith("dev.tollgate.") && !p.equals(IMAP_PACKAGE)) {
                    problems.add(new Problem(IMAP_FILE, "<imapPackages> lists " + p + ", which is not a Tollgate IMAP "
                            + "package: the package is " + IMAP_PACKAGE));
                }
            }
            if (!packages.contains(IMAP_PACKAGE)) {
                problems.add(new Problem(IMAP_FILE, (packages.isEmpty() ? "no <imapPackages>: James's default"
                        : "<imapPackages> without " + IMAP_PACKAGE + ": its") + " IMAP LOGIN accepts the account "
                        + "password alone while MFA is on; add <imapPackages>" + IMAP_PACKAGE + "</imapPackages>"));
            }
        }
        if (pop3Enabled) {
            problems.add(new Problem(POP3_FILE, "POP3 is enabled, and Tollgate has no MFA for POP3: the account "
                    + "password alone would open the mailbox; set enabled=\"false\" on every <pop3server>"));
        }
        if (manageSieveEnabled) {
            problems.add(new Problem(MANAGESIEVE_FILE, "ManageSieve is enabled, and Tollgate has no MFA for "
                    + "ManageSieve: the account password alone would change the mail filters; set enabled=\"false\" "
                    + "on every <managesieveserver>"));
        }
        return Collections.unmodifiableList(problems);
    }

    /** @return the problems as one message, one per line, each naming its file */
    public static String describe(List<Problem> problems) {
        Objects.requireNonNull(problems, "problems");
        StringBuilder sb = new StringBuilder();
        for (Problem p : problems) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(p);
        }
        return sb.toString();
    }
}
