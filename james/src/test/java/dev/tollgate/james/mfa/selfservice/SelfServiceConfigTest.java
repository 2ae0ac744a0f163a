package dev.tollgate.james.mfa.selfservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;

class SelfServiceConfigTest {
    static SelfServiceConfig parse(Map<String, String> values) {
        return SelfServiceConfig.parse(Parameters.of(values));
    }

    @Test
    void defaultsServeHttpsOnEveryDomain() {
        SelfServiceConfig c = parse(Map.of("tls.secret", "s"));
        assertThat(c.port()).isEqualTo(8443);
        assertThat(c.tls()).isTrue();
        assertThat(c.keystore()).isEqualTo("conf/keystore");
        assertThat(c.sessionLifetime()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.allows("alice@example.com")).isTrue();
    }

    @Test
    void theDomainSwitchOverridesTheDefault() {
        SelfServiceConfig c = parse(Map.of("tls", "false", "defaultAccess", "off",
                "domainAccess", "open.test=on, Closed.test=off"));
        assertThat(c.allows("a@open.test")).isTrue();
        assertThat(c.allows("a@OPEN.test")).isTrue();
        assertThat(c.allows("a@closed.test")).isFalse();
        assertThat(c.allows("a@other.test")).isFalse();
    }

    @Test
    void errorsNameTheParameter() {
        assertThatThrownBy(() -> parse(Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("tls.secret");
        assertThatThrownBy(() -> parse(Map.of("tls", "false", "port", "70000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> parse(Map.of("tls", "false", "session.lifetime", "2h")))
                .hasMessageContaining("session.lifetime");
        assertThatThrownBy(() -> parse(Map.of("tls", "false", "domainAccess", "a.test=maybe")))
                .hasMessageContaining("domainAccess");
        assertThatThrownBy(() -> parse(Map.of("tls", "false", "domainAccess", "a.test=on,a.test=off")))
                .hasMessageContaining("given twice");
        assertThatThrownBy(() -> parse(Map.of("tls", "false", "prot", "1"))).hasMessageContaining("prot");
        assertThatThrownBy(() -> parse(Map.of("tls", "false", "tls.keystoreType", "PEM")))
                .hasMessageContaining("tls.keystoreType");
    }

    @Test
    void theShippedFileIsValid() throws Exception {
        java.util.Properties p = new java.util.Properties();
        try (var in = java.nio.file.Files.newBufferedReader(java.nio.file.Paths.get("../conf/tollgate-selfservice.properties"))) {
            p.load(in);
        }
        Map<String, String> values = new java.util.HashMap<>();
        p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));
        SelfServiceConfig c = parse(values);
        assertThat(c.enabled()).isTrue();
        assertThat(c.port()).isEqualTo(8443);
    }

    /** The properties example of docs/reference/SelfServicePage.md parses and does what the page says. */
    @Test
    void theDocumentedExampleIsValid() throws Exception {
        String page = java.nio.file.Files.readString(java.nio.file.Paths.get("../docs/reference/SelfServicePage.md"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "```properties\\n(# conf/tollgate-selfservice\\.properties\\n.*?)```", java.util.regex.Pattern.DOTALL)
                .matcher(page);
        assertThat(m.find()).as("the example block").isTrue();
        java.util.Properties p = new java.util.Properties();
        p.load(new java.io.StringReader(m.group(1)));
        Map<String, String> values = new java.util.HashMap<>();
        p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));
        SelfServiceConfig c = parse(values);
        assertThat(c.allows("a@staff.example.com")).isTrue();
        assertThat(c.allows("a@students.example.com")).isTrue();
        assertThat(c.allows("a@example.com")).isFalse();
    }
}
