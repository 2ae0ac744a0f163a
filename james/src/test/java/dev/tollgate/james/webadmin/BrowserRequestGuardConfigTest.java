package dev.tollgate.james.webadmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;

class BrowserRequestGuardConfigTest {

    private static Parameters webadmin(String... keysAndValues) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("enabled", "true");
        values.put("port", "8000");
        values.put("extensions.routes", "dev.tollgate.james.webadmin.BrowserRequestGuard");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return Parameters.of(values);
    }

    @Test
    void withoutTollgateKeysOnlyIpLiteralsAndLocalhostAreAllowed() {
        assertThat(BrowserRequestGuardConfig.parse(webadmin()).allowedHosts()).isEmpty();
        assertThat(BrowserRequestGuardConfig.parse(webadmin(BrowserRequestGuardConfig.ALLOWED_HOSTS, "  ")).allowedHosts())
                .isEmpty();
    }

    @Test
    void allowedHostsAreReadLowerCaseAndJamesKeysAreIgnored() {
        BrowserRequestGuardConfig config = BrowserRequestGuardConfig.parse(
                webadmin(BrowserRequestGuardConfig.ALLOWED_HOSTS, "Admin.Example.com, mailhost ,admin.example.com"));

        assertThat(config.allowedHosts()).containsExactly("admin.example.com", "mailhost");
    }

    @Test
    void unknownTollgateKeyIsRefusedByName() {
        assertThatThrownBy(() -> BrowserRequestGuardConfig.parse(webadmin("tollgate.allowedHost", "a.example")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("parameter 'tollgate.allowedHost': unknown parameter")
                .hasMessageContaining(BrowserRequestGuardConfig.ALLOWED_HOSTS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin.example.com:8000", "http://admin.example.com", "*.example.com", "admin.example.com.",
        "127.0.0.1", "[::1]", "::1", "bad_name!", "a.example/path"})
    void aValueThatIsNotAPlainDnsNameIsRefusedNamingTheKey(String value) {
        assertThatThrownBy(() -> BrowserRequestGuardConfig.parse(
                webadmin(BrowserRequestGuardConfig.ALLOWED_HOSTS, "ok.example," + value)))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).parameter()).isEqualTo(BrowserRequestGuardConfig.ALLOWED_HOSTS))
                .hasMessageNotContaining(value);
    }

    @Test
    void specNamesTheGuardAsAWebAdminRoutesExtension() {
        BrowserRequestGuardConfig.Spec spec = new BrowserRequestGuardConfig.Spec();
        assertThat(spec.className()).isEqualTo(BrowserRequestGuard.class.getName());
        assertThat(spec.kind()).isEqualTo(dev.tollgate.core.config.ComponentSpec.Kind.WEBADMIN_ROUTES);
        assertThatThrownBy(() -> spec.validate(webadmin(BrowserRequestGuardConfig.ALLOWED_HOSTS, "x:1"), null))
                .isInstanceOf(ConfigException.class);
    }
}
