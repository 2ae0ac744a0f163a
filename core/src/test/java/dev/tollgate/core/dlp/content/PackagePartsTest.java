package dev.tollgate.core.dlp.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class PackagePartsTest {
    private static final String RELS = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
    private static final String TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";

    private static String rel(String type, String target) {
        return "<Relationship Id=\"r" + target.hashCode() + "\" Type=\"" + TYPE + type + "\" Target=\"" + target + "\"/>";
    }

    @Test
    void theTestDocumentsPartsAreThoseTheirRelationshipsGiveTheParser() throws Exception {
        assertThat(PackageParts.readByParser(Files.readAllBytes(Path.of("../testdata/tika/testWORD.docx"))))
                .containsExactlyInAnyOrder("word/document.xml", "word/header1.xml", "word/footer1.xml",
                        "word/footnotes.xml", "word/endnotes.xml", "docprops/core.xml", "docprops/app.xml");
        assertThat(PackageParts.readByParser(Files.readAllBytes(Path.of("../testdata/tika/testEXCEL.xlsx"))))
                .containsExactlyInAnyOrder("xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml",
                        "xl/worksheets/sheet3.xml", "xl/sharedstrings.xml", "docprops/core.xml", "docprops/app.xml");
    }

    /**
     * Only what the package's own relationships reach counts: a relationship part of a part nothing points to is not
     * followed, a cycle ends, and absolute, parent and escaped targets resolve as URIs do.
     */
    @Test
    void relationshipsAreFollowedFromThePackageOnly() throws Exception {
        byte[] zip = TestZips.zip(false,
                "_rels/.rels", RELS + rel("officeDocument", "/word/main%20doc.xml") + "</Relationships>",
                "word/_rels/main doc.xml.rels", RELS + rel("header", "../word/./h1.xml") + rel("styles", "styles.xml")
                        + rel("package", "embeddings/doc1.docx")
                        + rel("hyperlink", "https://x.example/\" TargetMode=\"External") + "</Relationships>",
                "word/_rels/h1.xml.rels", RELS + rel("footer", "/word/main%20doc.xml") + rel("footer", "f1.xml#x")
                        + "</Relationships>",
                "evil/_rels/orphan.xml.rels", RELS + rel("header", "card.xml") + "</Relationships>",
                "word/main doc.xml", "<w:document/>", "word/h1.xml", "<w:hdr/>", "word/f1.xml", "<w:ftr/>",
                "evil/card.xml", "<x/>", "word/styles.xml", "<w:styles/>", "word/embeddings/doc1.docx", "PK");
        assertThat(PackageParts.readByParser(zip)).containsExactlyInAnyOrder("word/main doc.xml", "word/h1.xml",
                "word/f1.xml", "word/embeddings/doc1.docx");
    }

    @Test
    void relationshipsThatDoNotParseLeaveEveryPartToBeRead() throws Exception {
        byte[] doctype = TestZips.zip(false, "_rels/.rels", "<!DOCTYPE r [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + RELS + rel("officeDocument", "word/document.xml") + "</Relationships>", "word/document.xml", "<d/>");
        assertThat(PackageParts.readByParser(doctype)).isEmpty();
        assertThat(PackageParts.readByParser("not a zip".getBytes(java.nio.charset.StandardCharsets.US_ASCII))).isEmpty();
        byte[] odf = TestZips.zip(true, "mimetype", "application/vnd.oasis.opendocument.text", "content.xml", "<c/>");
        assertThat(PackageParts.readByParser(odf)).containsExactlyInAnyOrder("content.xml", "styles.xml", "meta.xml");
    }

    @Test
    void targetsResolveAgainstTheSourceFolder() {
        assertThat(PackageParts.resolve("word/", "media/a.png")).isEqualTo("word/media/a.png");
        assertThat(PackageParts.resolve("word/", "/Word/A.xml")).isEqualTo("word/a.xml");
        assertThat(PackageParts.resolve("word/", "../docProps/x.xml")).isEqualTo("docprops/x.xml");
        assertThat(PackageParts.resolve("", "../x.xml")).isNull();
        assertThat(PackageParts.resolve("", "a%2Fb.xml")).isEqualTo("a/b.xml");
    }
}
