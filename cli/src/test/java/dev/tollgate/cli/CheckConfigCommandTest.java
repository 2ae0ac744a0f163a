package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckConfigCommandTest {
    private static final Path SHIPPED = Paths.get("..", "conf");
    private static final String ASH = "dev.tollgate.james.transport.AddSecurityHeaders";
    private static final String HOOK_DECL = "<handler class=\"dev.tollgate.james.transport.SessionFactsHook\"/>";
    private static final String TRANSPORT_ANCHOR = "<mailet match=\"All\" class=\"RemoveMimeHeader\">";
    private static final String GUARD = "dev.tollgate.james.webadmin.BrowserRequestGuard";
    private static final String MFA_ROUTES = "dev.tollgate.james.mfa.MfaRoutes";
    private static final String LINK_KEY_ROUTES = "dev.tollgate.james.links.LinkKeyRoutes";
    private static final List<String> SHIPPED_ROUTES = List.of(GUARD, MFA_ROUTES, LINK_KEY_ROUTES);

    @TempDir
    Path temp;

    private Path conf;

    /** Outcome of one run. */
    static final class Run {
        final int exit;
        final String out;
        final String err;

        Run(int exit, String out, String err) {
            this.exit = exit;
            this.out = out;
            this.err = err;
        }

        String all() {
            return out + err;
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Tollgate.newCommandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @BeforeEach
    void copyShippedConf() throws IOException {
        conf = Files.createDirectory(temp.resolve("conf"));
        try (java.util.stream.Stream<Path> files = Files.list(SHIPPED)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Files.copy(f, conf.resolve(f.getFileName()));
            }
        }
    }

    @Test
    void relativePolicyIsResolvedAgainstJamesHomeNotTheCurrentDirectory() throws IOException {
        // The current directory is cli/, where conf/tollgate-dlp-policy.xml does not exist; James's home is temp.
        assertThat(Paths.get("conf", "tollgate-dlp-policy.xml")).doesNotExist();
        Run ok = run("check-config", conf.toString());
        assertThat(ok.exit).as(ok.all()).isZero();

        Files.delete(conf.resolve("tollgate-dlp-policy.xml"));
        Run r = run("check-config", conf.toString());

        assertThat(r.exit).as(r.all()).isEqualTo(1);
        assertThat(r.out).containsPattern("mailetcontainer\\.xml:\\d+: <mailet class=\"dev\\.tollgate\\.james"
                + "\\.dlp\\.ScanSensitiveData\"> in processor '[a-z-]+': parameter 'policy': file "
                + Pattern.quote(temp.resolve("conf").resolve("tollgate-dlp-policy.xml").toAbsolutePath().toString())
                + " does not exist");
        assertThat(r.out).contains("1 error");
    }

    @Test
    void relativeTrustStoreIsResolvedAgainstJamesHomeAndItsPasswordIsNeverPrinted() throws IOException {
        Files.write(conf.resolve("peers.p12"), new byte[] {1, 2, 3, 4});
        addToTransport("<mailet match=\"All\" class=\"dev.tollgate.james.tls.TlsPolicyDelivery\">"
                + "<trustStore>conf/peers.p12</trustStore><trustStorePassword>Zq9-sEcReT-pw</trustStorePassword>"
                + "</mailet>");
        Run r = run("check-config", conf.toString());

        assertThat(r.exit).as(r.all()).isEqualTo(1);
        assertThat(r.out).contains("parameter 'trustStore'")
                .contains(temp.resolve("conf").resolve("peers.p12").toAbsolutePath().toString());
        assertThat(r.all()).doesNotContain("Zq9-sEcReT-pw");
    }

    @Test
    void brokenPolicyFileIsReportedWithItsFileAndLine() throws IOException {
        Path policy = conf.resolve("tollgate-dlp-policy.xml");
        Files.writeString(policy, "<?xml version=\"1.0\"?>\n<dlp-policy mode=\"enforce\">\n"
                + "  <rule id=\"x\" detectors=\"no-such-detector\" action=\"reject\"/>\n</dlp-policy>\n",
                StandardCharsets.UTF_8);
        Run r = run("check-config", conf.toString());

        assertThat(r.exit).as(r.all()).isEqualTo(1);
        assertThat(r.out).contains("parameter 'policy'").contains(policy.getFileName() + ":3");
    }

    @Test
    void policyEncryptedActionThatNeedsAConditionIsReportedNamingTheAttribute() throws IOException {
        Path policy = conf.resolve("tollgate-dlp-policy.xml");
        Files.writeString(policy, "<?xml version=\"1.0\"?>\n\n<dlp-policy encrypted=\"encrypt\"/>\n",
                StandardCharsets.UTF_8);
        Run r = run("check-config", conf.toString());

        assertThat(r.exit).as(r.all()).isEqualTo(1);
        assertThat(r.out).contains("parameter 'policy'").contains(policy.getFileName() + ":3")
                .contains("encrypted cannot be encrypt");
    }

    private Path mailetContainer() {
        return conf.resolve("mailetcontainer.xml");
    }

    private Path smtpServer() {
        return conf.resolve("smtpserver.xml");
    }

    private static void replace(Path file, String from, String to) throws IOException {
        String xml = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(xml).contains(from);
        Files.writeString(file, xml.replaceFirst(Pattern.quote(from), Matcher.quoteReplacement(to)),
                StandardCharsets.UTF_8);
    }

    private static void replaceEvery(Path file, String from, String to) throws IOException {
        String xml = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(xml).contains(from);
        Files.writeString(file, xml.replace(from, to), StandardCharsets.UTF_8);
    }

    /** Inserts mailets or matchers at the top of the transport processor. */
    private void addToTransport(String xml) throws IOException {
        replace(mailetContainer(), TRANSPORT_ANCHOR, xml + "\n            " + TRANSPORT_ANCHOR);
    }

    /** @return the 1-based line of the first line containing text */
    private static int lineOf(Path file, String text) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in " + file);
    }

    /** Tollgate components in the shipped conf/: the baseline the edited copies are compared with. */
    private static int shippedCount() {
        return checkedCount(run("check-config", SHIPPED.toString()).out);
    }

    private static int checkedCount(String out) {
        Matcher m = Pattern.compile("(\\d+) Tollgate components? checked, (\\d+) errors?").matcher(out);
        assertThat(m.find()).as("summary line in %s", out).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static long lines(String out, String containing) {
        return out.lines().filter(l -> l.contains(containing)).count();
    }

    @Test
    void shippedConfigurationPasses() {
        Run r = run("check-config", "--verbose", SHIPPED.toString());

        assertThat(r.exit).as(r.all()).isZero();
        assertThat(checkedCount(r.out)).isGreaterThanOrEqualTo(4);
        assertThat(r.out).contains("0 errors");
        assertThat(lines(r.out, "<mailet class=\"" + ASH + "\"> in processor 'transport'")).isEqualTo(1);
        assertThat(lines(r.out, "<handler class=\"dev.tollgate.james.transport.SessionFactsHook\">")).isEqualTo(3);
        assertThat(r.err).isEmpty();
    }

    @Test
    void badHeaderNameIsReportedWithFileLineElementAndParameter() throws IOException {
        replace(mailetContainer(), "<header>X-Tollgate-Transport</header>", "<header>Bad header:</header>");
        int line = lineOf(mailetContainer(), "<header>Bad header:</header>");

        Run r = run("check-config", conf.toString());

        assertThat(r.exit).as(r.all()).isEqualTo(1);
        assertThat(r.out).contains(mailetContainer() + ":" + line + ": <mailet class=\"" + ASH
                + "\"> in processor 'transport': parameter 'header': must be a header field name");
        assertThat(r.out).doesNotContain("Bad header");
        assertThat(r.out).contains("1 error");
    }

    @Test
    void tlsPolicyDeliveryReportingAndDaneParametersAreChecked() throws IOException {
        replace(mailetContainer(), "<maxRetries>5</maxRetries>", "<maxRetries>5</maxRetries>\n"
                + "<tlsRptDirectory>var/tlsrpt</tlsRptDirectory><tlsRptOrganization>Example</tlsRptOrganization>"
                + "<tlsRptContact>mailto:p@example.com</tlsRptContact><tlsRptDomain>example.com</tlsRptDomain>"
                + "<tlsRptPeriod>7h</tlsRptPeriod>");
        Run r = run("check-config", conf.toString());
        assertThat(r.exit).as(r.all()).isEqualTo(1);
        assertThat(r.out).contains("<mailet class=\"dev.tollgate.james.tls.TlsPolicyDelivery\"> in processor "
                + "'relay': parameter 'tlsRptPeriod'");

        replace(mailetContainer(), "<tlsRptPeriod>7h</tlsRptPeriod>", "<dane>true</dane>"
                + "<daneTrustAnchors>conf/missing-anchors.txt</daneTrustAnchors>");
        r = run("check-config", conf.toString());
        assertThat(r.exit).as(r.all()).isEqualTo(1);
        assertThat(r.out).contains("parameter 'daneTrustAnchors'").doesNotContain("parameter 'tlsRptPeriod'");
    }

    @Test
    void unknownHookParameterIsReported() throws IOException {
        replace(smtpServer(), HOOK_DECL,
                "<handler class=\"dev.tollgate.james.transport.SessionFactsHook\">\n<x>1</x>\n</handler>");
        int line = lineOf(smtpServer(), "<x>1</x>");

        Run r = run("check-config", conf.toString());

        assertThat(r.exit).as(r.all()).isEqualTo(1);
        assertThat(r.out).contains(smtpServer() + ":" + line
                + ": <handler class=\"dev.tollgate.james.transport.SessionFactsHook\"> in smtpserver 'smtpserver-mx'"
                + ": parameter 'x': unknown parameter");
    }

    @Test
    void repeatedUnknownParameterIsOneError() throws IOException {
        replace(smtpServer(), HOOK_DECL,
                "<handler class=\"dev.tollgate.james.transport.SessionFactsHook\"><x>1</x><x>2</x></handler>");

        Run r = run("check-config", conf.toString());

        assertThat(r.exit).isEqualTo(1);
        assertThat(lines(r.out, "parameter 'x'")).isEqualTo(1);
        assertThat(r.out).contains("1 error");
    }

    @Test
    void repeatedElementsAreJoinedWithCommasAndNestedOnesNamedByPath() throws IOException {
        addToTransport("<mailet match=\"All\" class=\"" + JoinProbeSpec.CLASS_NAME + "\" item=\"attr\">"
                + "<item>a</item><item> b </item><nested><leaf>c</leaf></nested></mailet>");

        Run r = run("check-config", conf.toString());

        assertThat(r.exit).isEqualTo(1);
        assertThat(r.out).contains("parameter 'item': names=[item, nested.leaf] item=[a,b]");
    }

    @Test
    void matcherConditionIsValidated() throws IOException {
        addToTransport("<mailet match=\"dev.tollgate.james.tls.SentOverTls=TLSv9\" class=\"Null\"/>\n"
                + "<mailet match=\"dev.tollgate.james.tls.SentOverTls=TLSv1.2\" class=\"Null\"/>\n"
                + "<mailet match=\"dev.tollgate.james.tls.SentOverTls\" class=\"Null\"/>");
        int line = lineOf(mailetContainer(), "SentOverTls=TLSv9");

        Run r = run("check-config", conf.toString());

        assertThat(r.exit).as(r.all()).isEqualTo(1);
        assertThat(r.out).contains(mailetContainer() + ":" + line
                + ": <mailet match=\"dev.tollgate.james.tls.SentOverTls=...\"> in processor 'transport'"
                + ": parameter 'condition': minimum TLS protocol must be one of");
        assertThat(checkedCount(r.out)).isEqualTo(shippedCount() + 3);
        assertThat(r.out).contains("1 error");
    }

    @Test
    void conditionIsTheTextAfterTheFirstEquals() throws IOException {
        addToTransport("<mailet match=\"dev.tollgate.james.tls.SentOverTls=TLSv1.2=x\" class=\"Null\"/>");

        Run r = run("check-config", conf.toString());

        assertThat(r.out).contains("parameter 'condition'");
        assertThat(r.out).doesNotContain("no Tollgate matcher");
    }

    @Test
    void notmatchIsCheckedLikeMatch() throws IOException {
        addToTransport("<mailet notmatch=\"dev.tollgate.james.tls.SentOverTls=TLSv9\" class=\"Null\"/>");

        Run r = run("check-config", conf.toString());

        assertThat(r.exit).isEqualTo(1);
        assertThat(r.out).contains("<mailet notmatch=\"dev.tollgate.james.tls.SentOverTls=...\">"
                + " in processor 'transport': parameter 'condition'");
    }

    @Test
    void matcherNestedInCompositeIsChecked() throws IOException {
        replace(mailetContainer(), "<matcher match=\"SentByMailet\"/>", "<matcher match=\"SentByMailet\"/>\n"
                + "<matcher match=\"dev.tollgate.james.tls.SentOverTls=TLSv1.3\"/>\n"
                + "<matcher match=\"org.apache.james.mailetcontainer.impl.matchers.And\">\n"
                + "  <matcher match=\"dev.tollgate.james.tls.SentOverTls=SSLv3\"/>\n"
                + "</matcher>");
        int line = lineOf(mailetContainer(), "SentOverTls=SSLv3");

        Run r = run("check-config", conf.toString());

        assertThat(r.exit).as(r.all()).isEqualTo(1);
        assertThat(r.out).contains(mailetContainer() + ":" + line
                + ": <matcher match=\"dev.tollgate.james.tls.SentOverTls=...\">"
                + " inside <matcher name=\"relay-allowed\"> in processor 'transport': parameter 'condition'");
        assertThat(checkedCount(r.out)).isEqualTo(shippedCount() + 2);
        assertThat(r.out).contains("1 error");
    }

    @Test
    void classNamesFromBeforeThePackageMoveNameTheirReplacement() throws IOException {
        addToTransport("<mailet match=\"dev.tollgate.james.matchers.HasSensitiveData=card\""
                + " class=\"dev.tollgate.james.mailets.DlpTag\"/>");
        replace(smtpServer(), HOOK_DECL, "<handler class=\"dev.tollgate.james.smtp.SessionFactsHook\"/>");

        Run r = run("check-config", conf.toString());

        assertThat(r.exit).isEqualTo(1);
        assertThat(r.out)
                .contains("no Tollgate mailet named dev.tollgate.james.mailets.DlpTag (James would fail to start:"
                        + " class not found); it is now named dev.tollgate.james.dlp.DlpTag")
                .contains("no Tollgate matcher named dev.tollgate.james.matchers.HasSensitiveData (James would fail"
                        + " to start: class not found); it is now named dev.tollgate.james.dlp.HasSensitiveData")
                .contains("no Tollgate handler named dev.tollgate.james.smtp.SessionFactsHook (James would fail"
                        + " to start: class not found); it is now named dev.tollgate.james.transport.SessionFactsHook")
                .contains("3 errors");
        assertThat(r.out).doesNotContain("no Tollgate mailet named dev.tollgate.james.mailets.DlpTag (James would"
                + " fail to start: class not found)\n");
    }

    @Test
    void unknownTollgateClassesAreErrors() throws IOException {
        addToTransport("<mailet match=\"dev.tollgate.james.matchers.NoSuchMatcher\""
                + " class=\"dev.tollgate.james.mailets.NoSuchMailet\"/>");
        replace(smtpServer(), HOOK_DECL, "<handler class=\"dev.tollgate.james.smtp.NoSuchHook\"/>");
        // A spec of another kind does not count: SentOverTls is a matcher, not a mailet.
        addToTransport("<mailet match=\"All\" class=\"dev.tollgate.james.tls.SentOverTls\"/>");

        Run r = run("check-config", conf.toString());

        assertThat(r.exit).isEqualTo(1);
        assertThat(r.out)
                .contains("no Tollgate mailet named dev.tollgate.james.mailets.NoSuchMailet")
                .contains("no Tollgate matcher named dev.tollgate.james.matchers.NoSuchMatcher")
                .contains("no Tollgate handler named dev.tollgate.james.smtp.NoSuchHook")
                .contains("no Tollgate mailet named dev.tollgate.james.tls.SentOverTls")
                .contains("4 errors");
    }

    @Test
    void onMailetExceptionMustNameAnExistingLowerCaseProcessor() throws IOException {
        addToTransport("<mailet match=\"All\" class=\"Null\"><onMailetException>quarantine</onMailetException>"
                + "</mailet>\n"
                + "<mailet match=\"All\" class=\"Null\"><onMailetException>Error</onMailetException></mailet>\n"
                + "<mailet match=\"All\" class=\"Null\"><onMailetException>Audit</onMailetException></mailet>\n"
                + "<mailet match=\"All\" class=\"Null\"><onMailetException>transport</onMailetException>"
                + "</mailet>");
        replace(mailetContainer(), "</processors>",
                "<processor state=\"Audit\"><mailet match=\"All\" class=\"Null\"/></processor>\n</processors>");
        int line = lineOf(mailetContainer(), "quarantine");

        Run r = run("check-config", conf.toString());

        assertThat(r.exit).as(r.all()).isEqualTo(1);
        assertThat(r.out).contains(mailetContainer() + ":" + line + ": <mailet class=\"Null\"> in processor "
                + "'transport': parameter 'onMailetException': processor names in onMailetException must be "
                + "lower case and exist: 'quarantine'");
        assertThat(r.out).contains("must be lower case and exist: 'Error'");
        assertThat(r.out).contains("James lower-cases 'Audit'");
        assertThat(r.out).contains("3 errors");
    }

    @Test
    void processorsRootAndErrorMustExist() throws IOException {
        replace(mailetContainer(), "<processor state=\"error\"", "<processor state=\"errors\"");

        Run r = run("check-config", conf.toString());

        assertThat(r.exit).isEqualTo(1);
        assertThat(r.out).contains("<processors>: no processor named 'error'");
        assertThat(r.out).doesNotContain("no processor named 'root'");
    }

    @Test
    void doctypeWithExternalEntityIsRefusedWithoutReadingTheEntity() throws IOException {
        Path secret = temp.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-MARKER");
        Files.writeString(mailetContainer(), "<?xml version=\"1.0\"?>\n"
                + "<!DOCTYPE mailetcontainer [<!ENTITY leak SYSTEM \"" + secret.toUri() + "\">]>\n"
                + "<mailetcontainer><processors><processor state=\"root\">"
                + "<mailet match=\"All\" class=\"" + ASH + "\"><header>&leak;</header></mailet>"
                + "</processor></processors></mailetcontainer>\n");

        Run r = run("check-config", conf.toString());

        assertThat(r.exit).isEqualTo(2);
        assertThat(r.err).contains("mailetcontainer.xml").contains("DOCTYPE");
        assertThat(r.all()).doesNotContain("TOP-SECRET-MARKER");
    }

    @Test
    void malformedXmlIsAnInputError() throws IOException {
        Files.writeString(smtpServer(), "<smtpservers>\n<smtpserver>\n</smtpservers>\n");

        Run r = run("check-config", conf.toString());

        assertThat(r.exit).isEqualTo(2);
        assertThat(r.err).contains(smtpServer() + ":3: malformed XML");
    }

    @Test
    void missingDirectoryIsAnInputError() {
        Run r = run("check-config", temp.resolve("nowhere").toString());

        assertThat(r.exit).isEqualTo(2);
        assertThat(r.err).contains("configuration directory not found");
    }

    @Test
    void directoryWithoutEitherFileIsAnInputError() throws IOException {
        Path empty = Files.createDirectory(temp.resolve("empty"));

        Run r = run("check-config", empty.toString());

        assertThat(r.exit).isEqualTo(2);
        assertThat(r.err).contains("neither mailetcontainer.xml, smtpserver.xml, webadmin.properties nor imapserver.xml");
    }

    @Test
    void oneMissingFileIsNotedNotAnError() throws IOException {
        Files.delete(mailetContainer());

        Run r = run("check-config", conf.toString());

        assertThat(r.exit).as(r.all()).isZero();
        long handlers = lines(Files.readString(smtpServer(), StandardCharsets.UTF_8), "<handler class=\"dev.tollgate.");
        assertThat(r.out).contains("mailetcontainer.xml not found");
        assertThat(checkedCount(r.out)).isEqualTo(handlers + SHIPPED_ROUTES.size() + shippedSettingsAndExtensions());
    }

    /**
     * extensions.properties' Tollgate classes (a line may list several), plus tollgate-mfa.properties,
     * tollgate-state.properties, tollgate-links.properties, tollgate-selfservice.properties and the IMAP
     * package of imapserver.xml.
     */
    private long shippedSettingsAndExtensions() throws IOException {
        return Pattern.compile("[=,]\\s*dev\\.tollgate\\.").matcher(
                Files.readString(conf.resolve("extensions.properties"), StandardCharsets.UTF_8)).results().count() + 5;
    }

    private static final String IMAP_PACKAGE = "<imapPackages>dev.tollgate.james.mfa.imap.MfaImapPackage</imapPackages>";

    @Test
    void shippedImapPackageIsCheckedAndPop3AndManageSieveAreOff() {
        Run r = run("check-config", "--verbose", SHIPPED.toString());

        assertThat(r.exit).as(r.all()).isZero();
        assertThat(lines(r.out, "imapserver.xml:")).as(r.out).isEqualTo(1);
        assertThat(r.out).contains(IMAP_PACKAGE);
    }

    @Test
    void aMisspeltImapPackageIsNamedWithItsLine() throws IOException {
        Path imap = conf.resolve("imapserver.xml");
        replace(imap, IMAP_PACKAGE, "<imapPackages>dev.tollgate.james.mfa.imap.MfaImapPackages</imapPackages>");
        int line = lineOf(imap, "MfaImapPackages<");

        Run r = run("check-config", conf.toString());

        assertThat(r.exit).as(r.all()).isEqualTo(1);
        assertThat(r.out).contains(imap + ":" + line + ": <imapservers>: <imapPackages> lists "
                + "dev.tollgate.james.mfa.imap.MfaImapPackages, which is not a Tollgate IMAP package: the package is "
                + "dev.tollgate.james.mfa.imap.MfaImapPackage");
        assertThat(r.out).contains(imap + ":" + line + ": <imapservers>: <imapPackages> without "
                + "dev.tollgate.james.mfa.imap.MfaImapPackage");
        assertThat(r.out).contains("2 errors");
    }

    @Test
    void jamesDefaultImapPackageOrNoneIsAPasswordDoor() throws IOException {
        Path imap = conf.resolve("imapserver.xml");
        replace(imap, IMAP_PACKAGE, "<imapPackages>org.apache.james.modules.protocols.DefaultImapPackage</imapPackages>");
        Run r = run("check-config", conf.toString());
        assertThat(r.exit).as(r.all()).isEqualTo(1);
        assertThat(r.out).contains("lists org.apache.james.modules.protocols.DefaultImapPackage, whose LOGIN and "
                + "AUTHENTICATE accept the account password alone").contains("2 errors");

        replace(imap, "<imapPackages>org.apache.james.modules.protocols.DefaultImapPackage</imapPackages>", "");
        Run none = run("check-config", conf.toString());
        assertThat(none.exit).as(none.all()).isEqualTo(1);
        assertThat(none.out).contains("no <imapPackages>: James's default IMAP LOGIN accepts the account password "
                + "alone while MFA is on").contains("1 error");
    }

    @Test
    void enabledPop3OrManageSieveIsAnErrorNamingTheFile() throws IOException {
        Path pop3 = conf.resolve("pop3server.xml");
        replace(pop3, "<pop3server enabled=\"false\">", "<pop3server enabled=\"true\">");
        Path sieve = conf.resolve("managesieveserver.xml");
        replace(sieve, "<managesieveserver enabled=\"false\">", "<managesieveserver>");

        Run r = run("check-config", conf.toString());

        assertThat(r.exit).as(r.all()).isEqualTo(1);
        assertThat(r.out).contains(pop3 + ":" + lineOf(pop3, "<pop3server enabled") + ": <pop3server>: POP3 is enabled")
                .contains(sieve + ":" + lineOf(sieve, "<managesieveserver>") + ": <managesieveserver>: ManageSieve is enabled")
                .contains("2 errors");
    }

    @Test
    void withoutMfaModuleTheProtocolFilesAreNotChecked() throws IOException {
        Path extensions = conf.resolve("extensions.properties");
        String text = Files.readString(extensions, StandardCharsets.UTF_8);
        assertThat(text).contains("dev.tollgate.james.mfa.MfaModule");
        Files.writeString(extensions, text.replace("guice.extension.module=dev.tollgate.james.mfa.MfaModule", ""),
                StandardCharsets.UTF_8);
        replace(conf.resolve("pop3server.xml"), "<pop3server enabled=\"false\">", "<pop3server enabled=\"true\">");

        Run r = run("check-config", conf.toString());

        assertThat(r.out).doesNotContain("POP3 is enabled");
    }

    @Test
    void theSecurityPageSettingsAreValidatedNamingKeyAndLine() throws IOException {
        Path page = conf.resolve("tollgate-selfservice.properties");
        String text = Files.readString(page, StandardCharsets.UTF_8);
        assertThat(text).contains("\nport=8443\n");
        Files.writeString(page, text.replace("\nport=8443\n", "\nport=84430\n"), StandardCharsets.UTF_8);
        int line = lineOf(page, "port=84430");

        Run r = run("check-config", conf.toString());

        assertThat(r.exit).isEqualTo(1);
        assertThat(r.out).contains(page + ":" + line + ": settings read at James startup: parameter 'port': ")
                .contains("1 error");
    }

    @Test
    void tollgatePropertiesFilesAreValidatedAsAtStartupNamingKeyAndLine() throws IOException {
        Path mfa = conf.resolve("tollgate-mfa.properties");
        String text = Files.readString(mfa, StandardCharsets.UTF_8);
        assertThat(text).contains("\npolicy=optional\n");
        Files.writeString(mfa, text.replace("\npolicy=optional\n", "\npolicy=requried\n"), StandardCharsets.UTF_8);
        int line = lineOf(mfa, "policy=requried");
        Path links = conf.resolve("tollgate-links.properties");
        String linksText = Files.readString(links, StandardCharsets.UTF_8);
        assertThat(linksText).contains("\ntokenMaxAge=90d\n");
        Files.writeString(links, linksText.replace("\ntokenMaxAge=90d\n", "\ntokenMaxAge=ninety\n"), StandardCharsets.UTF_8);

        Path state = conf.resolve("tollgate-state.properties");
        String stateText = Files.readString(state, StandardCharsets.UTF_8);
        assertThat(stateText).contains("\nbackend=file\n");
        Files.writeString(state, stateText.replace("\nbackend=file\n", "\nbackend=cassandra\ncassandra.keyspace=drop;\n"),
                StandardCharsets.UTF_8);

        Run r = run("check-config", conf.toString());

        assertThat(r.exit).isEqualTo(1);
        assertThat(r.out).contains(mfa + ":" + line + ": settings read at James startup: parameter 'policy': ")
                .containsPattern(Pattern.quote(links.toString()) + ":\\d+: settings read at James startup: parameter"
                        + " 'tokenMaxAge': ")
                .containsPattern(Pattern.quote(state.toString()) + ":\\d+: settings read at James startup: parameter"
                        + " 'cassandra.keyspace': ")
                .contains("3 errors");
    }

    @Test
    void everyWrongKeyOfAFileIsReportedAndADuplicatedKeyAtItsLastLine() throws IOException {
        Path mfa = conf.resolve("tollgate-mfa.properties");
        String text = Files.readString(mfa, StandardCharsets.UTF_8);
        assertThat(text).contains("\npolicy=optional\n");
        Files.writeString(mfa, text.replace("\npolicy=optional\n", "\npolicy=requried\n")
                + "\nthrottle.baseDelay=soon\nthrottle.maxDelay=1s\nthrottle.maxDelay=2s\n", StandardCharsets.UTF_8);
        int policy = lineOf(mfa, "policy=requried");
        int baseDelay = lineOf(mfa, "throttle.baseDelay=soon");
        int firstMax = lineOf(mfa, "throttle.maxDelay=1s");
        int lastMax = lineOf(mfa, "throttle.maxDelay=2s");

        Run r = run("check-config", conf.toString());

        assertThat(r.exit).isEqualTo(1);
        assertThat(r.out).contains(mfa + ":" + policy + ": settings read at James startup: parameter 'policy': ")
                .contains(mfa + ":" + baseDelay + ": settings read at James startup: parameter 'throttle.baseDelay': ")
                .contains(mfa + ":" + lastMax + ": settings read at James startup: parameter 'throttle.maxDelay': ")
                .contains("the key is written on lines " + firstMax + ", " + lastMax)
                .contains("3 errors");
    }

    @Test
    void aLinkSettingsKeyTheMailetsAlsoReadIsReportedOnceInItsOwnFile() throws IOException {
        Path links = conf.resolve("tollgate-links.properties");
        String text = Files.readString(links, StandardCharsets.UTF_8);
        assertThat(text).contains("\nlistCheckInterval=30s\n");
        Files.writeString(links, text.replace("\nlistCheckInterval=30s\n", "\nlistCheckInterval=soon\n"),
                StandardCharsets.UTF_8);
        int line = lineOf(links, "listCheckInterval=soon");

        Run r = run("check-config", conf.toString());

        assertThat(r.exit).isEqualTo(1);
        assertThat(r.out).contains(links + ":" + line + ": settings read at James startup: parameter 'listCheckInterval': ")
                .doesNotContain("mailetcontainer.xml").contains("1 error");
    }

    @Test
    void extensionClassesFromBeforeThePackageMoveNameTheirReplacement() throws IOException {
        Path extensions = conf.resolve("extensions.properties");
        String text = Files.readString(extensions, StandardCharsets.UTF_8);
        assertThat(text).contains("=dev.tollgate.james.mfa.MfaModule");
        Files.writeString(extensions, text.replace("=dev.tollgate.james.mfa.MfaModule", "=dev.tollgate.james.smtp.MfaModule"),
                StandardCharsets.UTF_8);

        Run r = run("check-config", conf.toString());

        assertThat(r.exit).isEqualTo(1);
        assertThat(r.out).contains("no Tollgate class named dev.tollgate.james.smtp.MfaModule (James would fail to"
                + " start: class not found); it is now named dev.tollgate.james.mfa.MfaModule").contains("1 error");
    }

    @Test
    void rewriteLinksSigningWithAnotherKeyFileThanTheRedirectorIsAnError() throws IOException {
        // every RewriteLinks (transport and dlp-released), so that they still agree with each other
        replaceEvery(mailetContainer(), "<linkSettings>conf/tollgate-links.properties</linkSettings>",
                "<keyFile>conf/other.keys</keyFile>");

        Run r = run("check-config", conf.toString());

        assertThat(r.exit).isEqualTo(1);
        assertThat(r.out).contains("parameter 'keyFile': signs with conf/other.keys, not with the key file the"
                + " redirector verifies with (keyFile of conf/tollgate-links.properties)")
                .contains("name conf/tollgate-links.properties in linkSettings").contains("2 errors");

        Files.writeString(conf.resolve("other-links.properties"), "keyFile=conf/other.keys\n", StandardCharsets.UTF_8);
        replaceEvery(mailetContainer(), "<keyFile>conf/other.keys</keyFile>",
                "<linkSettings>conf/other-links.properties</linkSettings>");
        Run viaSettings = run("check-config", conf.toString());
        assertThat(viaSettings.out).as("another settings file with another key").contains("parameter 'linkSettings':"
                + " signs with conf/other.keys, not with the key file the redirector verifies with");
        replaceEvery(mailetContainer(), "<linkSettings>conf/other-links.properties</linkSettings>",
                "<keyFile>conf/other.keys</keyFile>");

        replaceEvery(mailetContainer(), "<keyFile>conf/other.keys</keyFile>", "<keyFile>conf/tollgate-links.keys</keyFile>");
        Run same = run("check-config", conf.toString());
        assertThat(same.exit).as(same.all()).isZero();
    }

    /** Replaces the first {@code from} after {@code anchor}, asserting both are there. */
    private static void replaceAfter(Path file, String anchor, String from, String to) throws IOException {
        String xml = Files.readString(file, StandardCharsets.UTF_8);
        int at = xml.indexOf(anchor);
        assertThat(at).as(anchor).isNotNegative();
        int found = xml.indexOf(from, at);
        assertThat(found).as(from + " after " + anchor).isNotNegative();
        Files.writeString(file, xml.substring(0, found) + to + xml.substring(found + from.length()), StandardCharsets.UTF_8);
    }

    @Test
    void rewriteLinksMailetsWithTheSameMatcherThatRewriteOtherwiseGetANote() throws IOException {
        String released = "<processor state=\"dlp-released\"";
        String rewriteLinks = "<mailet match=\"HostIsLocal\" class=\"dev.tollgate.james.links.RewriteLinks\">";
        int transportLine = lineOf(mailetContainer(), rewriteLinks);
        // written otherwise, the same in effect: a default left out, another case, the settings file by its absolute
        // path, James's own exception parameter, each processor named as the processor split copies go back to, the
        // matcher by its class name
        replaceAfter(mailetContainer(), released, "<rewritePlainText>false</rewritePlainText>", "");
        replaceAfter(mailetContainer(), released, "<mode>enforce</mode>", "<mode>ENFORCE</mode>");
        replaceAfter(mailetContainer(), released, "<linkSettings>conf/tollgate-links.properties</linkSettings>",
                "<linkSettings>" + conf.resolve("tollgate-links.properties").toAbsolutePath() + "</linkSettings>"
                        + "<onMailetException>propagate</onMailetException>"
                        + "<splitPerRecipient>true</splitPerRecipient><splitProcessor>dlp-released</splitProcessor>");
        replace(mailetContainer(), "<rewriteDkimSigned>false</rewriteDkimSigned>",
                "<rewriteDkimSigned>false</rewriteDkimSigned>"
                        + "<splitPerRecipient>true</splitPerRecipient><splitProcessor>transport</splitProcessor>");
        replaceAfter(mailetContainer(), released, rewriteLinks,
                "<mailet match=\"org.apache.james.transport.matchers.HostIsLocal\" class=\"dev.tollgate.james.links.RewriteLinks\">");
        assertThat(Files.readString(mailetContainer(), StandardCharsets.UTF_8)).contains("<mode>ENFORCE</mode>")
                .contains("<splitProcessor>transport</splitProcessor>").contains("<splitProcessor>dlp-released</splitProcessor>");

        Run alike = run("check-config", conf.toString());
        assertThat(alike.exit).as(alike.all()).isZero();

        // a value in effect that differs: another redirector URL, and plain-text rewriting on one side only
        replaceAfter(mailetContainer(), released, "<redirectorUrl>http://localhost:8480</redirectorUrl>",
                "<redirectorUrl>https://links.example.net</redirectorUrl><rewritePlainText>yes</rewritePlainText>");

        Run r = run("check-config", conf.toString());

        // a note, not an error: which mail reaches which processor is the configuration's routing
        assertThat(r.exit).as(r.all()).isZero();
        assertThat(r.out).contains("note: " + mailetContainer() + ":")
                .contains("in processor 'dlp-released': parameter 'redirectorUrl' differs from the RewriteLinks"
                + " with the same match=HostIsLocal at line " + transportLine + " in processor 'transport' (the values in"
                + " effect, defaults and linkSettings files included)")
                .contains("parameter 'rewritePlainText' differs from the RewriteLinks with the same match=HostIsLocal")
                .doesNotContain("links.example.net"); // names the parameter, never its value
        assertThat(alike.out).doesNotContain("differs from the RewriteLinks");

        // a matcher condition is shown without its value, which may be a secret
        replaceEvery(mailetContainer(), "match=\"HostIsLocal\" class=\"dev.tollgate.james.links.RewriteLinks\"",
                "match=\"HasHeader=X-Partner-Token=s3cr3t\" class=\"dev.tollgate.james.links.RewriteLinks\"");
        replaceAfter(mailetContainer(), released, "match=\"org.apache.james.transport.matchers.HostIsLocal\"",
                "match=\"HasHeader=X-Partner-Token=s3cr3t\"");
        Run secret = run("check-config", conf.toString());
        assertThat(secret.out).as(secret.all()).contains("with the same match=HasHeader=... at line")
                .doesNotContain("s3cr3t");
        replaceEvery(mailetContainer(), "match=\"HasHeader=X-Partner-Token=s3cr3t\"", "match=\"HostIsLocal\"");

        // another condition: rewriting for other readers, not compared
        replaceAfter(mailetContainer(), released, "match=\"HostIsLocal\"", "match=\"RecipientIsLocal\"");
        Run other = run("check-config", conf.toString());
        assertThat(other.out).as(other.all()).doesNotContain("differs from the RewriteLinks");
    }

    @Test
    void aMissingRedirectorFileIsAnErrorWhenItsStartableIsListed() throws IOException {
        Files.delete(conf.resolve("tollgate-links.properties"));
        // every link mailet and matcher (transport and dlp-released)
        replaceEvery(mailetContainer(), "<linkSettings>conf/tollgate-links.properties</linkSettings>",
                "<keyFile>conf/tollgate-links.keys</keyFile>");
        replaceEvery(mailetContainer(), "HasSuspiciousLink=linkSettings=conf/tollgate-links.properties", "HasSuspiciousLink");

        Run r = run("check-config", conf.toString());

        assertThat(r.exit).isEqualTo(1);
        assertThat(r.out).contains("tollgate-links.properties: file: is missing; "
                + "dev.tollgate.james.links.ClickRedirectorStartable reads it at startup").contains("1 error");
    }

    @Test
    void disabledSmtpServersAreSkippedLikeJamesDoes() throws IOException {
        replace(smtpServer(), "<smtpserver enabled=\"true\">", "<smtpserver enabled=\"false\">");
        replace(smtpServer(), HOOK_DECL, "<handler class=\"dev.tollgate.james.smtp.NoSuchHook\"/>");

        Run r = run("check-config", conf.toString());

        assertThat(r.exit).as(r.all()).isZero();
        assertThat(r.out).contains("smtpserver 'smtpserver-mx' is disabled");
    }

    @Test
    void missingArgumentIsAUsageError() {
        assertThat(run("check-config").exit).isEqualTo(2);
        assertThat(run().exit).isEqualTo(2);
    }

    @Test
    void versionAndHelp() {
        Run version = run("--version");
        assertThat(version.exit).isZero();
        assertThat(version.out).contains("tollgate");

        Run help = run("help", "check-config");
        assertThat(help.exit).isZero();
        assertThat(help.out).contains("<conf dir>").contains("Exit codes");
    }

    @Test
    void theCommandRunsWithoutJamesOnTheClassPath() throws Exception {
        assertThatThrownBy(() -> Class.forName("org.apache.mailet.base.GenericMailet"))
                .isInstanceOf(ClassNotFoundException.class);
        SpecRegistry registry = SpecRegistry.load(getClass().getClassLoader());
        assertThat(registry.find(dev.tollgate.core.config.ComponentSpec.Kind.MAILET, ASH)).isNotNull();
        assertThat(registry.find(dev.tollgate.core.config.ComponentSpec.Kind.MATCHER,
                "dev.tollgate.james.tls.SentOverTls")).isNotNull();
        assertThat(registry.find(dev.tollgate.core.config.ComponentSpec.Kind.SMTP_HANDLER,
                "dev.tollgate.james.transport.SessionFactsHook")).isNotNull();
        assertThat(registry.find(dev.tollgate.core.config.ComponentSpec.Kind.WEBADMIN_ROUTES, GUARD)).isNotNull();
        assertThat(registry.find(dev.tollgate.core.config.ComponentSpec.Kind.WEBADMIN_ROUTES, MFA_ROUTES)).isNotNull();
        assertThat(registry.unusable()).isEmpty();
    }

    @Test
    void shortNameOfATollgateMailetIsAnErrorNamingTheFullName() throws IOException {
        replace(mailetContainer(), "class=\"" + ASH + "\"", "class=\"AddSecurityHeaders\"");
        Run run = run("check-config", conf.toString());
        assertThat(run.exit).as(run.all()).isEqualTo(1);
        assertThat(run.out).contains("James cannot find a class named AddSecurityHeaders").contains(ASH);
    }

    @Test
    void shortNameOfATollgateHookIsAnError() throws IOException {
        replace(smtpServer(), HOOK_DECL, "<handler class=\"SessionFactsHook\"/>");
        Run run = run("check-config", conf.toString());
        assertThat(run.exit).as(run.all()).isEqualTo(1);
        assertThat(run.out).contains("smtpserver.xml").contains("dev.tollgate.james.transport.SessionFactsHook");
    }

    @Test
    void onMatchExceptionTargetIsChecked() throws IOException {
        replace(mailetContainer(), "<includeUser>true</includeUser>",
                "<includeUser>true</includeUser>\n<onMatchException>nowhere</onMatchException>");
        Run run = run("check-config", conf.toString());
        assertThat(run.exit).as(run.all()).isEqualTo(1);
        assertThat(run.out).contains("parameter 'onMatchException'");
    }

    @Test
    void oneErrorIsSingular() throws IOException {
        replace(mailetContainer(), "<header>X-Tollgate-Transport</header>", "<header>Bad header:</header>");
        Run run = run("check-config", conf.toString());
        assertThat(run.out).contains(" checked, 1 error").doesNotContain("1 errors");
    }

    // ---------------------------------------------------------------- webadmin.properties

    private Path webAdmin() {
        return conf.resolve("webadmin.properties");
    }

    @Test
    void shippedWebAdminListsTheGuardAndItsRoutesAreChecked() throws IOException {
        assertThat(Files.readString(webAdmin(), StandardCharsets.UTF_8))
                .containsPattern("(?m)^enabled=true$")
                .containsPattern("(?m)^extensions.routes=" + Pattern.quote(GUARD + "," + MFA_ROUTES
                        + "," + LINK_KEY_ROUTES + ",org.apache.james.webadmin.dropwizard.MetricsRoutes") + "$");
        Run r = run("check-config", "--verbose", conf.toString());

        assertThat(r.exit).as(r.all()).isZero();
        int line = lineOf(webAdmin(), "extensions.routes=");
        for (String route : SHIPPED_ROUTES) {
            assertThat(r.out).contains("webadmin.properties:" + line + ": extensions.routes entry " + route + " (WebAdmin routes)");
        }
    }

    @Test
    void enabledWebAdminWithoutTheGuardIsAnError() throws IOException {
        replace(webAdmin(), GUARD + ",", "");
        int line = lineOf(webAdmin(), "extensions.routes=");

        Run r = run("check-config", conf.toString());

        assertThat(r.exit).as(r.all()).isEqualTo(1);
        assertThat(r.out).contains(webAdmin() + ":" + line + ": WebAdmin (enabled=true): parameter 'extensions.routes': "
                + "WebAdmin is enabled without " + GUARD);
        assertThat(r.out).contains(" checked, 1 error");
    }

    @Test
    void enabledWebAdminWithoutAnyExtensionRouteIsAnErrorOnTheEnabledLine() throws IOException {
        Files.writeString(webAdmin(), "# no routes\nport=8000\nenabled = yes\n", StandardCharsets.UTF_8);

        Run r = run("check-config", conf.toString());

        assertThat(r.exit).as(r.all()).isEqualTo(1);
        assertThat(r.out).contains(webAdmin() + ":3: WebAdmin (enabled=yes): parameter 'extensions.routes'");
    }

    @Test
    void disabledWebAdminNeedsNoGuard() throws IOException {
        replace(webAdmin(), "enabled=true", "enabled=false");
        replace(webAdmin(), GUARD + ",", "");

        Run r = run("check-config", conf.toString());

        assertThat(r.exit).as(r.all()).isZero();
        assertThat(r.out).contains("WebAdmin is disabled");
    }

    @Test
    void badAllowedHostIsReportedOnceOnItsLineThoughTwoRoutesReadIt() throws IOException {
        Files.writeString(webAdmin(), Files.readString(webAdmin(), StandardCharsets.UTF_8)
                + "tollgate.allowedHosts=admin.example.com, admin.example.com:8000\n", StandardCharsets.UTF_8);
        int line = Files.readAllLines(webAdmin(), StandardCharsets.UTF_8).size();

        Run r = run("check-config", conf.toString());

        assertThat(r.exit).as(r.all()).isEqualTo(1);
        assertThat(lines(r.out, "parameter 'tollgate.allowedHosts'")).isEqualTo(1);
        assertThat(r.out).contains(webAdmin() + ":" + line + ": extensions.routes entry " + GUARD
                + ": parameter 'tollgate.allowedHosts': must be comma-separated DNS names");
        assertThat(r.all()).doesNotContain("admin.example.com:8000");
    }

    @Test
    void goodAllowedHostsAndAMisspeltTollgateKey() throws IOException {
        String shipped = Files.readString(webAdmin(), StandardCharsets.UTF_8);
        Files.writeString(webAdmin(), shipped + "tollgate.allowedHosts=admin.example.com,\\\n    mail.example.net\n",
                StandardCharsets.UTF_8);
        Run ok = run("check-config", conf.toString());
        assertThat(ok.exit).as(ok.all()).isZero();

        Files.writeString(webAdmin(), shipped + "tollgate.alowedHosts=admin.example.com\n", StandardCharsets.UTF_8);
        Run r = run("check-config", conf.toString());
        assertThat(r.exit).as(r.all()).isEqualTo(1);
        assertThat(r.out).contains(":" + lineOf(webAdmin(), "tollgate.alowedHosts") + ": ")
                .contains("parameter 'tollgate.alowedHosts': unknown parameter");
    }

    @Test
    void unknownOrShortTollgateRouteNamesAreErrors() throws IOException {
        replace(webAdmin(), "," + MFA_ROUTES, ",dev.tollgate.james.mfa.NoSuchRoutes, BrowserRequestGuard");

        Run r = run("check-config", conf.toString());

        assertThat(r.exit).as(r.all()).isEqualTo(1);
        assertThat(r.out).contains("no Tollgate WebAdmin routes named dev.tollgate.james.mfa.NoSuchRoutes")
                .contains("James cannot find a class named BrowserRequestGuard (James resolves no short names in "
                        + "extensions.routes); write the fully qualified name " + GUARD);
    }

    @Test
    void aDirectoryWithOnlyWebadminPropertiesIsChecked() throws IOException {
        Files.delete(mailetContainer());
        Files.delete(smtpServer());
        replace(webAdmin(), GUARD + ",", "");

        Run r = run("check-config", conf.toString());

        assertThat(r.exit).as(r.all()).isEqualTo(1);
        assertThat(r.out).contains("WebAdmin is enabled without " + GUARD);
    }

    @Test
    void missingWebadminPropertiesIsNotedNotAnError() throws IOException {
        Files.delete(webAdmin());

        Run r = run("check-config", conf.toString());

        assertThat(r.exit).as(r.all()).isZero();
        assertThat(r.out).contains("webadmin.properties not found: WebAdmin is off");
    }
}
