package dev.tollgate.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.w3c.dom.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import dev.tollgate.core.config.HomePaths;
import dev.tollgate.core.links.ClickRedirector;
import dev.tollgate.core.mfa.MailboxDoors;
import dev.tollgate.core.mfa.MfaServiceConfig;
import dev.tollgate.james.mfa.selfservice.SelfServiceConfig;

/**
 * {@code tollgate check-config <conf dir>}: reads {@code mailetcontainer.xml}, {@code smtpserver.xml},
 * {@code webadmin.properties}, {@code extensions.properties} and Tollgate's own properties files from a James
 * configuration directory and reports, one line per problem, every
 * Tollgate component configuration that James would refuse at startup, plus the James startup checks that
 * concern every mailet, an enabled WebAdmin left open to web pages, and, with MFA on, a protocol that would
 * open mailboxes with the account password alone ({@code imapserver.xml} without Tollgate's IMAP package, POP3
 * or ManageSieve enabled). Never loads James classes.
 */
@Command(name = "check-config",
        mixinStandardHelpOptions = true,
        versionProvider = Tollgate.Version.class,
        description = {
            "Checks the Tollgate components declared in a James configuration directory the way James would "
                    + "at startup, without starting James.",
            "Reads <conf dir>/mailetcontainer.xml, <conf dir>/smtpserver.xml and <conf dir>/webadmin.properties "
                    + "(any but all may be missing), and extensions.properties, tollgate-mfa.properties and "
                    + "tollgate-links.properties when present.",
            "An enabled WebAdmin without dev.tollgate.james.webadmin.BrowserRequestGuard in extensions.routes is an error.",
            "With dev.tollgate.james.mfa.MfaModule in extensions.properties, imapserver.xml must list "
                    + "dev.tollgate.james.mfa.imap.MfaImapPackage in <imapPackages> (a missing or misspelt package "
                    + "class is named), and pop3server.xml and managesieveserver.xml must be disabled.",
            "Relative file parameters are resolved as James does: against James's home, the parent of <conf dir>.",
            "Prints one line per error, FILE:LINE: ELEMENT: parameter 'NAME': REASON, then a summary."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:no errors",
            "1:configuration errors were found",
            "2:usage error, unreadable directory, no file to check, malformed XML or properties"})
public final class CheckConfigCommand implements Callable<Integer> {
    static final String MAILET_CONTAINER = "mailetcontainer.xml";
    static final String SMTP_SERVER = "smtpserver.xml";
    static final String WEBADMIN = "webadmin.properties";
    static final String EXTENSIONS = "extensions.properties";
    static final String LINKS = "tollgate-links.properties";
    /** The system property through which James (and Tollgate's components) know James's home. */
    static final String WORKING_DIRECTORY = "working.directory";

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<conf dir>", description = "James configuration directory")
    private Path directory;

