package dev.tollgate.core.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;

/** Every scanner that runs the default link checks runs exactly the registry's, in its order. */
class DefaultLinkCheckTest {
    private static final List<String> PROTECTED = List.of("paypal.example");

    /** Each entry's check is its own class (a lambda call site or a named class), so classes identify entries. */
    private static List<Class<?>> registry(List<String> protectedDomains) {
        return DefaultLinkCheck.createAll(protectedDomains).stream().map(Object::getClass).collect(Collectors.toList());
    }

    private static List<Class<?>> classes(LinkScanner scanner) {
        return scanner.checks().stream().map(Object::getClass).collect(Collectors.toList());
    }

    @Test
    void everyEntryMakesADistinctCheck() {
        assertThat(registry(List.of())).hasSize(DefaultLinkCheck.values().length).doesNotHaveDuplicates();
        for (DefaultLinkCheck c : DefaultLinkCheck.values()) {
            assertThat(c.create(PROTECTED)).isNotNull();
        }
        assertThatThrownBy(() -> DefaultLinkCheck.HOMOGRAPHS.create(List.of("not a host")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void builderDefaultsAreTheRegistry() {
        assertThat(classes(LinkScanner.withDefaultChecks())).containsExactlyElementsOf(registry(List.of()));
        assertThat(classes(LinkScanner.builder().defaultChecks().build())).containsExactlyElementsOf(registry(List.of()));
        assertThat(classes(LinkScanner.builder().defaultChecks(PROTECTED).build()))
                .containsExactlyElementsOf(registry(PROTECTED));
    }

    @Test
    void configuredScannersRunTheRegistryDefaultsThenTheirLists(@TempDir Path dir) throws Exception {
        LinkScanner plain = LinkScanSettings.parse(Parameters.empty()).build(Clock.systemUTC());
        assertThat(classes(plain)).containsExactlyElementsOf(registry(List.of()));

        Path block = Files.writeString(dir.resolve("block.txt"), "evil.example\n");
        LinkScanner configured = LinkScanSettings.parse(Parameters.of(Map.of("protectedDomains", "paypal.example",
                "blockList", block.toString()))).build(Clock.systemUTC());
        List<Class<?>> checks = classes(configured);
        assertThat(checks).hasSize(DefaultLinkCheck.values().length + 1);
        assertThat(checks.subList(0, DefaultLinkCheck.values().length)).containsExactlyElementsOf(registry(PROTECTED));
        // the protected domains reach the registry's homograph check
        assertThat(configured.scan("https://pаypal.example/").reasons()).contains(LinkVerdict.Reason.HOMOGRAPH);
        assertThat(configured.scan("https://evil.example/").reasons()).contains(LinkVerdict.Reason.BLOCKLISTED);
        assertThat(plain.scan("https://pаypal.example/").reasons()).doesNotContain(LinkVerdict.Reason.HOMOGRAPH);
    }

    @Test
    void anInvalidProtectedDomainFailsTheConfigurationNamingTheParameter() {
        assertThatThrownBy(() -> LinkScanSettings.parse(Parameters.of(Map.of("protectedDomains", "not a host"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("parameter 'protectedDomains':");
    }
}
