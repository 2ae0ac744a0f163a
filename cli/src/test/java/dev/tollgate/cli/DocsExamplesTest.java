package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every XML example in {@code docs/reference/*.md} is a valid configuration: each block is placed in a
 * minimal {@code mailetcontainer.xml} (a {@code <mailet>}), {@code smtpserver.xml} (a {@code <handlerchain>}) or
 * {@code imapserver.xml} (an {@code <imapPackages>}, with MFA on)
 * and checked by {@code tollgate check-config}, which runs the same validation as James startup. So is every
 * {@code properties} block that starts with {@code # conf/webadmin.properties}: it becomes that file.
 */
class DocsExamplesTest {
    private static final Path REFERENCE = Paths.get("..", "docs", "reference");
    private static final Pattern XML_BLOCK = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern WEBADMIN_BLOCK = Pattern.compile("```properties\\n(# conf/webadmin\\.properties\\n.*?)```",
            Pattern.DOTALL);

    @TempDir
    Path temp;

    @TestFactory
    Stream<DynamicTest> everyXmlExampleIsValid() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        List<Path> pages;
        try (Stream<Path> files = Files.list(REFERENCE)) {
            pages = files.filter(p -> p.toString().endsWith(".md")).sorted().collect(Collectors.toList());
        }
        assertThat(pages).isNotEmpty();
        for (Path page : pages) {
            Matcher m = XML_BLOCK.matcher(Files.readString(page, StandardCharsets.UTF_8));
            int n = 0;
            while (m.find()) {
                String xml = m.group(1);
                int index = ++n;
                tests.add(DynamicTest.dynamicTest(page.getFileName() + " example " + index, () -> check(page, index, xml)));
            }
            Matcher w = WEBADMIN_BLOCK.matcher(Files.readString(page, StandardCharsets.UTF_8));
            int k = 0;
            while (w.find()) {
                String properties = w.group(1);
                int index = ++k;
                tests.add(DynamicTest.dynamicTest(page.getFileName() + " webadmin.properties example " + index,
                        () -> checkWebAdmin(page, index, properties)));
            }
        }
        assertThat(tests).as("XML examples in docs/reference").isNotEmpty();
        assertThat(tests).as("webadmin.properties examples in docs/reference")
                .anySatisfy(t -> assertThat(t.getDisplayName()).contains("webadmin.properties example"));
        return tests.stream();
    }

    private void checkWebAdmin(Path page, int index, String properties) throws IOException {
        Path conf = Files.createDirectories(temp.resolve(page.getFileName() + "-webadmin-" + index));
        Files.writeString(conf.resolve("webadmin.properties"), properties, StandardCharsets.ISO_8859_1);
        CheckConfigCommandTest.Run run = CheckConfigCommandTest.run("check-config", conf.toString());
        assertThat(run.exit).as(run.all()).isZero();
        String checked = properties.contains("dev.tollgate.") ? "[1-9]\\d*" : "\\d+";
        assertThat(run.out).containsPattern(checked + " Tollgate components? checked, 0 errors");
    }

    private void check(Path page, int index, String xml) throws IOException {
        Path conf = Files.createDirectories(temp.resolve(page.getFileName() + "-" + index));
        // James's home for the example is temp: its relative file parameters (conf/tollgate-dlp-policy.xml ...)
        // must name files there, as they would in an installation made from the shipped conf/.
        Path home = Files.createDirectories(temp.resolve("conf"));
        try (Stream<Path> shipped = Files.list(Paths.get("..", "conf"))) {
            for (Path f : (Iterable<Path>) shipped.filter(Files::isRegularFile)::iterator) {
                if (!Files.exists(home.resolve(f.getFileName()))) {
                    Files.copy(f, home.resolve(f.getFileName()));
                }
            }
        }
        if (xml.contains("<imapPackages>")) {
            // An IMAP package is checked with MFA on, as the shipped extensions.properties turns it on.
            Files.writeString(conf.resolve("imapserver.xml"), "<?xml version=\"1.0\"?>\n<imapservers>\n"
                    + "<imapserver enabled=\"true\">\n<bind>0.0.0.0:993</bind>\n</imapserver>\n" + xml
                    + "\n</imapservers>\n", StandardCharsets.UTF_8);
            Files.writeString(conf.resolve("extensions.properties"),
                    "guice.extension.module=dev.tollgate.james.mfa.MfaModule\n", StandardCharsets.ISO_8859_1);
        } else if (xml.contains("<handler")) {
            String chain = xml.contains("<handlerchain") ? xml : "<handlerchain>\n" + xml + "\n</handlerchain>";
            Files.writeString(conf.resolve("smtpserver.xml"), "<?xml version=\"1.0\"?>\n<smtpservers>\n<smtpserver enabled=\"true\">\n"
                    + "<bind>0.0.0.0:25</bind>\n" + chain + "\n</smtpserver>\n</smtpservers>\n", StandardCharsets.UTF_8);
        } else if (xml.trim().startsWith("<processor")) {
            Files.writeString(conf.resolve("mailetcontainer.xml"), "<?xml version=\"1.0\"?>\n<mailetcontainer>\n<processors>\n"
                    + "<processor state=\"root\">\n<mailet match=\"All\" class=\"Null\"/>\n</processor>\n" + xml + "\n"
                    + "<processor state=\"error\">\n<mailet match=\"All\" class=\"Null\"/>\n</processor>\n"
                    + "</processors>\n</mailetcontainer>\n", StandardCharsets.UTF_8);
        } else {
            assertThat(xml).as("example is a <mailet>, a <processor> or a <handler>").contains("<mailet");
            Files.writeString(conf.resolve("mailetcontainer.xml"), "<?xml version=\"1.0\"?>\n<mailetcontainer>\n<processors>\n"
                    + "<processor state=\"root\">\n" + xml + "\n</processor>\n"
                    + "<processor state=\"error\">\n<mailet match=\"All\" class=\"Null\"/>\n</processor>\n"
                    + "</processors>\n</mailetcontainer>\n", StandardCharsets.UTF_8);
        }
        CheckConfigCommandTest.Run run = CheckConfigCommandTest.run("check-config", conf.toString());
        assertThat(run.exit).as(run.all()).isZero();
        // An example naming a Tollgate class must have it checked; others (e.g. a processor to route to) must parse.
        String checked = xml.contains("dev.tollgate.") ? "[1-9]\\d*" : "\\d+";
        assertThat(run.out).containsPattern(checked + " Tollgate components? checked, 0 errors");
    }
}
