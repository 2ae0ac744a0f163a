package dev.tollgate.it.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConfEditTest {
    static final String XML = "<mailet class=\"A\">\n"
            + "    <maxRetries>5</maxRetries>\n"
            + "    <policy>optional</policy>\n"
            + "</mailet>\n"
            + "<mailet class=\"B\">\n"
            + "    <policy>optional</policy>\n"
            + "</mailet>\n";

    @Test
    void aMissingTargetFailsNamingTheFileAndTheText() {
        assertThatThrownBy(() -> ConfEdit.of("mailetcontainer.xml", XML)
                .replaceOnce("<maxRetries>5</maxRetries>", "<maxRetries>1</maxRetries>")
                .replaceOnce("<delays>5m, 15m, 1h, 4h</delays>", "<delays>30s</delays>"))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("mailetcontainer.xml: ")
                .hasMessageContaining("found 0 times, expected once")
                .hasMessageEndingWith(": <delays>5m, 15m, 1h, 4h</delays>");
    }

    @Test
    void aPresentTargetIsReplacedAndNothingElse() {
        String edited = ConfEdit.of("mailetcontainer.xml", XML)
                .replaceOnce("<maxRetries>5</maxRetries>", "<maxRetries>1</maxRetries>").text();

        assertThat(edited).isEqualTo(XML.replace("<maxRetries>5</maxRetries>", "<maxRetries>1</maxRetries>"))
                .contains("<maxRetries>1</maxRetries>").doesNotContain("<maxRetries>5</maxRetries>");
    }

    @Test
    void replaceOnceRefusesATargetThatOccursMoreThanOnce() {
        assertThatThrownBy(() -> ConfEdit.of("mailetcontainer.xml", XML)
                .replaceOnce("<policy>optional</policy>", "<policy>required</policy>"))
                .isInstanceOf(AssertionError.class)
                .hasMessage("mailetcontainer.xml: text to edit found 2 times, expected once (has the shipped file "
                        + "changed?): <policy>optional</policy>");
    }

    @Test
    void replaceExactlyReplacesEveryOccurrenceWhenTheCountMatches() {
        String edited = ConfEdit.of("smtpserver.xml", XML)
                .replaceExactly("<policy>optional</policy>", "<policy>required</policy>", 2).text();

        assertThat(edited).isEqualTo(XML.replace("<policy>optional</policy>", "<policy>required</policy>"));
        assertThatThrownBy(() -> ConfEdit.of("smtpserver.xml", XML)
                .replaceExactly("<policy>optional</policy>", "<policy>required</policy>", 3))
                .isInstanceOf(AssertionError.class).hasMessageContaining("smtpserver.xml: text to edit found 2 times, expected 3 times");
    }

    @Test
    void replaceFirstChangesOnlyTheFirstOccurrenceAndNeedsOne() {
        String edited = ConfEdit.of("smtpserver.xml", XML)
                .replaceFirst("<policy>optional</policy>", "<policy>required</policy>").text();

        assertThat(edited).isEqualTo(XML.replaceFirst("<policy>optional</policy>", "<policy>required</policy>"));
        assertThatThrownBy(() -> ConfEdit.of("smtpserver.xml", XML).replaceFirst("<policy>none</policy>", "x"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("smtpserver.xml")
                .hasMessageContaining("found 0 times, expected at least once").hasMessageEndingWith("<policy>none</policy>");
    }

    @Test
    void insertBeforePutsTheTextJustBeforeTheMarker() {
        String edited = ConfEdit.of("mailetcontainer.xml", XML).insertBefore("<mailet class=\"B\">", "<!-- here -->\n").text();

        assertThat(edited).isEqualTo(XML.replace("<mailet class=\"B\">", "<!-- here -->\n<mailet class=\"B\">"));
        assertThatThrownBy(() -> ConfEdit.of("mailetcontainer.xml", XML).insertBefore("</processors>", "x"))
                .isInstanceOf(AssertionError.class).hasMessageEndingWith(": </processors>");
    }

    @Test
    void replaceLinesReplacesWholeLinesLiterallyAndNeedsOne() {
        String properties = "enabled=true\nport=8000\nhost=127.0.0.1\n#host=10.0.0.1\n";

        assertThat(ConfEdit.of("webadmin.properties", properties).replaceLines("host=.*", "host=$0.0.0.0").text())
                .isEqualTo("enabled=true\nport=8000\nhost=$0.0.0.0\n#host=10.0.0.1\n");
        assertThatThrownBy(() -> ConfEdit.of("webadmin.properties", properties).replaceLines("bindAddress=.*", "x"))
                .isInstanceOf(AssertionError.class).hasMessageStartingWith("webadmin.properties: ")
                .hasMessageEndingWith("a line matching bindAddress=.*");
    }
}
