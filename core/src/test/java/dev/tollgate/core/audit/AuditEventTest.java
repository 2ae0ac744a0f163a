package dev.tollgate.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class AuditEventTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void everyKeyIsPresentInTheDocumentedOrder() throws Exception {
        String line = AuditEvent.of("mfa", "refuse").time(Instant.parse("2026-12-03T10:15:30.123456Z"))
                .user("alice@demo.test").client("192.0.2.7").reason("replay").detail("protocol", "smtp")
                .build().toJson("mx1");
        assertThat(line).isEqualTo("{\"time\":\"2026-12-03T10:15:30.123Z\",\"node\":\"mx1\",\"capability\":\"mfa\","
                + "\"decision\":\"refuse\",\"user\":\"alice@demo.test\",\"client\":\"192.0.2.7\",\"message_id\":null,"
                + "\"rules\":[],\"reason\":\"replay\",\"details\":{\"protocol\":\"smtp\"}}");
    }

    @Test
    void hostileValuesStayOnOneLineAndAreCut() throws Exception {
        String line = AuditEvent.of("dlp", "quarantine").user("a\r\n{\"forged\":1}\u2028b")
                .messageId("<" + "x".repeat(1000) + "@h>").rules(List.of("r\n1")).build().toJson("n");
        assertThat(line).doesNotContain("\n").doesNotContain("\r").doesNotContain("\u2028");
        JsonNode node = json.readTree(line);
        assertThat(node.get("user").asText()).isEqualTo("a  {\"forged\":1} b");
        assertThat(node.get("message_id").asText()).hasSize(256);
        assertThat(node.get("rules").get(0).asText()).isEqualTo("r 1");
        assertThat(node.size()).isEqualTo(10);
    }
}
