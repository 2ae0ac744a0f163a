package dev.tollgate.bench.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Writes one message of an end-to-end mix to a file, as the load generator submits it (without its Message-ID and
 * X-Bench-Id), e.g. to measure Tollgate's mailets on it alone with {@code MailChainCpuTime}.
 *
 * <pre>java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) dev.tollgate.bench.e2e.MixFile \
 *     html /tmp/html.eml [testdata folder, default testdata]</pre>
 */
public final class MixFile {
    private MixFile() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: MixFile MIX FILE [TESTDATA] (mixes: plain, html, pdf, pdf100, docx, xlsx, zip)");
        }
        Path testdata = Paths.get(args.length > 2 ? args[2] : "testdata");
        byte[] message = Mixes.parse(args[0]).template(testdata, "alice@" + JamesProcess.DOMAIN, "load@" + JamesProcess.DOMAIN);
        Files.write(Paths.get(args[1]), message);
    }
}
