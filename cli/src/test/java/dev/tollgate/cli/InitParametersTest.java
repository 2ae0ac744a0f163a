package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

class InitParametersTest {
    @TempDir
    Path temp;

    private Element mailet(String xml) throws IOException, XmlFiles.MalformedXmlException {
        Path file = temp.resolve("m.xml");
        Files.writeString(file, xml);
        return XmlFiles.read(file).getDocumentElement();
    }

    @Test
    void childElementsAreParametersAndAttributesAreNot() throws Exception {
        Element m = mailet("<mailet match=\"All\" class=\"X\">\n"
                + "  <a>1</a>\n  <b x=\"y\"> two </b>\n  <empty/>\n  <a>3</a>\n"
                + "  <group>\n    <leaf>4</leaf>\n    <leaf>5</leaf>\n  </group>\n"
                + "  <![CDATA[ignored]]>\n</mailet>");

        Map<String, String> parameters = InitParameters.of(m);

        assertThat(parameters).containsExactly(
                Map.entry("a", "1,3"), Map.entry("b", "two"), Map.entry("empty", ""),
                Map.entry("group.leaf", "4,5"));
    }

    @Test
    void elementForFindsTheFirstElementOfAPath() throws Exception {
        Element m = mailet("<mailet>\n<group>\n<leaf>4</leaf>\n</group>\n</mailet>");

        assertThat(XmlFiles.lineOf(InitParameters.elementFor(m, "group.leaf"))).isEqualTo(3);
        assertThat(InitParameters.elementFor(m, "missing")).isNull();
        assertThat(InitParameters.elementFor(m, "condition")).isNull();
    }
}
