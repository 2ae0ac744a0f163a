package dev.tollgate.core.dlp.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.tollgate.core.fuzz.Bounded;
import dev.tollgate.core.fuzz.FuzzSeeds;

/**
 * Any bytes as a policy file through {@link PolicyParser}: a policy, or the documented {@link PolicyException}
 * (or an {@link java.io.IOException} from the stream); nothing else. Relative {@code exact-data} files resolve
 * into an empty directory.
 */
class PolicyParserFuzzTest {
    private static final PolicyParser PARSER = PolicyParser.withBuiltInDetectors();
    private static Path emptyDir;

    static Stream<Arguments> seeds() {
        return FuzzSeeds.files(List.of("../conf", "../docs/reference"), List.of("tollgate-dlp-policy.xml"),
                "<dlp-policy mode=\"enforce\"><rule id=\"r\" detectors=\"payment-card\" action=\"reject\""
                        + " scope=\"external\" min-count=\"2\"/><unscannable action=\"quarantine\"/></dlp-policy>",
                "<dlp-policy><exact-data id=\"c\" file=\"c.edm\"/><rule id=\"e\" detectors=\"edm:c\" action=\"tag\"/>"
                        + "</dlp-policy>",
                "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/hostname\">]><dlp-policy>&e;</dlp-policy>");
    }

    @BeforeAll
    static void makeDir() throws Exception {
        emptyDir = Files.createTempDirectory("policy-fuzz");
    }

    @AfterAll
    static void removeDir() throws Exception {
        Files.deleteIfExists(emptyDir);
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "15s")
    void parsesOrThrowsPolicyException(byte[] data) throws Exception {
        if (data == null) {
            return;
        }
        Bounded.run(() -> {
            try {
                DlpPolicy policy = PARSER.parse(new ByteArrayInputStream(data), "fuzz.xml", emptyDir);
                assertThat(policy.rules().size()).isLessThanOrEqualTo(PolicyParser.MAX_RULES);
                assertThat(policy.mode()).isNotNull();
            } catch (PolicyException documented) {
                assertThat(documented.getMessage()).contains("fuzz.xml");
            }
        });
    }
}
