package dev.tollgate.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.tollgate.core.mfa.OtpAuthUri;
import dev.tollgate.core.mfa.TimeStep;
import dev.tollgate.core.mfa.Totp;
import dev.tollgate.core.mfa.TotpAlgorithm;
import dev.tollgate.core.mfa.TotpSecret;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tollgate totp}: offline TOTP tools (RFC 6238), handy to check an authenticator app or to enrol a
 * user without WebAdmin. Secrets are Base32 (RFC 4648 §6), given with {@code --secret} or, to keep them out
 * of the process list and shell history, {@code --secret-file FILE} ({@code -} reads standard input).
 */
@Command(name = "totp", mixinStandardHelpOptions = true,
        description = "TOTP (RFC 6238) tools: code, verify, uri, enroll.",
        subcommands = {TotpCommand.Code.class, TotpCommand.Verify.class, TotpCommand.Uri.class, TotpCommand.Enroll.class})
final class TotpCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand: code, verify, uri or enroll");
    }

    /** Algorithm, digits and period shared by the subcommands. */
    static final class Parameters {
        @Option(names = "--algorithm", defaultValue = "SHA1", description = "SHA1, SHA256 or SHA512 (default: ${DEFAULT-VALUE})")
        String algorithm;

        @Option(names = "--digits", defaultValue = "6", description = "6 or 8 (default: ${DEFAULT-VALUE})")
        int digits;

        @Option(names = "--period", defaultValue = "30", description = "time step in seconds (default: ${DEFAULT-VALUE})")
        long period;

        Totp totp(int window) {
            if (digits != 6 && digits != 8) {
                throw new IllegalArgumentException("--digits must be 6 or 8");
            }
            if (period < 1 || period > 3600) {
                throw new IllegalArgumentException("--period must be 1 to 3600 seconds");
            }
            return Totp.builder().algorithm(TotpAlgorithm.fromName(algorithm)).digits(digits)
                    .period(Duration.ofSeconds(period)).window(window).build();
        }
    }

    /** Where the secret comes from. */
    static final class SecretSource {
        @Option(names = "--secret", description = "Base32 secret (visible in the process list: prefer --secret-file)")
        String secret;

        @Option(names = "--secret-file", description = "file holding the Base32 secret; - for standard input")
        String file;

        TotpSecret read() throws IOException {
            String text = secret != null ? secret
                    : "-".equals(file) ? new String(System.in.readAllBytes(), StandardCharsets.US_ASCII)
                    : Files.readString(Path.of(file), StandardCharsets.US_ASCII);
            return TotpSecret.fromBase32(text.trim());
        }
    }

    /** Runs a subcommand body, turning bad input into exit code 2 with a message that never echoes the secret. */
    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public final Integer call() {
            try {
                return execute(spec.commandLine().getOut());
            } catch (IllegalArgumentException | IOException e) {
                spec.commandLine().getErr().println("tollgate totp " + spec.name() + ": " + e.getMessage());
                return Tollgate.EXIT_USAGE;
            }
        }

        abstract int execute(PrintWriter out) throws IOException;

        static Instant at(Long epochSeconds) {
            return epochSeconds == null ? Instant.now() : Instant.ofEpochSecond(epochSeconds);
        }
    }

    @Command(name = "code", mixinStandardHelpOptions = true, description = "Prints the code for now or for --time.")
    static final class Code extends Base {
        @ArgGroup(exclusive = true, multiplicity = "1")
        SecretSource source;

        @Mixin
        Parameters parameters;

        @Option(names = "--time", description = "Unix time in seconds (default: now)")
        Long time;

        @Override
        int execute(PrintWriter out) throws IOException {
            out.println(parameters.totp(0).generate(source.read(), at(time)));
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Checks a code within +/- --window steps. Exit 0 when valid, 1 when not.")
    static final class Verify extends Base {
        @ArgGroup(exclusive = true, multiplicity = "1")
        SecretSource source;

        @Mixin
        Parameters parameters;

        @Option(names = "--code", required = true, description = "the code to check")
        String code;

        @Option(names = "--window", defaultValue = "1", description = "accepted steps before and after (default: ${DEFAULT-VALUE})")
        int window;

        @Option(names = "--time", description = "Unix time in seconds (default: now)")
        Long time;

        @Override
        int execute(PrintWriter out) throws IOException {
            Optional<TimeStep> step = parameters.totp(window).verify(source.read(), code, at(time));
            out.println(step.map(s -> "valid (time step " + s.value() + ")").orElse("invalid"));
            return step.isPresent() ? 0 : Tollgate.EXIT_ERRORS;
        }
    }

    @Command(name = "uri", mixinStandardHelpOptions = true,
            description = "Prints the otpauth:// URI (Key Uri Format) an authenticator app scans.")
    static final class Uri extends Base {
        @ArgGroup(exclusive = true, multiplicity = "1")
        SecretSource source;

        @Mixin
        Parameters parameters;

        @Option(names = "--account", required = true, description = "account label, e.g. alice@example.com")
        String account;

        @Option(names = "--issuer", defaultValue = "Tollgate", description = "issuer shown by the app (default: ${DEFAULT-VALUE})")
        String issuer;

        @Override
        int execute(PrintWriter out) throws IOException {
            out.println(OtpAuthUri.of(issuer, account, source.read(), parameters.totp(0)).toUriString());
            return 0;
        }
    }

    @Command(name = "enroll", mixinStandardHelpOptions = true,
            description = "Generates a new 160-bit secret and prints it with its otpauth:// URI. Store it yourself: "
                    + "nothing is written. (A running James enrols through WebAdmin: docs/reference/MfaRoutes.md.)")
    static final class Enroll extends Base {
        @Mixin
        Parameters parameters;

        @Option(names = "--account", required = true, description = "account label, e.g. alice@example.com")
        String account;

        @Option(names = "--issuer", defaultValue = "Tollgate", description = "issuer shown by the app (default: ${DEFAULT-VALUE})")
        String issuer;

        @Override
        int execute(PrintWriter out) {
            TotpSecret secret = TotpSecret.generate();
            out.println("secret: " + secret.toBase32());
            out.println("uri:    " + OtpAuthUri.of(issuer, account, secret, parameters.totp(0)).toUriString());
            return 0;
        }
    }
}
