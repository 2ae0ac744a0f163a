package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.tollgate.it.harness.JamesContainer;

/** A Tollgate configuration error stops James at startup, naming the mailet and the parameter. */
class StartupConfigErrorIT {

    @Test
    void invalidMailetParameterFailsStartupNamingIt() {
        JamesContainer james = new JamesContainer()
                .withConfEdit("mailetcontainer.xml", xml -> xml.replaceOnce(
                        "<header>X-Tollgate-Transport</header>", "<header>Not a header:</header>"));
        try {
            assertThatThrownBy(james::start).isInstanceOf(RuntimeException.class);
            assertThat(james.logs())
                    .contains("dev.tollgate.james.transport.AddSecurityHeaders")
                    .contains("parameter 'header': must be a header field name");
        } finally {
            james.stop();
        }
    }

    @Test
    void unknownHookParameterFailsStartupNamingIt() {
        JamesContainer james = new JamesContainer()
                .withConfEdit("smtpserver.xml", xml -> xml.replaceFirst(
                        "<handler class=\"dev.tollgate.james.transport.SessionFactsHook\"/>",
                        "<handler class=\"dev.tollgate.james.transport.SessionFactsHook\"><recordTls>yes</recordTls></handler>"));
        try {
            assertThatThrownBy(james::start).isInstanceOf(RuntimeException.class);
            assertThat(james.logs()).contains("SessionFactsHook").contains("parameter 'recordTls': unknown parameter");
        } finally {
            james.stop();
        }
    }

    @Test
    void anMfaPolicyOutsideTheMfaPropertiesFailsStartupNamingTheOneSource() {
        JamesContainer james = new JamesContainer()
                .withConfEdit("smtpserver.xml", xml -> xml.replaceFirst("<requireTls>true</requireTls>",
                        "<requireTls>true</requireTls><policy>required</policy>"));
        try {
            assertThatThrownBy(james::start).isInstanceOf(RuntimeException.class);
            assertThat(james.logs()).contains("MfaAuthHook: parameter 'policy': is set in tollgate-mfa.properties only");
        } finally {
            james.stop();
        }
    }

    @Test
    void enabledPop3WithMfaFailsStartupNamingItsFile() {
        JamesContainer james = new JamesContainer()
                .withConfEdit("pop3server.xml", xml -> xml.replaceOnce("<pop3server enabled=\"false\">",
                        "<pop3server enabled=\"true\">"));
        try {
            assertThatThrownBy(james::start).isInstanceOf(RuntimeException.class);
            assertThat(james.logs()).contains("Tollgate MFA is on, but the account password alone would open mailboxes")
                    .contains("pop3server.xml: POP3 is enabled, and Tollgate has no MFA for POP3");
        } finally {
            james.stop();
        }
    }

    @Test
    void imapWithoutTollgatesPackageFailsStartupNamingImapserverXml() {
        JamesContainer james = new JamesContainer()
                .withConfEdit("imapserver.xml", xml -> xml.replaceOnce(
                        "<imapPackages>dev.tollgate.james.mfa.imap.MfaImapPackage</imapPackages>",
                        "<imapPackages>org.apache.james.modules.protocols.DefaultImapPackage</imapPackages>"));
        try {
            assertThatThrownBy(james::start).isInstanceOf(RuntimeException.class);
            assertThat(james.logs()).contains("imapserver.xml: <imapPackages> lists "
                    + "org.apache.james.modules.protocols.DefaultImapPackage");
        } finally {
            james.stop();
        }
    }

    @Test
    void anHttpRedirectorUrlWhileTheRedirectorServesHttpsFailsStartupNamingIt() {
        // conf/ links to http://localhost:8480; with tls=true the redirector answers only TLS on that port
        JamesContainer james = new JamesContainer()
                .withConfEdit("tollgate-links.properties", p -> p.replaceOnce("#tls=true", "tls=true")
                        .replaceOnce("#tls.keystore=conf/keystore", "tls.keystore=conf/keystore")
                        .replaceOnce("#tls.secret=tollgate-change-me", "tls.secret=tollgate-change-me"));
        try {
            assertThatThrownBy(james::start).isInstanceOf(RuntimeException.class);
            assertThat(james.logs()).contains("RewriteLinks")
                    .contains("parameter 'redirectorUrl': is http:// but the redirector serves HTTPS");
        } finally {
            james.stop();
        }
    }
}