    @Option(names = {"-v", "--verbose"}, description = "Also list the Tollgate components found and the "
            + "registered component specs.")
    private boolean verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run(out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int run(PrintWriter out, PrintWriter err) {
        if (!Files.exists(directory)) {
            err.println("tollgate check-config: configuration directory not found: " + directory);
            return Tollgate.EXIT_USAGE;
        }
        if (!Files.isDirectory(directory)) {
            err.println("tollgate check-config: not a directory: " + directory);
            return Tollgate.EXIT_USAGE;
        }
        if (!Files.isReadable(directory)) {
            err.println("tollgate check-config: directory not readable: " + directory);
            return Tollgate.EXIT_USAGE;
        }
        Path mailetContainer = directory.resolve(MAILET_CONTAINER);
        Path smtpServer = directory.resolve(SMTP_SERVER);
        boolean hasMailetContainer = Files.exists(mailetContainer);
        boolean hasSmtpServer = Files.exists(smtpServer);
        Path webAdmin = directory.resolve(WEBADMIN);
        if (!hasMailetContainer && !hasSmtpServer && !Files.exists(webAdmin)
                && !Files.exists(directory.resolve(MailboxDoors.IMAP_FILE))) {
            err.println("tollgate check-config: neither " + MAILET_CONTAINER + ", " + SMTP_SERVER + ", " + WEBADMIN
                    + " nor " + MailboxDoors.IMAP_FILE + " found in " + directory);
            return Tollgate.EXIT_USAGE;
        }

        SpecRegistry registry;
        try {
            registry = SpecRegistry.load(Tollgate.class.getClassLoader());
        } catch (SpecRegistry.RegistryException e) {
            err.println("tollgate check-config: " + e.getMessage());
            return Tollgate.EXIT_USAGE;
        }
        if (verbose) {
            out.println("Registered Tollgate component specs:");
            for (String s : registry.describe()) {
                out.println("  " + s);
            }
        }
        for (String s : registry.unusable()) {
            err.println("tollgate check-config: warning: spec " + s + " cannot name its component without "
                    + "James classes; its component cannot be checked");
        }

        // As James does: relative file parameters are resolved against James's working directory, its home,
        // which is the parent of the conf directory (whatever the current directory of this command is).
        Path home = directory.toAbsolutePath().normalize().getParent();
        String previous = System.getProperty(WORKING_DIRECTORY);
        if (home != null) {
            System.setProperty(WORKING_DIRECTORY, home.toString());
        }
        try {
            return check(registry, mailetContainer, hasMailetContainer, smtpServer, hasSmtpServer, webAdmin, out, err);
        } finally {
            if (previous == null) {
                System.clearProperty(WORKING_DIRECTORY);
            } else {
                System.setProperty(WORKING_DIRECTORY, previous);
            }
        }
    }

    /** @return the file, or null after printing why it cannot be read */
    private static PropertiesFile readProperties(Path file, PrintWriter err) {
        try {
            return PropertiesFile.read(file);
        } catch (IOException e) {
            err.println("tollgate check-config: cannot read " + file + ": " + e);
        } catch (IllegalArgumentException e) {
            err.println(file + ": malformed properties: " + e.getMessage());
        }
        return null;
    }

    private int check(SpecRegistry registry, Path mailetContainer, boolean hasMailetContainer, Path smtpServer,
                      boolean hasSmtpServer, Path webAdmin, PrintWriter out, PrintWriter err) {
        ConfigChecker checker = new ConfigChecker(registry);
        if (hasMailetContainer) {
            Document document = read(mailetContainer, err);
            if (document == null) {
                return Tollgate.EXIT_USAGE;
            }
            checker.checkMailetContainer(document, mailetContainer.toString());
        } else {
            out.println("note: " + mailetContainer + " not found: mailets and matchers not checked");
        }
        if (hasSmtpServer) {
            Document document = read(smtpServer, err);
            if (document == null) {
                return Tollgate.EXIT_USAGE;
            }
            checker.checkSmtpServers(document, smtpServer.toString());
        } else {
            out.println("note: " + smtpServer + " not found: SMTP handlers not checked");
        }
        if (Files.exists(webAdmin)) {
            PropertiesFile properties = readProperties(webAdmin, err);
            if (properties == null) {
                return Tollgate.EXIT_USAGE;
            }
            checker.checkWebAdmin(properties, webAdmin.toString());
        } else {
            // James disables WebAdmin without this file.
            out.println("note: " + webAdmin + " not found: WebAdmin is off, nothing to check");
        }

        Path conf = webAdmin.getParent();
        PropertiesFile extensions = null;
        Path extensionsFile = conf.resolve(EXTENSIONS);
        if (Files.exists(extensionsFile)) {
            extensions = readProperties(extensionsFile, err);
            if (extensions == null) {
                return Tollgate.EXIT_USAGE;
            }
            checker.checkExtensions(extensions, extensionsFile.toString(), Tollgate.class.getClassLoader());
        }
        if (extensions != null && extensions.values().values().stream()
                .anyMatch(v -> v.contains(ConfigChecker.MFA_MODULE))) {
            Document[] protocols = new Document[3];
            String[] names = {MailboxDoors.IMAP_FILE, MailboxDoors.POP3_FILE, MailboxDoors.MANAGESIEVE_FILE};
            for (int i = 0; i < names.length; i++) {
                Path file = conf.resolve(names[i]);
                if (Files.exists(file)) {
                    protocols[i] = read(file, err);
                    if (protocols[i] == null) {
                        return Tollgate.EXIT_USAGE;
                    }
                }
            }
            checker.checkMailboxDoors(protocols[0], conf.resolve(names[0]).toString(), protocols[1],
                    conf.resolve(names[1]).toString(), protocols[2], conf.resolve(names[2]).toString(),
                    Tollgate.class.getClassLoader());
        }
        Path mfaFile = conf.resolve(MfaServiceConfig.FILE + ".properties");
        if (Files.exists(mfaFile)) {
            PropertiesFile mfa = readProperties(mfaFile, err);
            if (mfa == null) {
                return Tollgate.EXIT_USAGE;
            }
            checker.checkSettingsFile(mfa, mfaFile.toString(), MfaServiceConfig::parse);
        }
        Path stateFile = conf.resolve(dev.tollgate.core.state.StateConfig.FILE + ".properties");
        if (Files.exists(stateFile)) {
            PropertiesFile state = readProperties(stateFile, err);
            if (state == null) {
                return Tollgate.EXIT_USAGE;
            }
            checker.checkSettingsFile(state, stateFile.toString(), dev.tollgate.core.state.StateConfig::parse);
        }
        Path linksFile = conf.resolve(LINKS);
        if (Files.exists(linksFile)) {
            PropertiesFile links = readProperties(linksFile, err);
            if (links == null) {
                return Tollgate.EXIT_USAGE;
            }
            checker.checkSettingsFile(links, linksFile.toString(), ClickRedirector.Config::parse);
            String keyFile = links.values().get("keyFile");
            if (keyFile != null && !keyFile.isBlank()) {
                // Named as James's components name it: relative to James's home.
                checker.checkLinkKeyFiles(HomePaths.resolve(keyFile), "conf/" + LINKS);
            }
        } else if (extensions != null && extensions.values().values().stream()
                .anyMatch(v -> v.contains(ConfigChecker.REDIRECTOR_STARTABLE))) {
            checker.missingFile(linksFile.toString(), ConfigChecker.REDIRECTOR_STARTABLE);
        }

        Path pageFile = conf.resolve(SelfServiceConfig.FILE + ".properties");
        if (Files.exists(pageFile)) {
            PropertiesFile page = readProperties(pageFile, err);
            if (page == null) {
                return Tollgate.EXIT_USAGE;
            }
            checker.checkSettingsFile(page, pageFile.toString(), SelfServiceConfig::parse);
        }

        for (String note : checker.notes()) {
            out.println("note: " + note);
        }
        if (verbose) {
            out.println("Tollgate components found:");
            for (String component : checker.components()) {
                out.println("  " + component);
            }
        }
        for (Finding finding : checker.findings()) {
            out.println(finding.format());
        }
        int components = checker.components().size();
        int errors = checker.findings().size();
        out.println(components + (components == 1 ? " Tollgate component" : " Tollgate components") + " checked, "
                + errors + (errors == 1 ? " error" : " errors"));
        if (!checker.internalErrors().isEmpty()) {
            for (String internal : checker.internalErrors()) {
                err.println("tollgate check-config: " + internal);
            }
            return Tollgate.EXIT_USAGE;
        }
        return checker.findings().isEmpty() ? 0 : Tollgate.EXIT_ERRORS;
    }

    private static Document read(Path file, PrintWriter err) {
        try {
            return XmlFiles.read(file);
        } catch (IOException e) {
            err.println("tollgate check-config: cannot read " + file + ": " + e);
            return null;
        } catch (XmlFiles.MalformedXmlException e) {
            err.println(file + (e.line() > 0 ? ":" + e.line() : "") + ": " + e.getMessage());
            return null;
        }
    }
}
