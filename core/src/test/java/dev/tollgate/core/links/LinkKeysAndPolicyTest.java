package dev.tollgate.core.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tollgate.core.config.ConfigException;

class LinkKeysAndPolicyTest {
    @TempDir
    Path dir;

    @Test
    void missingKeyFileIsGeneratedOwnerOnlyAndReused() throws Exception {
        Path file = dir.resolve("sub/links.keys");
        LinkTokenSigner a = LinkKeys.load("keyFile", file, true, Duration.ZERO, Clock.systemUTC());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        LinkTokenSigner b = LinkKeys.load("keyFile", file, true, Duration.ZERO, Clock.systemUTC());
        assertThat(b.verify(a.sign("https://a.example/", "", "")).isValid()).isTrue();
        try (var s = Files.list(file.getParent())) {
            assertThat(s.count()).as("no temp file left").isEqualTo(1);
        }
    }

    @Test
    void missingKeyFileFailsClosedWhenCreationIsOff() {
        assertThatThrownBy(() -> LinkKeys.load("keyFile", dir.resolve("none"), false, Duration.ZERO, Clock.systemUTC()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("keyFile").hasMessageContaining("does not exist");
    }

    @Test
    void firstKeySignsOlderKeysStillVerify() throws Exception {
        Path file = dir.resolve("k");
        String k1 = "old:" + key();
        Files.write(file, (k1 + "\n").getBytes(StandardCharsets.UTF_8));
        String token = LinkKeys.load("keyFile", file, false, Duration.ZERO, Clock.systemUTC()).sign("https://a.example/", "", "");
        Files.write(file, ("# rotated\nnew:" + key() + "\n" + k1 + "\n").getBytes(StandardCharsets.UTF_8));
        LinkTokenSigner rotated = LinkKeys.load("keyFile", file, false, Duration.ZERO, Clock.systemUTC());
        assertThat(rotated.signingKeyId()).isEqualTo("new");
        assertThat(rotated.verify(token).isValid()).isTrue();
        Files.write(file, ("new:" + key() + "\n").getBytes(StandardCharsets.UTF_8));
        assertThat(LinkKeys.load("keyFile", file, false, Duration.ZERO, Clock.systemUTC()).verify(token).status())
                .isEqualTo(LinkTokenSigner.Status.UNKNOWN_KEY);
    }

    @Test
    void invalidKeyFileNamesTheParameterWithoutQuotingKeys() throws Exception {
        Path file = dir.resolve("bad");
        Files.write(file, "k1:c2hvcnQ=\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> LinkKeys.load("keyFile", file, false, Duration.ZERO, Clock.systemUTC()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("keyFile").hasMessageNotContaining("c2hvcnQ");
    }

    private static String key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    @Test
    void policyDecisions() {
        LinkTokenSigner signer = LinkTokenSigner.builder().signingKey("k", new byte[32]).build();
        LinkRewritePolicy p = LinkRewritePolicy.of("https://r.example/", DoNotRewriteList.of(List.of("*.example.com")),
                List.of("wrap.example"), signer);
        assertThat(p.redirectorBase()).isEqualTo("https://r.example");
        assertThat(p.decide("https://a.test/")).isEqualTo(LinkRewritePolicy.Decision.REWRITE);
        assertThat(p.decide(" HTTP://a.test/")).isEqualTo(LinkRewritePolicy.Decision.REWRITE);
        assertThat(p.decide("mailto:x@a.test")).isEqualTo(LinkRewritePolicy.Decision.OTHER_SCHEME);
        assertThat(p.decide("tel:+1")).isEqualTo(LinkRewritePolicy.Decision.OTHER_SCHEME);
        assertThat(p.decide("cid:x")).isEqualTo(LinkRewritePolicy.Decision.OTHER_SCHEME);
        assertThat(p.decide("#top")).isEqualTo(LinkRewritePolicy.Decision.OTHER_SCHEME);
        assertThat(p.decide("javascript:alert(1)")).isEqualTo(LinkRewritePolicy.Decision.OTHER_SCHEME);
        assertThat(p.decide("https://www.example.com/")).isEqualTo(LinkRewritePolicy.Decision.DO_NOT_REWRITE);
        assertThat(p.decide("https://example.com.evil.test/")).isEqualTo(LinkRewritePolicy.Decision.REWRITE);
        assertThat(p.decide("https://r.example/r/abc")).isEqualTo(LinkRewritePolicy.Decision.ALREADY_WRAPPED);
        assertThat(p.decide("https://wrap.example/x")).isEqualTo(LinkRewritePolicy.Decision.ALREADY_WRAPPED);
        assertThat(p.decide("https://nam12.safelinks.protection.outlook.com/?url=x")).isEqualTo(LinkRewritePolicy.Decision.ALREADY_WRAPPED);
        assertThat(p.decide("https://urldefense.proofpoint.com/v2/url?u=x")).isEqualTo(LinkRewritePolicy.Decision.ALREADY_WRAPPED);
        // a browser reads https:///host as https://host (WHATWG special authority ignore slashes state)
        assertThat(p.decide("https:///nohost")).isEqualTo(LinkRewritePolicy.Decision.REWRITE);
        assertThat(p.decide("https://")).isEqualTo(LinkRewritePolicy.Decision.INVALID);
        assertThat(p.decide("https:")).isEqualTo(LinkRewritePolicy.Decision.INVALID);
        assertThatThrownBy(() -> LinkRewritePolicy.checkBase("ftp://r.example")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinkRewritePolicy.checkBase("https://r.example/?q")).isInstanceOf(IllegalArgumentException.class);
    }
}
