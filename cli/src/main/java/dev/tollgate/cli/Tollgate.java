package dev.tollgate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code tollgate} command. Subcommands: {@code check-config}, {@code totp}, {@code links},
 * {@code tls-policy}, {@code help}.
 *
 * <p>Exit codes: 0 success, 1 configuration errors found, 2 usage or I/O errors.
 */
@Command(name = "tollgate",
        mixinStandardHelpOptions = true,
        versionProvider = Tollgate.Version.class,
        description = "Tools for Tollgate, the security extension suite for Apache James 3.8.1.",
        subcommands = {CheckConfigCommand.class, TotpCommand.class, LinksCommand.class, TlsPolicyCommand.class,
            ScanCommand.class, EdmCommand.class, StateCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:configuration errors were found",
            "2:usage error, unreadable directory or malformed XML"})
public final class Tollgate implements Runnable {
    /** Exit code when configuration errors are found. */
    public static final int EXIT_ERRORS = 1;
    /** Exit code for usage and I/O errors (picocli's usage exit code is also 2). */
    public static final int EXIT_USAGE = 2;

    @Spec
    private CommandSpec spec;

    /** Entry point of {@code java -jar tollgate.jar}. */
    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** @return the command line, ready to {@link CommandLine#execute(String...) execute} */
    public static CommandLine newCommandLine() {
        return new CommandLine(new Tollgate());
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    /** Reads the version from the jar manifest (set by the build), or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Tollgate.class.getPackage().getImplementationVersion();
            return new String[] {"tollgate " + (version == null ? "(development build)" : version)
                    + " for Apache James 3.8.1"};
        }
    }
}
