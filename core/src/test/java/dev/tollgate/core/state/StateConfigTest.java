package dev.tollgate.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;

class StateConfigTest {
    static StateConfig parse(Map<String, String> values) {
        return StateConfig.parse(Parameters.of(values));
    }

    @Test
    void theDefaultIsTheFileBackend() {
        StateConfig c = StateConfig.defaults();
        assertThat(c.backend()).isEqualTo(StateConfig.Backend.FILE);
        assertThat(c.keyspace()).isEqualTo("tollgate");
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.session()).isEqualTo(StateConfig.Session.AUTO);
    }

    @Test
    void cassandraSettingsTakeEffect() {
        StateConfig c = parse(Map.of("backend", "cassandra", "cassandra.contactPoints", "c1:9142, c2, [2001:db8::1]:9043",
                "cassandra.localDatacenter", "eu-west", "cassandra.keyspace", "tg_state", "cassandra.replicationFactor", "3",
                "cassandra.username", "tollgate", "cassandra.password", "s3cret", "cassandra.requestTimeout", "500ms"));
        assertThat(c.backend()).isEqualTo(StateConfig.Backend.CASSANDRA);
        assertThat(c.contactPoints()).extracting(a -> a.getHostString() + "/" + a.getPort())
                .containsExactly("c1/9142", "c2/9042", "2001:db8::1/9043");
        assertThat(c.localDatacenter()).isEqualTo("eu-west");
        assertThat(c.keyspace()).isEqualTo("tg_state");
        assertThat(c.replicationFactor()).isEqualTo(3);
        assertThat(c.username()).contains("tollgate");
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.toString()).doesNotContain("s3cret");
    }

    @Test
    void theExampleOfTheClusterPageAndTheShippedFileParse() throws Exception {
        String page = java.nio.file.Files.readString(java.nio.file.Paths.get("..", "docs", "cluster.md"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("```properties\\n(.*?)```", java.util.regex.Pattern.DOTALL)
                .matcher(page);
        assertThat(m.find()).isTrue();
        StateConfig example = parse(properties(m.group(1)));
        assertThat(example.backend()).isEqualTo(StateConfig.Backend.CASSANDRA);
        assertThat(example.replicationFactor()).isEqualTo(3);
        assertThat(example.tls()).isTrue();
        StateConfig shipped = parse(properties(java.nio.file.Files.readString(java.nio.file.Paths.get("..", "conf",
                "tollgate-state.properties"))));
        assertThat(shipped.backend()).as("the single-node default").isEqualTo(StateConfig.Backend.FILE);
    }

    static Map<String, String> properties(String text) throws java.io.IOException {
        java.util.Properties p = new java.util.Properties();
        p.load(new java.io.StringReader(text));
        Map<String, String> out = new java.util.HashMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }

    @Test
    void errorsNameTheParameter() {
        assertThatThrownBy(() -> parse(Map.of("backend", "redis"))).isInstanceOf(ConfigException.class)
                .extracting(e -> ((ConfigException) e).parameter()).isEqualTo("backend");
        assertThatThrownBy(() -> parse(Map.of("cassandra.keyspace", "drop table;")))
                .extracting(e -> ((ConfigException) e).parameter()).isEqualTo("cassandra.keyspace");
        assertThatThrownBy(() -> parse(Map.of("cassandra.contactPoints", "c1:99999")))
                .extracting(e -> ((ConfigException) e).parameter()).isEqualTo("cassandra.contactPoints");
        assertThatThrownBy(() -> parse(Map.of("cassandra.username", "u")))
                .extracting(e -> ((ConfigException) e).parameter()).isEqualTo("cassandra.password");
        assertThatThrownBy(() -> parse(Map.of("backend", "cassandra", "cassandra.session", "own")))
                .extracting(e -> ((ConfigException) e).parameter()).isEqualTo("cassandra.contactPoints");
        assertThatThrownBy(() -> parse(Map.of("cassandra.requestTimeout", "0s")))
                .extracting(e -> ((ConfigException) e).parameter()).isEqualTo("cassandra.requestTimeout");
        assertThatThrownBy(() -> parse(Map.of("cassandra.contactpoints", "x")))
                .extracting(e -> ((ConfigException) e).parameter()).isEqualTo("cassandra.contactpoints");
    }
}
