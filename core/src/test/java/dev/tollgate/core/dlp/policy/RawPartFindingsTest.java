package dev.tollgate.core.dlp.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.activation.DataHandler;
import javax.mail.Session;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.util.ByteArrayDataSource;

import org.junit.jupiter.api.Test;

import dev.tollgate.core.dlp.TextScanner;
import dev.tollgate.core.dlp.content.ContentSegment;
import dev.tollgate.core.dlp.content.DocumentText;
import dev.tollgate.core.dlp.content.MimeContentExtractor;

/**
 * An Office document's parts its parser reads are read again raw: a value the parser's text already holds counts
 * once, what only the raw part holds (an attribute value, a part a relationship of the wrong source points to)
 * counts.
 */
class RawPartFindingsTest {
    private static final String RELS = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
    private static final String TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";

    /** A DOCX of the given parts in a message, scanned with the parser's text given. */
    private static MessageScan scan(String parserText, String[][] parts) throws Exception {
        ByteArrayOutputStream docx = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(docx)) {
            for (String[] p : parts) {
                z.putNextEntry(new ZipEntry(p[0]));
                z.write(p[1].getBytes(StandardCharsets.UTF_8));
            }
        }
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
        MimeMultipart mp = new MimeMultipart();
        MimeBodyPart text = new MimeBodyPart();
        text.setText("see attached");
        mp.addBodyPart(text);
        MimeBodyPart doc = new MimeBodyPart();
        doc.setDataHandler(new DataHandler(new ByteArrayDataSource(docx.toByteArray(),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document")));
        doc.setFileName("x.docx");
        mp.addBodyPart(doc);
        m.setContent(mp);
        m.saveChanges();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        m.writeTo(raw);
        MimeMessage parsed = new MimeMessage(Session.getInstance(new Properties()),
                new java.io.ByteArrayInputStream(raw.toByteArray()));
        MimeContentExtractor extractor = MimeContentExtractor.builder()
                .documentExtractor((bytes, name, timeout) -> DocumentText.of(parserText, List.of())).build();
        return MessageScan.of(extractor.extract(parsed), TextScanner.builder().allBuiltInDetectors().build());
    }

    private static List<String> cardLocations(MessageScan scan) {
        return scan.findings().stream().filter(f -> f.finding().detectorId().equals("payment-card"))
                .map(f -> f.location()).collect(Collectors.toList());
    }

    @Test
    void aValueThePartsTextHoldsCountsOnceWhatOnlyTheRawPartHoldsCounts() throws Exception {
        MessageScan scan = scan("card 4111 1111 1111 1111", new String[][] {
            {"[Content_Types].xml", "<Types/>"},
            {"_rels/.rels", RELS + "<Relationship Id=\"r1\" Type=\"" + TYPE + "officeDocument\" Target=\"word/document.xml\"/>"
                    // a header relationship from the package itself: the parser follows none such
                    + "<Relationship Id=\"r2\" Type=\"" + TYPE + "header\" Target=\"notes/secret.xml\"/></Relationships>"},
            {"word/document.xml", "<w:document><w:t>card 4111 1111 1111 1111</w:t>"
                    + "<wp:docPr descr=\"card 5555 5555 5555 4444\"/></w:document>"},
            {"notes/secret.xml", "<x>card 3782 822463 10005</x>"}});
        // the parser's text: the document's runs, not the image's description nor the stray part
        assertThat(cardLocations(scan)).containsExactlyInAnyOrder("attachment:x.docx",
                "attachment:x.docx!/word/document.xml" + ContentSegment.RAW_PART,
                "attachment:x.docx!/notes/secret.xml" + ContentSegment.RAW_PART);
    }

    /** A weaker copy of a value elsewhere does not hide a stronger finding of it in a raw part. */
    @Test
    void aStrongerFindingInARawPartCountsBesideAWeakerOne() throws Exception {
        MessageScan scan = scan("test 4111 1111 1111 1111", new String[][] {
            {"_rels/.rels", RELS + "<Relationship Id=\"r1\" Type=\"" + TYPE + "officeDocument\" Target=\"word/document.xml\"/>"
                    + "</Relationships>"},
            {"word/document.xml", "<w:document><w:t>test 4111 1111 1111 1111</w:t>"
                    + "<wp:docPr descr=\"Credit card number 4111 1111 1111 1111 CVV 123\"/></w:document>"}});
        List<dev.tollgate.core.dlp.Confidence> raw = scan.findings().stream()
                .filter(f -> f.finding().detectorId().equals("payment-card") && f.location().contains(ContentSegment.RAW_PART))
                .map(f -> f.finding().confidence()).collect(Collectors.toList());
        List<dev.tollgate.core.dlp.Confidence> first = scan.findings().stream()
                .filter(f -> f.finding().detectorId().equals("payment-card") && f.location().equals("attachment:x.docx"))
                .map(f -> f.finding().confidence()).collect(Collectors.toList());
        assertThat(first).hasSize(1);
        assertThat(raw).isNotEmpty().allMatch(c -> c.compareTo(first.get(0)) > 0);
    }

    /** The names of parts read raw are scanned as names, as any entry's. */
    @Test
    void aRawPartsNameIsScanned() throws Exception {
        MessageScan scan = scan("nothing", new String[][] {
            {"_rels/.rels", RELS + "<Relationship Id=\"r1\" Type=\"" + TYPE + "officeDocument\" Target=\"word/document.xml\"/>"
                    + "<Relationship Id=\"r2\" Type=\"" + TYPE + "header\" Target=\"notes/card 4111 1111 1111 1111.xml\"/>"
                    + "</Relationships>"},
            {"word/document.xml", "<w:document/>"}, {"notes/card 4111 1111 1111 1111.xml", "<x/>"}});
        assertThat(cardLocations(scan)).contains("attachment:x.docx!/notes/card 4111 1111 1111 1111.xml");
    }
}
