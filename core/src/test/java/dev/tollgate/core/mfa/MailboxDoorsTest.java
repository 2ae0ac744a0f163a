package dev.tollgate.core.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class MailboxDoorsTest {
    @Test
    void imapThroughTollgatesPackageWithPop3AndManageSieveOffIsClosed() {
        assertThat(MailboxDoors.check(true, List.of(" " + MailboxDoors.IMAP_PACKAGE + " "), false, false)).isEmpty();
        assertThat(MailboxDoors.check(false, List.of(), false, false)).as("no IMAP server").isEmpty();
    }

    @Test
    void imapWithJamesDefaultsIsAPasswordDoor() {
        List<MailboxDoors.Problem> none = MailboxDoors.check(true, List.of(), false, false);
        assertThat(none).hasSize(1);
        assertThat(none.get(0).file()).isEqualTo("imapserver.xml");
        assertThat(none.get(0).message()).contains("no <imapPackages>").contains(MailboxDoors.IMAP_PACKAGE);

        List<MailboxDoors.Problem> defaults = MailboxDoors.check(true,
                List.of("org.apache.james.modules.protocols.DefaultImapPackage", MailboxDoors.IMAP_PACKAGE), false, false);
        assertThat(defaults).extracting(MailboxDoors.Problem::message)
                .containsExactly("<imapPackages> lists org.apache.james.modules.protocols.DefaultImapPackage, whose "
                        + "LOGIN and AUTHENTICATE accept the account password alone: list " + MailboxDoors.IMAP_PACKAGE
                        + " instead (it holds every other default command)");
    }

    @Test
    void aMisspelledTollgatePackageIsNamed() {
        List<MailboxDoors.Problem> problems = MailboxDoors.check(true,
                List.of("dev.tollgate.james.mfa.imap.MfaImapPackages"), false, false);
        assertThat(problems).extracting(MailboxDoors.Problem::toString).containsExactly(
                "imapserver.xml: <imapPackages> lists dev.tollgate.james.mfa.imap.MfaImapPackages, which is not a "
                        + "Tollgate IMAP package: the package is " + MailboxDoors.IMAP_PACKAGE,
                "imapserver.xml: <imapPackages> without " + MailboxDoors.IMAP_PACKAGE + ": its IMAP LOGIN accepts the "
                        + "account password alone while MFA is on; add <imapPackages>" + MailboxDoors.IMAP_PACKAGE
                        + "</imapPackages>");
    }

    @Test
    void pop3AndManageSieveMustStayOff() {
        List<MailboxDoors.Problem> problems = MailboxDoors.check(false, List.of(), true, true);
        assertThat(problems).extracting(MailboxDoors.Problem::file).containsExactly("pop3server.xml", "managesieveserver.xml");
        assertThat(MailboxDoors.describe(problems)).contains("pop3server.xml: POP3 is enabled")
                .contains("\nmanagesieveserver.xml: ManageSieve is enabled");
    }
}
