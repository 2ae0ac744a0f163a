package dev.tollgate.core.dlp.policy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import dev.tollgate.core.dlp.TextScanner;

final class PolicyTestSupport {
    static final TextScanner SCANNER = TextScanner.builder().allBuiltInDetectors().build();

    private PolicyTestSupport() {
    }

    static DlpPolicy policy(String xml) {
        try {
            return PolicyParser.withBuiltInDetectors().parse(
                    new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "policy.xml");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
