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
 * {@code tollgate totp}: offline TOTP tools (RFC 6238), handy to check an authenticator app or to act as one
 * in a test. Nothing is stored: {@code enroll} only generates a secret and its URI. Secrets are Base32
 * (RFC 4648 §6), given with {@code --secret} or, to keep them out of the process list and shell history,
 * {@code --secret-file FILE} ({@code -} reads standard input). {@code code} and {@code verify} also take the
 * {@code otpauth://totp/} URI WebAdmin enrolment returns ({@code --uri}, {@code --uri-file}), which gives the
 * algorithm, digits and period too.
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

    /** @return {@code value} when given, else the text of {@code file} ({@code -}: standard input), in UTF-8 */
    static String valueOrFile(String value, String file) throws IOException {
        if (value != null) {
            return value;
        }
        return "-".equals(file) ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                : Files.readString(Path.of(file), StandardCharsets.UTF_8);
    }

    /** Where the secret comes from. */
    static final class SecretSource {
        @Option(names = "--secret", description = "Base32 secret (visible in the process list: prefer --secret-file)")
        String secret;

        @Option(names = "--secret-file", description = "file holding the Base32 secret; - for standard input")
        String file;

        TotpSecret read() throws IOException {
            return TotpSecret.fromBase32(valueOrFile(secret, file).trim());
        }
    }

    /**
     * Where {@code code} and {@code verify} get their key: a Base32 secret (with {@link Parameters}), or an
     * {@code otpauth://totp/} URI in the Key Uri Format, which also gives the algorithm, digits and period.
     */
    static final class KeySource {
        @Option(names = "--secret", description = "Base32 secret (visible in the process list: prefer --secret-file)")
        String secret;

        @Option(names = "--secret-file", description = "file holding the Base32 secret; - for standard input")
        String secretFile;

        @Option(names = "--uri", description = "otpauth://totp/ URI as WebAdmin enrolment returns it; gives the "
                + "secret, algorithm, digits and period (visible in the process list: prefer --uri-file)")
        String uri;

        @Option(names = "--uri-file", description = "file holding the otpauth://totp/ URI; - for standard input")
        String uriFile;

        /** A secret and the TOTP parameters to use it with. */
        static final class Key {
            final TotpSecret secret;
            final Totp totp;

            Key(TotpSecret secret, Totp totp) {
                this.secret = secret;
                this.totp = totp;
            }
        }

        /**
         * @throws IllegalArgumentException for a bad secret or URI (never quoting it), or for {@code --algorithm},
         *     {@code --digits} or {@code --period} given with a URI, which already says them
         */
        Key read(Parameters parameters, int window, CommandSpec spec) throws IOException {
            if (uri == null && uriFile == null) {
                return new Key(TotpSecret.fromBase32(valueOrFile(secret, secretFile).trim()), parameters.totp(window));
            }
            for (String option : new String[] {"--algorithm", "--digits", "--period"}) {
                if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                    throw new IllegalArgumentException(option + " cannot be given with --uri or --uri-file: "
                            + "the URI says the algorithm, digits and period");
                }
            }
            String text = valueOrFile(uri, uriFile);
            final OtpAuthUri parsed;
            try {
                parsed = OtpAuthUri.parse(text.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException((uri != null ? "--uri" : "--uri-file") + ": " + e.getMessage()
                        + " (expected otpauth://totp/LABEL?secret=BASE32[&algorithm=SHA1|SHA256|SHA512][&digits=6..8]"
                        + "[&period=SECONDS])", e);
            }
            return new Key(parsed.secret(), parsed.totpBuilder().window(window).build());
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
        KeySource source;

        @Mixin
        Parameters parameters;

        @Option(names = "--time", description = "Unix time in seconds (default: now)")
        Long time;

        @Override
        int execute(PrintWriter out) throws IOException {
            KeySource.Key key = source.read(parameters, 0, spec);
            out.println(key.totp.generate(key.secret, at(time)));
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Checks a code within +/- --window steps. Exit 0 when valid, 1 when not.")
    static final class Verify extends Base {
        @ArgGroup(exclusive = true, multiplicity = "1")
        KeySource source;

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
            KeySource.Key key = source.read(parameters, window, spec);
            Optional<TimeStep> step = key.totp.verify(key.secret, code, at(time));
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
            description = "Generates a new 160-bit secret and prints it with its otpauth:// URI. Nothing is stored "
                    + "and no user is enrolled: a running James enrols through WebAdmin (docs/reference/MfaRoutes.md).")
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
