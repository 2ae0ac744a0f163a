package dev.tollgate.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.tollgate.core.dlp.ExactDataMatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tollgate edm}: exact-data-match lists for the DLP policy's {@code <exact-data>} elements.
 * {@code hash} turns plain values (one per line) into a digest file holding a fresh random salt and one
 * salted SHA-256 digest per value ({@link ExactDataMatch} format), so the plain values never need to be
 * on the mail server. Errors name the value's line number, never the value.
 */
@Command(name = "edm", mixinStandardHelpOptions = true,
        description = "Exact data match lists for the DLP policy: hash.",
        subcommands = {EdmCommand.Hash.class})
final class EdmCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand: hash");
    }

    @Command(name = "hash", mixinStandardHelpOptions = true,
            description = "Reads values, one per line (blank lines and lines starting with # are skipped), and "
                    + "writes the salted SHA-256 digest file that <exact-data file=...> names. Prints the number "
                    + "of values to standard error.")
    static final class Hash implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", paramLabel = "VALUES",
                description = "file with the plain values; - or absent for standard input")
        String input;

        @Option(names = {"-o", "--out"}, paramLabel = "FILE",
                description = "digest file to write (atomically replaced); default standard output")
        Path out;

        @Override
        public Integer call() {
            try {
                List<String> values = new ArrayList<>();
                try (BufferedReader r = new BufferedReader(open())) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        String v = line.trim();
                        values.add(v.startsWith("#") ? "" : v);
                    }
                }
                ExactDataMatch edm = ExactDataMatch.fromValues("edm", values);
                if (out == null) {
                    edm.writeTo(spec.commandLine().getOut());
                } else {
                    Path dir = out.toAbsolutePath().getParent();
                    Path tmp = Files.createTempFile(dir, ".edm", ".tmp");
                    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                        edm.writeTo(w);
                    }
                    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
                spec.commandLine().getErr().println(edm.size() + " distinct values hashed");
                return 0;
            } catch (IllegalArgumentException | IOException e) {
                // fromValues names "value #N", which is the line number since every line is kept
                spec.commandLine().getErr().println("tollgate edm hash: " + e.getMessage().replace("value #", "line "));
                return Tollgate.EXIT_USAGE;
            }
        }

        private Reader open() throws IOException {
            if (input == null || "-".equals(input)) {
                return new InputStreamReader(System.in, StandardCharsets.UTF_8);
            }
            return Files.newBufferedReader(Path.of(input), StandardCharsets.UTF_8);
        }
    }
}
