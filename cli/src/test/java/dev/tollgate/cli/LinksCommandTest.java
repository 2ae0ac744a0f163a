package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class LinksCommandTest {
    @TempDir
    Path dir;

    private String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Tollgate.newCommandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void listsLinksWithPartVerdictAndReasonsAndRewrites() throws Exception {
        Path eml = dir.resolve("m.eml");
        Files.write(eml, ("Message-ID: <c@x>\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\n"
                + "Content-Type: text/plain\r\n\r\nsee https://plain.example/\r\n--b\r\n"
                + "Content-Type: text/html\r\n\r\n<a href=\"https://bank.example@evil.test/\">x</a> <a href=\"mailto:a@b.test\">m</a>\r\n--b--\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        String[] r = run("links", eml.toString());
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[1]).contains("1\tclean\tkept\thttps://plain.example/")
                .contains("2\tmalicious\tkept\thttps://bank.example@evil.test/").contains("USERINFO")
                .contains("2\tclean\tkept\tmailto:a@b.test").contains("verdict=malicious; links=3");
        Path out = dir.resolve("out.eml");
        String[] w = run("links", eml.toString(), "--rewrite", out.toString(), "--redirector", "https://r.test");
        assertThat(w[1]).contains("rewritten=1");
        assertThat(Files.readString(out, StandardCharsets.US_ASCII)).contains("<a href=\"https://r.test/r/")
                .contains("Message-ID: <c@x>").contains("see https://plain.example/");
        assertThat(run("links", dir.resolve("absent.eml").toString())[0]).isEqualTo("2");
        assertThat(run("links", eml.toString(), "--scan", "color=red")[2]).contains("color");
    }

    @Test
    void aJavascriptLinkIsReportedAndNeutralisedOnlyWhenRewriting() throws Exception {
        Path eml = dir.resolve("js.eml");
        Files.write(eml, ("Message-ID: <js@x>\r\nContent-Type: text/html\r\n\r\n"
                + "<a href=\"javascript:alert(1)\">Pay</a>\r\n").getBytes(StandardCharsets.US_ASCII));
        String[] scan = run("links", eml.toString());
        assertThat(scan[0]).isEqualTo("1");
        assertThat(scan[1]).contains("1\tmalicious\tkept\tjavascript:alert(1)").contains("DANGEROUS_SCHEME")
                .contains("mode=testing").doesNotContain("neutralised");
        Path out = dir.resolve("out.eml");
        String[] w = run("links", eml.toString(), "--rewrite", out.toString(), "--redirector", "https://r.test");
        assertThat(w[1]).contains("1\tmalicious\tneutralised\tjavascript:alert(1)")
                .contains("rewritten=1; neutralised=1;").contains("mode=enforce");
        assertThat(Files.readString(out, StandardCharsets.US_ASCII)).contains("<a href=\"https://r.test/r/")
                .contains(">Pay</a>").doesNotContain("javascript:");
    }
}
