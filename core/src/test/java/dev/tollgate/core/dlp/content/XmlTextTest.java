package dev.tollgate.core.dlp.content;

import static dev.tollgate.core.dlp.content.MimeContentExtractorTest.textAt;
import static dev.tollgate.core.dlp.content.TestMessages.withAttachment;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class XmlTextTest {
    @Test
    void referencesAreDecodedRunsJoinedAndAttributesListed() {
        String xml = "<?xml version=\"1.0\"?><w:document xmlns:w=\"w\"><w:p><w:r><w:t>4111 11</w:t></w:r><w:r><w:t>11 1111"
                + " 1111</w:t></w:r></w:p><w:p><w:t>&#52;&#49;&#49;&#49; &amp; more</w:t></w:p>"
                + "<wp:docPr xmlns:wp=\"wp\" descr=\"card &#x34;111\"/></w:document>";
        String text = XmlText.of(xml).orElseThrow();
        assertThat(text.split("\n")).contains("4111 1111 1111 1111", "4111 & more", "card 4111");
    }

    @Test
    void whatIsNotXmlOrHasADoctypeGivesNothing() {
        assertThat(XmlText.of("plain text")).isEmpty();
        assertThat(XmlText.of("<a>unclosed")).isEmpty();
        assertThat(XmlText.of("<!DOCTYPE a [<!ENTITY c \"4111\">]><a>&c;</a>")).isEmpty();
        assertThat(XmlText.of("\ufeff  <a>x</a>")).hasValue("x\n");
    }

    @Test
    void anXmlEntryIsAlsoReadAsParsed() throws Exception {
        MimeContentExtractor extractor = MimeContentExtractor.builder().build();
        String refs = "<x>card &#52;&#49;&#49;&#49;&#32;&#49;&#49;&#49;&#49;&#32;&#49;&#49;&#49;&#49;&#32;&#49;&#49;&#49;&#49;</x>";
        byte[] zip = TestZips.zip(false, "notes.xml", refs);
        ExtractedContent c = extractor.extract(withAttachment("hi", zip, "n.zip", "application/zip"));
        assertThat(textAt(c, "attachment:n.zip!/notes.xml" + ContentSegment.XML_TEXT)).contains("4111 1111 1111 1111");
        ExtractedContent plain = extractor.extract(withAttachment("hi", refs.getBytes(StandardCharsets.UTF_8),
                "cards.xml", "application/xml"));
        assertThat(textAt(plain, "attachment:cards.xml" + ContentSegment.XML_TEXT)).contains("4111 1111 1111 1111");
    }
}
