package dev.tollgate.core.dlp.content;

import static dev.tollgate.core.dlp.content.TestMessages.parse;
import static dev.tollgate.core.dlp.content.TestMessages.withAttachment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import javax.mail.internet.MimeMessage;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;

class MimeContentExtractorTest {
    static final String CARD = "4111111111111111";
    final MimeContentExtractor extractor = MimeContentExtractor.builder().build();

    static String all(ExtractedContent c) {
        return c.segments().stream().map(s -> s.text().toString()).collect(Collectors.joining("\n"));
    }

    static String textAt(ExtractedContent c, String location) {
        return c.segments().stream().filter(s -> s.location().equals(location) && s.kind() != ContentKind.ATTACHMENT_NAME)
                .map(s -> s.text().toString()).findFirst().orElseThrow(() -> new AssertionError("no text at " + location
                        + " in " + c.segments()));
    }

    @Test
    void subjectQuotedPrintableLatin1BodyAndBase64Html() throws Exception {
        String html = "<html><body><p>Card:&nbsp;<b>4111 1111</b> 1111 1111</p><script>x()</script></body></html>";
        String raw = "Subject: =?UTF-8?B?" + Base64.getEncoder().encodeToString("Kündigung 🙂".getBytes(StandardCharsets.UTF_8))
                + "?=\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + "Gr=FC=DFe, IBAN DE89 3704 0044 0532 0130 00\r\n"
                + "--b\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(html.getBytes(StandardCharsets.UTF_8)) + "\r\n--b--\r\n";
        ExtractedContent c = extractor.extract(parse(raw));
        assertThat(c.isComplete()).isTrue();
        assertThat(c.segments()).extracting(ContentSegment::kind, ContentSegment::location).containsExactly(
                tuple(ContentKind.SUBJECT, "subject"), tuple(ContentKind.BODY, "body[1]"), tuple(ContentKind.BODY, "body[2]"),
                tuple(ContentKind.BODY, "body[2]#script"));
        assertThat(textAt(c, "body[2]#script")).isEqualTo("x()");
        assertThat(textAt(c, "subject")).isEqualTo("Kündigung 🙂");
        assertThat(textAt(c, "body[1]")).isEqualTo("Grüße, IBAN DE89 3704 0044 0532 0130 00");
        assertThat(textAt(c, "body[2]")).contains("Card: 4111 1111 1111 1111").doesNotContain("<b>", "x()");
    }

    @Test
    void aFindingInFoldedDigitsMapsBackToThePartsOwnText() throws Exception {
        // Arabic-Indic digits with a zero-width space in the body: scanned as ASCII digits, located in the original
        String digits = "\u0664\u0661\u0661\u0661 \u0661\u0661\u0661\u0661 \u0661\u0661\u200B\u0661\u0661 "
                + "\u0661\u0661\u0661\u0661";
        String raw = "Subject: s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + Base64.getMimeEncoder().encodeToString(
                        ("\u0631\u0642\u0645 \u0627\u0644\u0628\u0637\u0627\u0642\u0629: " + digits + " \u0634\u0643\u0631\u0627")
                                .getBytes(StandardCharsets.UTF_8)) + "\r\n";
        ContentSegment body = extractor.extract(parse(raw)).segments().stream()
                .filter(s -> s.location().equals("body[1]")).findFirst().orElseThrow();
        assertThat(body.text().toString()).contains("4111 1111 1111 1111");
        dev.tollgate.core.dlp.Finding f = dev.tollgate.core.dlp.TextScanner.builder().allBuiltInDetectors().build()
                .scan(body.text()).get(0);
        int[] span = body.originalSpan(f.start(), f.end());
        assertThat(body.originalText().subSequence(span[0], span[1]).toString()).isEqualTo(digits);
        // a segment that normalising left alone: its own text, the same span
        ContentSegment subject = extractor.extract(parse(raw)).segments().get(0);
        assertThat(subject.originalText()).isSameAs(subject.text());
        assertThat(subject.originalSpan(0, 1)).containsExactly(0, 1);
    }

    /** RFC 2045 §6.7 rule 3: {@code "= "} at the end of a line is a soft break, as a client that follows the RFC shows it. */
    @Test
    void aCardSplitByASoftBreakWithTrailingBlanksIsReadWhole() throws Exception {
        for (String type : new String[] {"text/plain", "text/html"}) {
            String raw = "Subject: s\r\nMIME-Version: 1.0\r\nContent-Type: " + type + "; charset=utf-8\r\n"
                    + "Content-Transfer-Encoding: quoted-printable\r\n\r\ncard 41111111= \r\n11111111 ok\r\n";
            ExtractedContent c = extractor.extract(parse(raw));
            assertThat(textAt(c, "body[1]")).as(type).contains("card 4111111111111111 ok");
            assertThat(dev.tollgate.core.dlp.policy.MessageScan.of(c, dev.tollgate.core.dlp.TextScanner.builder()
                    .allBuiltInDetectors().build()).findings()).as(type).isNotEmpty();
        }
    }

    /**
     * A malformed escape elsewhere in the part (or a final soft break) must not turn the padded soft break back into
     * an {@code =} and a line break: the card is read whole, as the reader sees it.
     */
    @Test
    void aPaddedSoftBreakSplitsNothingInAPartWithAMalformedEscape() throws Exception {
        String[] bodies = {"Card 4111 1111 11=  \r\n11 1111 thanks=\r\n", "Card 4111 1111 11=\t\r\n11 1111 thanks, a = b\r\n",
            "Card 4111 1111 11=  \r\n11 1111 thanks =G1\r\n"};
        for (String type : new String[] {"text/plain", "text/html"}) {
            for (String body : bodies) {
                String raw = "Subject: s\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=BB\r\n\r\n"
                        + "--BB\r\nContent-Type: " + type + "; charset=utf-8\r\n"
                        + "Content-Transfer-Encoding: quoted-printable\r\n\r\n" + body + "--BB--\r\n";
                ExtractedContent c = extractor.extract(parse(raw));
                assertThat(c.segments()).as(type + " " + body).anyMatch(seg -> seg.text().toString().contains("4111 1111 1111 1111"));
                assertThat(dev.tollgate.core.dlp.policy.MessageScan.of(c, dev.tollgate.core.dlp.TextScanner.builder()
                        .allBuiltInDetectors().build()).findings()).as(type + " " + body).isNotEmpty();
            }
        }
    }

    /** Attachments are decoded as a stream: the same rules, so a padded soft break splits nothing there either. */
    @Test
    void aPaddedSoftBreakSplitsNothingInAQuotedPrintableAttachment() throws Exception {
        for (String type : new String[] {"text/plain", "text/html", "text/csv", "application/octet-stream"}) {
            String raw = "Subject: s\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=BB\r\n\r\n"
                    + "--BB\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
                    + "--BB\r\nContent-Type: " + type + "\r\nContent-Disposition: attachment; filename=card.txt\r\n"
                    + "Content-Transfer-Encoding: quoted-printable\r\n\r\nCard 4111 1111 11=  \r\n11 1111 thanks\t\r\n"
                    + "--BB--\r\n";
            ExtractedContent c = extractor.extract(parse(raw));
            assertThat(c.segments()).as(type).anyMatch(seg -> seg.text().toString().contains("4111 1111 1111 1111"));
            assertThat(dev.tollgate.core.dlp.policy.MessageScan.of(c, dev.tollgate.core.dlp.TextScanner.builder()
                    .allBuiltInDetectors().build()).findings()).as(type).isNotEmpty();
        }
    }

    @Test
    void headerNamesWithDigitsAreScannedToo() throws Exception {
        String raw = "Subject: s\r\nX-4111111111111111: hello\r\nX-Mailer2: ok\r\nX-4111111111111111: again\r\n"
                + "Content-Type: text/plain\r\n\r\nbody\r\n";
        ExtractedContent c = extractor.extract(parse(raw));
        assertThat(textAt(c, "header names")).isEqualTo("X-4111111111111111\nX-Mailer2");
        assertThat(dev.tollgate.core.dlp.policy.MessageScan.of(c, dev.tollgate.core.dlp.TextScanner.builder()
                .allBuiltInDetectors().build()).findings()).extracting(f -> f.location())
                .contains("header names");
        // counter-case: names without a digit add no segment
        ExtractedContent plain = extractor.extract(parse("Subject: s\r\nX-Mailer: m\r\n\r\nbody\r\n"));
        assertThat(plain.segments()).noneMatch(sg -> sg.location().endsWith(" names"));
    }

    @Test
    void documentMetadataIsScannedOneSegmentPerKey() throws Exception {
        DocumentTextExtractor documents = (bytes, name, timeout) -> DocumentText.of("body text", java.util.List.of(
                new DocumentText.Property("dc:title", "Card " + CARD), new DocumentText.Property("custom:Ref", "a"),
                new DocumentText.Property("custom:Ref", "b")));
        MimeContentExtractor withDocuments = MimeContentExtractor.builder().documentExtractor(documents).build();
        ExtractedContent c = withDocuments.extract(withAttachment("hi", "%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n".getBytes(StandardCharsets.ISO_8859_1), "x.pdf", "application/pdf"));
        assertThat(c.isComplete()).as(c.unscannable().toString()).isTrue();
        assertThat(textAt(c, "attachment:x.pdf")).isEqualTo("body text");
        assertThat(textAt(c, "attachment:x.pdf \u2192 metadata:dc:title")).isEqualTo("Card " + CARD);
        assertThat(textAt(c, "attachment:x.pdf \u2192 metadata:custom:Ref")).isEqualTo("a\n\nb");
    }

    static byte[] zipOf(String... namesAndContents) throws java.io.IOException {
        return TestZips.zip(false, (Object[]) namesAndContents);
    }

    /** A package's relationships: the main document, a header and the core properties, as Word writes them. */
    static final String[] WORD_RELATIONSHIPS = {
        "_rels/.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
            + "officeDocument\" Target=\"word/document.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas."
            + "openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"/docProps/core.xml\"/>"
            + "</Relationships>",
        "word/_rels/document.xml.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
            + "relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
            + "2006/relationships/header\" Target=\"header1.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas."
            + "openxmlformats.org/officeDocument/2006/relationships/hyperlink\" Target=\"https://a.example/\" "
            + "TargetMode=\"External\"/><Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/"
            + "officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>"};

    static String[] withRelationships(String... namesAndContents) {
        String[] all = java.util.Arrays.copyOf(WORD_RELATIONSHIPS, WORD_RELATIONSHIPS.length + namesAndContents.length);
        System.arraycopy(namesAndContents, 0, all, WORD_RELATIONSHIPS.length, namesAndContents.length);
        return all;
    }

    @Test
    void partsOfAnOfficePackageItsParserDoesNotReadAreReadLikeZipEntries() throws Exception {
        DocumentTextExtractor documents = (bytes, name, timeout) -> DocumentText.of("body text", java.util.List.of());
        MimeContentExtractor withDocuments = MimeContentExtractor.builder().documentExtractor(documents).build();
        String docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        byte[] extras = zipOf(withRelationships("[Content_Types].xml", "<Types/>",
                "word/document.xml", "<w:document>4111 1111 1111 1111</w:document>",
                "word/header1.xml", "<w:hdr>4111 1111 1111 1111</w:hdr>", "word/styles.xml", "<w:styles/>",
                "docProps/core.xml", "<cp:coreProperties>4111 1111 1111 1111</cp:coreProperties>",
                "word/notes.txt", "card " + CARD, "customXml/item1.xml", "<x>IBAN GB82 WEST 1234 5698 7654 32</x>",
                // parts no relationship reaches, whatever their names or folders, and text named as an image
                "word/unlisted.xml", "<x>unlisted " + CARD + "</x>", "docProps/notes.xml", "<x>notes " + CARD + "</x>",
                "META-INF/notes.xml", "<x>meta " + CARD + "</x>", "word/media/image2.png", "png " + CARD,
                "word/footer9.xml", "<w:ftr>footer " + CARD + "</w:ftr>"));
        java.io.ByteArrayOutputStream withImage = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(withImage)) {
            try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(extras))) {
                for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null; ) {
                    z.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                    z.write(in.readAllBytes());
                }
            }
            z.putNextEntry(new java.util.zip.ZipEntry("word/media/image1.png"));
            z.write(png);
        }
        ExtractedContent c = withDocuments.extract(withAttachment("hi", withImage.toByteArray(), "x.docx", docx));
        assertThat(c.isComplete()).as(c.unscannable().toString()).isTrue();
        assertThat(textAt(c, "attachment:x.docx!/word/notes.txt")).isEqualTo("card " + CARD);
        assertThat(textAt(c, "attachment:x.docx!/customXml/item1.xml")).contains("GB82 WEST");
        for (String part : new String[] {"word/unlisted.xml", "docProps/notes.xml", "META-INF/notes.xml",
            "word/media/image2.png", "word/footer9.xml"}) {
            assertThat(textAt(c, "attachment:x.docx!/" + part)).as(part).contains(CARD);
        }
        // what the parser reads (reached by its relationships) is read again raw, as a second reading; an image is
        // told by its bytes
        assertThat(c.segments()).filteredOn(s -> s.kind() != ContentKind.ATTACHMENT_NAME)
                .extracting(ContentSegment::location).doesNotContain(
                "attachment:x.docx!/word/document.xml", "attachment:x.docx!/word/header1.xml",
                "attachment:x.docx!/docProps/core.xml", "attachment:x.docx!/word/media/image1.png")
                .contains("attachment:x.docx!/word/styles.xml", "attachment:x.docx!/_rels/.rels",
                        "attachment:x.docx!/word/document.xml" + ContentSegment.RAW_PART,
                        "attachment:x.docx!/word/header1.xml" + ContentSegment.RAW_PART,
                        "attachment:x.docx!/docProps/core.xml" + ContentSegment.RAW_PART);
        assertThat(ContentSegment.isSecondReading("attachment:x.docx!/word/document.xml" + ContentSegment.RAW_PART))
                .isTrue();
        // a package without relationships: the parser reads none of its parts, each is read here
        byte[] bare = zipOf("[Content_Types].xml", "<Types/>", "word/document.xml", "<w:document>" + CARD + "</w:document>");
        ExtractedContent b = withDocuments.extract(withAttachment("hi", bare, "y.docx", docx));
        assertThat(textAt(b, "attachment:y.docx!/word/document.xml")).contains(CARD);
    }

    /**
     * A plain zip whose entries make it look like an Office package (a {@code [Content_Types].xml}) is read as a
     * document: what its parser does not read is read like any zip's entries, whatever the folders.
     */
    @Test
    void aZipThatLooksLikeAnOfficePackageHasEveryEntryRead() throws Exception {
        DocumentTextExtractor documents = (bytes, name, timeout) -> DocumentText.of("", java.util.List.of());
        MimeContentExtractor withDocuments = MimeContentExtractor.builder().documentExtractor(documents).build();
        byte[] zip = zipOf("[Content_Types].xml", "<Types/>", "docProps/card.txt", "Card: " + CARD,
                "META-INF/card.txt", "Card: " + CARD, "Pictures/card.txt", "Card: " + CARD, "export/card.png",
                "Card: " + CARD, "docProps/customers.xml", "<c>" + CARD + "</c>", "scans/card.svg",
                "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>" + CARD + "</text></svg>");
        ExtractedContent c = withDocuments.extract(withAttachment("hi", zip, "export.zip", "application/zip"));
        for (String part : new String[] {"docProps/card.txt", "META-INF/card.txt", "Pictures/card.txt",
            "export/card.png", "docProps/customers.xml", "scans/card.svg"}) {
            assertThat(c.segments()).as(part).anyMatch(s -> s.location().startsWith("attachment:export.zip!/" + part)
                    && s.kind() != ContentKind.ATTACHMENT_NAME && s.text().toString().contains(CARD));
        }
    }

    @Test
    void attachmentNamesRfc2231AndRfc2047AreDecoded() throws Exception {
        String raw = "Subject: names\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
                + "--b\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Disposition: attachment; filename*=UTF-8''Geh%C3%A4lter%202024.bin\r\n\r\n\u0000\u0001\u0002\r\n"
                + "--b\r\nContent-Type: application/octet-stream; name=\"=?UTF-8?Q?Kundenliste_=C3=BC.bin?=\"\r\n"
                + "Content-Disposition: attachment; filename=\"=?UTF-8?Q?Kundenliste_=C3=BC.bin?=\"\r\n\r\n\u0000\u0001\r\n"
                + "--b--\r\n";
        ExtractedContent c = extractor.extract(parse(raw));
        assertThat(c.segments()).filteredOn(s -> s.kind() == ContentKind.ATTACHMENT_NAME)
                .extracting(s -> s.text().toString(), ContentSegment::location)
                .containsExactly(tuple("Gehälter 2024.bin", "attachment:Gehälter 2024.bin"),
                        tuple("Kundenliste ü.bin", "attachment:Kundenliste ü.bin"));
        assertThat(c.isComplete()).isTrue();
    }

    @Test
    void unknownCharsetFallsBackWithANote() throws Exception {
        String raw = "Subject: x\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n\r\ncard " + CARD + "\r\n";
        ExtractedContent c = extractor.extract(parse(raw));
        assertThat(textAt(c, "body[1]")).contains(CARD);
        assertThat(c.notes()).containsExactly("body[1]: unknown charset 'x-no-such-charset', decoded as UTF-8");
        assertThat(c.isComplete()).isTrue();
    }

    @Test
    void unknownTransferEncodingIsScannedUndecodedWithANote() throws Exception {
        String raw = "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: x-weird\r\n\r\ncard " + CARD + "\r\n--b--\r\n";
        ExtractedContent c = extractor.extract(parse(raw));
        assertThat(all(c)).contains(CARD);
        assertThat(c.notes()).anyMatch(n -> n.contains("unknown Content-Transfer-Encoding"));
    }

    @Test
    void aMultipartOrTextReadersReadDifferentlyIsUnscannable() throws Exception {
        String[] raws = {
            // JavaMail splits by A (the last boundary given), James's IMAP server and other clients by B
            "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"B\"; boundary*=us-ascii''A\r\n\r\n"
                + "--A\r\nContent-Type: text/plain\r\n\r\nhello\r\n--B\r\nContent-Type: text/plain\r\n\r\ncard "
                + CARD + "\r\n--B--\r\n--A--\r\n",
            // the card after a close delimiter with text after it, in quoted-printable split by a soft break
            "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--x\r\n--b\r\nContent-Type: text/plain\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\n4111 1111 11=\r\n11 1111\r\n--b--\r\n",
            // JavaMail decodes UTF-16 (the last charset given), other readers US-ASCII
            "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii; charset=utf-16le\r\n\r\n"
                + "card " + CARD + "\r\n",
            // Java decodes UTF-16 without a byte order mark as big-endian, clients as little-endian
            "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-16\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + java.util.Base64.getMimeEncoder().encodeToString(
                ("card " + CARD).getBytes(java.nio.charset.StandardCharsets.UTF_16LE)) + "\r\n",
            // JavaMail removes the backslash of a quoted boundary, James's IMAP server keeps it
            "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"a\\\\xb\"\r\n\r\n"
                + "--axb\r\n\r\nhello\r\n--axb--\r\n--a\\\\xb\r\n\r\ncard " + CARD + "\r\n--a\\\\xb--\r\n",
            // no empty line after the part's header: JavaMail reads the text line as a header field, others as body
            "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: text/plain\r\ncard " + CARD + "\r\n\r\n--b--\r\n",
        };
        for (String raw : raws) {
            ExtractedContent c = extractor.extract(parse(raw));
            assertThat(c.isComplete()).as(raw).isFalse();
            assertThat(c.unscannable()).as(raw).extracting(Unscannable::reason)
                    .containsExactly(Unscannable.Reason.EXTRACTION_FAILED);
        }
    }

    /**
     * A text or HTML attachment whose charset label leaves its byte order in doubt is read in both orders: Java reads
     * {@code utf-16} without a mark big-endian, the program that opens the saved file goes by the mark or guesses.
     */
    @Test
    void aTextAttachmentWhoseByteOrderIsInDoubtIsReadInBothOrders() throws Exception {
        String card = "Card on file 4111 1111 1111 1111";
        Object[][] cases = {
            {"text/plain; charset=utf-16", card.getBytes(java.nio.charset.StandardCharsets.UTF_16LE), "a.txt"},
            {"text/plain; charset=utf-32", card.getBytes(java.nio.charset.Charset.forName("UTF-32LE")), "a.txt"},
            {"text/plain; charset=us-ascii", ("\uFEFF" + card).getBytes(java.nio.charset.StandardCharsets.UTF_16LE), "a.txt"},
            {"text/plain; charset=utf-16le", ("\uFEFF" + card).getBytes(java.nio.charset.StandardCharsets.UTF_16BE), "a.txt"},
            {"text/html; charset=utf-16", ("<p>" + card + "</p>").getBytes(java.nio.charset.StandardCharsets.UTF_16LE), "a.html"},
            // aliases Java reads big-endian whatever the mark says
            {"text/plain; charset=x-utf-16be", ("\uFEFF" + card).getBytes(java.nio.charset.StandardCharsets.UTF_16LE), "a.txt"},
            {"text/plain; charset=iso-10646-ucs-2", ("\uFEFF" + card).getBytes(java.nio.charset.StandardCharsets.UTF_16LE), "a.txt"},
        };
        for (Object[] k : cases) {
            String raw = "Subject: s\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=BB\r\n\r\n"
                    + "--BB\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
                    + "--BB\r\nContent-Type: " + k[0] + "\r\nContent-Disposition: attachment; filename=" + k[2] + "\r\n"
                    + "Content-Transfer-Encoding: base64\r\n\r\n"
                    + java.util.Base64.getMimeEncoder().encodeToString((byte[]) k[1]) + "\r\n--BB--\r\n";
            ExtractedContent c = extractor.extract(parse(raw));
            String other = "attachment:" + k[2] + ContentSegment.OTHER_BYTE_ORDER;
            assertThat(c.segments()).as(k[0].toString()).anyMatch(seg -> seg.location().equals(other)
                    && seg.text().toString().contains("4111 1111 1111 1111"));
            assertThat(dev.tollgate.core.dlp.policy.MessageScan.of(c, dev.tollgate.core.dlp.TextScanner.builder()
                    .allBuiltInDetectors().build()).findings()).as(k[0].toString()).isNotEmpty();
            assertThat(c.isComplete()).as(k[0].toString()).isTrue();
        }
        // labels that say the order, marks that agree with them, and no label at all: one reading
        for (Object[] k : new Object[][] {
            {"text/plain; charset=utf-16le", card.getBytes(java.nio.charset.StandardCharsets.UTF_16LE)},
            {"text/plain; charset=utf-16", ("\uFEFF" + card).getBytes(java.nio.charset.StandardCharsets.UTF_16LE)},
            {"text/plain", card.getBytes(java.nio.charset.StandardCharsets.UTF_16LE)},
            {"text/plain; charset=utf-8", card.getBytes(java.nio.charset.StandardCharsets.UTF_8)}}) {
            String raw = "Subject: s\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=BB\r\n\r\n"
                    + "--BB\r\nContent-Type: " + k[0] + "\r\nContent-Disposition: attachment; filename=a.txt\r\n"
                    + "Content-Transfer-Encoding: base64\r\n\r\n"
                    + java.util.Base64.getMimeEncoder().encodeToString((byte[]) k[1]) + "\r\n--BB--\r\n";
            ExtractedContent c = extractor.extract(parse(raw));
            assertThat(c.segments()).as(k[0].toString()).noneMatch(seg -> seg.location().contains(ContentSegment.OTHER_BYTE_ORDER));
            assertThat(textAt(c, "attachment:a.txt")).as(k[0].toString()).contains("4111 1111 1111 1111");
        }
    }

    /** RFC 6532's message/global and a digest's part without a Content-Type (RFC 2046 §5.1.5) are attached messages. */
    @Test
    void globalMessagesAndDigestItemsAreReadAsAttachedMessages() throws Exception {
        String inner = "From: x@partner.example\r\nSubject: s\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
                + "<p>Card &#52;111 1111 1111 1111</p>\r\n";
        String global = "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: message/global\r\n\r\n" + inner + "--b--\r\n";
        String digest = "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/digest; boundary=d\r\n\r\n"
                + "--d\r\n\r\n" + inner + "--d--\r\n";
        String news = global.replace("message/global", "message/news");
        for (String raw : new String[] {global, digest, news}) {
            ExtractedContent c = extractor.extract(parse(raw));
            assertThat(textAt(c, "message[1]/body[1]")).as(raw).contains("Card 4111 1111 1111 1111");
            assertThat(c.isComplete()).isTrue();
        }
        // CR CR LF as the empty line of an attached message's header: James's IMAP server reads on
        ExtractedContent crcrlf = extractor.extract(parse(global.replace("message/global", "message/rfc822")
                .replace("Subject: s\r\n", "Subject: s\r\n\r\r\n")));
        assertThat(crcrlf.isComplete()).isFalse();
        assertThat(crcrlf.unscannable()).extracting(Unscannable::reason).containsExactly(Unscannable.Reason.EXTRACTION_FAILED);
    }

    /** @return the extraction of {@code raw}, having checked that exactly one part of it failed to extract */
    private ExtractedContent extractionFailedOnce(String raw) throws Exception {
        ExtractedContent c = extractor.extract(parse(raw));
        assertThat(c.isComplete()).as(raw).isFalse();
        assertThat(c.unscannable()).as(raw).extracting(Unscannable::reason).containsExactly(Unscannable.Reason.EXTRACTION_FAILED);
        return c;
    }

    @Test
    void aTypeWithABlankOrCommentAroundItOrAContentTypeThatDoesNotParseIsUnscannable() throws Exception {
        String zipPart = "\r\n--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n";
        for (String type : new String[] {"multipart /mixed; boundary=b", "multipart/ mixed; boundary=b",
                " (c) multipart/mixed; boundary=b"}) {
            ExtractedContent c = extractor.extract(parse("Subject: t\r\nMIME-Version: 1.0\r\nContent-Type: " + type
                    + "\r\n\r\n" + zipPart));
            assertThat(c.isComplete()).as(type).isFalse();
            assertThat(c.unscannable()).as(type).extracting(Unscannable::detail).anyMatch(d -> d.contains("blank, control character or comment"));
        }
        ExtractedContent html = extractionFailedOnce("Subject: t\r\nContent-Type: text /html\r\n\r\n<p>card " + CARD + "</p>\r\n");
        assertThat(html.unscannable().get(0).location()).isEqualTo("part");
        // a Content-Type whose parameters do not parse: read as application/octet-stream, and unscannable
        ExtractedContent odd = extractionFailedOnce("Subject: t\r\nContent-Type: message/partial; id=\"f1; number=1\r\n\r\n"
                + "card " + CARD + "\r\n");
        assertThat(odd.unscannable().get(0).detail()).contains("does not parse");
        assertThat(odd.segments()).anyMatch(s -> s.text().toString().contains(CARD));
        // folded after the colon and a plain type: read as usual
        assertThat(extractor.extract(parse("Subject: t\r\nContent-Type:\r\n text/plain;\r\n charset=us-ascii\r\n\r\ncard "
                + CARD + "\r\n")).isComplete()).isTrue();
    }

    @Test
    void aFragmentOfAMessageIsUnscannableAndItsTextStillRead() throws Exception {
        String fragment = "Content-Type: multipart/mixed; boundary=in\r\n\r\n--in\r\nContent-Type: text/plain\r\n\r\n"
                + "card " + CARD + "\r\n--in\r\nContent-Type: application/zip\r\nContent-Transfer-Encoding: base64\r\n\r\nUEsDBA";
        String top = "Subject: f\r\nMIME-Version: 1.0\r\nContent-Type: message/partial; id=\"f@x\"; number=1; total=2\r\n\r\n"
                + fragment + "\r\n";
        String inside = "Subject: f\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                + "Content-Type: text/plain\r\n\r\nHello.\r\n--b\r\nContent-Type: message/partial; id=\"f@x\"; number=1;"
                + " total=2\r\n\r\n" + fragment + "\r\n--b--\r\n";
        for (String raw : new String[] {top, inside}) {
            ExtractedContent c = extractionFailedOnce(raw);
            assertThat(c.unscannable().get(0).detail()).contains("message/partial");
            assertThat(c.segments()).anyMatch(s -> s.text().toString().contains(CARD));
        }
    }

    @Test
    void malformedMultipartIsUnscannableNotAnException() throws Exception {
        String raw = "Subject: broken\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "no boundary line at all, card " + CARD + "\r\n";
        ExtractedContent c = extractor.extract(parse(raw));
        assertThat(c.isComplete()).isFalse();
        assertThat(c.unscannable()).extracting(Unscannable::reason).containsExactly(Unscannable.Reason.EXTRACTION_FAILED);
        assertThat(textAt(c, "subject")).isEqualTo("broken");
    }

    @Test
    void nestedMessageIsWalkedAsAttachmentText() throws Exception {
        String inner = "Subject: inner " + CARD + "\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString("IBAN NL91-ABNA-0417-1643-00".getBytes(StandardCharsets.US_ASCII)) + "\r\n";
        String raw = "Subject: fwd\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\nforwarded\r\n"
                + "--b\r\nContent-Type: message/rfc822\r\n\r\n" + inner + "\r\n--b--\r\n";
        ExtractedContent c = extractor.extract(parse(raw));
        assertThat(c.segments()).extracting(ContentSegment::kind, ContentSegment::location).containsExactly(
                tuple(ContentKind.SUBJECT, "subject"), tuple(ContentKind.BODY, "body[1]"),
                tuple(ContentKind.ATTACHMENT, "message[1]/subject"), tuple(ContentKind.ATTACHMENT, "message[1]/body[1]"));
        assertThat(textAt(c, "message[1]/body[1]")).isEqualTo("IBAN NL91-ABNA-0417-1643-00");
        assertThat(textAt(c, "message[1]/subject")).contains(CARD);
    }

    @Test
    void messagesNestedDeeperThanTheLimitAreUnscannable() throws Exception {
        String msg = "Subject: level 0\r\nContent-Type: text/plain\r\n\r\nbottom\r\n";
        for (int i = 1; i <= 4; i++) {
            msg = "Subject: level " + i + "\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b" + i + "\r\n\r\n"
                    + "--b" + i + "\r\nContent-Type: message/rfc822\r\n\r\n" + msg + "\r\n--b" + i + "--\r\n";
        }
        MimeContentExtractor shallow = MimeContentExtractor.builder()
                .limits(ExtractionLimits.builder().maxDepth(2).build()).build();
        ExtractedContent c = shallow.extract(parse(msg));
        assertThat(c.unscannable()).extracting(Unscannable::location, Unscannable::reason)
                .containsExactly(tuple("message[1]/message[1]/message[1]", Unscannable.Reason.DEPTH_LIMIT));
        assertThat(all(c)).contains("level 3", "level 2").doesNotContain("bottom");
        assertThat(extractor.extract(parse(msg)).isComplete()).isTrue();
        assertThat(all(extractor.extract(parse(msg)))).contains("bottom");
    }

    @Test
    void textAndCsvAttachmentsAreAttachmentText() throws Exception {
        ExtractedContent c = extractor.extract(withAttachment("hello",
                ("name;card\nAda;" + CARD + "\n").getBytes(StandardCharsets.UTF_8), "cards.csv", "text/csv"));
        assertThat(textAt(c, "attachment:cards.csv")).contains("Ada;" + CARD);
        assertThat(c.segments()).filteredOn(s -> s.location().equals("attachment:cards.csv"))
                .extracting(ContentSegment::kind).containsExactly(ContentKind.ATTACHMENT_NAME, ContentKind.ATTACHMENT);
    }

    @Test
    void textAttachmentsUseTheirDeclaredCharset() throws Exception {
        String raw = "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\nsee file\r\n"
                + "--b\r\nContent-Type: text/plain; charset=iso-8859-2\r\nContent-Disposition: attachment; filename=pl.txt\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\n=A3=F3d=BC\r\n--b--\r\n";
        assertThat(textAt(extractor.extract(parse(raw)), "attachment:pl.txt")).isEqualTo("Łódź");
    }

    @Test
    void imagesAreNotExaminedBeyondTheirName() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0x0d, 'I', 'H', 'D', 'R'};
        ExtractedContent c = extractor.extract(withAttachment("hi", png, "logo.png", "image/png"));
        assertThat(c.isComplete()).isTrue();
        assertThat(c.segments()).extracting(ContentSegment::kind).containsExactly(ContentKind.SUBJECT, ContentKind.BODY,
                ContentKind.ATTACHMENT_NAME);
    }

    @Test
    void documentsWithoutADocumentExtractorAreUnscannable() throws Exception {
        byte[] pdf = "%PDF-1.4\n%...\n".getBytes(StandardCharsets.US_ASCII);
        ExtractedContent c = extractor.extract(withAttachment("hi", pdf, "report.pdf", "application/pdf"));
        assertThat(c.unscannable()).extracting(Unscannable::location, Unscannable::reason)
                .containsExactly(tuple("attachment:report.pdf", Unscannable.Reason.EXTRACTION_FAILED));
    }

    @Test
    void documentsGoToTheDocumentExtractorWithTheTimeLeft() throws Exception {
        byte[] pdf = "%PDF-1.4\n%...\n".getBytes(StandardCharsets.US_ASCII);
        AtomicLong seenTimeout = new AtomicLong();
        MimeContentExtractor withDocs = MimeContentExtractor.builder()
                .limits(ExtractionLimits.builder().timePerMessage(Duration.ofSeconds(7)).build())
                .nanoTime(() -> 0L)
                .documentExtractor((bytes, name, timeout) -> {
                    seenTimeout.set(timeout.toMillis());
                    return name.equals("report.pdf") && bytes.length == pdf.length ? DocumentText.of("card " + CARD)
                            : DocumentText.failed(Unscannable.Reason.EXTRACTION_FAILED, "unexpected");
                }).build();
        ExtractedContent c = withDocs.extract(withAttachment("hi", pdf, "report.pdf", "application/pdf"));
        assertThat(textAt(c, "attachment:report.pdf")).isEqualTo("card " + CARD);
        assertThat(seenTimeout.get()).isEqualTo(7000);

        MimeContentExtractor encrypted = MimeContentExtractor.builder()
                .documentExtractor((bytes, name, timeout) -> DocumentText.failed(Unscannable.Reason.ENCRYPTED, "password"))
                .build();
        assertThat(encrypted.extract(withAttachment("hi", pdf, "report.pdf", "application/pdf")).unscannable())
                .extracting(Unscannable::reason).containsExactly(Unscannable.Reason.ENCRYPTED);
    }

    @Test
    void pdfRunSeparatorsFromTheDocumentExtractorReachTheScannerAndSplitGluedCells() throws Exception {
        // what the extractor worker returns for a PDF table row whose cells touch: Tika's glued text, then the
        // page with U+001F where two text runs meet between digits
        String text = "Order 17 " + CARD + "1250.00\n\nOrder 17 " + CARD + "\u001F1250.00\n\n";
        byte[] pdf = "%PDF-1.4\n%...\n".getBytes(StandardCharsets.US_ASCII);
        ExtractedContent c = MimeContentExtractor.builder()
                .documentExtractor((bytes, name, timeout) -> DocumentText.of(text)).build()
                .extract(withAttachment("hi", pdf, "statement.pdf", "application/pdf"));
        String scanned = textAt(c, "attachment:statement.pdf");
        assertThat(scanned).isEqualTo(text); // normalisation keeps the separator (a control char, not a format char)
        assertThat(dev.tollgate.core.dlp.TextScanner.builder().allBuiltInDetectors().build().scan(scanned))
                .singleElement().satisfies(f -> assertThat(scanned.substring(f.start(), f.end())).isEqualTo(CARD));
    }

    @Test
    void base64DocumentsLargerThan8KiBReachTheDocumentExtractorWhole() throws Exception {
        byte[] pdf = new byte[100 * 1024];
        new java.util.Random(3).nextBytes(pdf);
        System.arraycopy("%PDF-1.4\n".getBytes(StandardCharsets.US_ASCII), 0, pdf, 0, 9);
        java.util.concurrent.atomic.AtomicReference<byte[]> seen = new java.util.concurrent.atomic.AtomicReference<>();
        MimeContentExtractor withDocs = MimeContentExtractor.builder()
                .documentExtractor((bytes, name, timeout) -> {
                    seen.set(bytes);
                    return DocumentText.of("");
                }).build();
        withDocs.extract(withAttachment("hi", pdf, "report.pdf", "application/pdf"));
        assertThat(seen.get()).hasSize(pdf.length);
        assertThat(java.util.Arrays.equals(seen.get(), pdf)).isTrue();
    }

    @Test
    void aDocumentThatSpendsTheMessagesTimeIsListedOnce() throws Exception {
        AtomicLong now = new AtomicLong();
        MimeContentExtractor slow = MimeContentExtractor.builder()
                .limits(ExtractionLimits.builder().timePerMessage(Duration.ofMillis(10)).build())
                .nanoTime(now::get)
                .documentExtractor((bytes, name, timeout) -> {
                    now.addAndGet(timeout.toNanos() + 1);
                    return DocumentText.failed(Unscannable.Reason.TIME_LIMIT, "took longer than " + timeout);
                }).build();
        ExtractedContent c = slow.extract(withAttachment("hi", "%PDF-1.4 x".getBytes(StandardCharsets.US_ASCII),
                "report.pdf", "application/pdf"));
        assertThat(c.unscannable()).singleElement().satisfies(u -> {
            assertThat(u.reason()).isEqualTo(Unscannable.Reason.TIME_LIMIT);
            assertThat(u.location()).contains("report.pdf");
        });
    }

    @Test
    void timeBudgetEndsTheExtraction() throws Exception {
        AtomicLong now = new AtomicLong();
        MimeContentExtractor slow = MimeContentExtractor.builder()
                .limits(ExtractionLimits.builder().timePerMessage(Duration.ofMillis(10)).build())
                .nanoTime(() -> now.getAndAdd(Duration.ofMillis(4).toNanos())).build();
        String raw = "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\none\r\n--b\r\nContent-Type: text/plain\r\n\r\ntwo\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\nthree\r\n--b--\r\n";
        ExtractedContent c = slow.extract(parse(raw));
        assertThat(c.unscannable()).extracting(Unscannable::reason).containsExactly(Unscannable.Reason.TIME_LIMIT);
        assertThat(all(c)).doesNotContain("three");
    }

    @Test
    void entryLimitEndsTheExtraction() throws Exception {
        StringBuilder raw = new StringBuilder("Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n");
        for (int i = 0; i < 20; i++) {
            raw.append("--b\r\nContent-Type: text/plain\r\n\r\npart ").append(i).append("\r\n");
        }
        raw.append("--b--\r\n");
        MimeContentExtractor few = MimeContentExtractor.builder()
                .limits(ExtractionLimits.builder().maxEntries(10).build()).build();
        ExtractedContent c = few.extract(parse(raw.toString()));
        assertThat(c.unscannable()).extracting(Unscannable::reason).containsExactly(Unscannable.Reason.ENTRY_LIMIT);
        assertThat(c.segments()).filteredOn(s -> s.kind() == ContentKind.BODY).hasSize(9);
    }

    @Test
    void sizeLimitCountsDecodedBytes() throws Exception {
        byte[] big = new byte[200_000];
        java.util.Arrays.fill(big, (byte) 'a');
        MimeContentExtractor small = MimeContentExtractor.builder()
                .limits(ExtractionLimits.builder().maxExpandedBytes(100_000).build()).build();
        ExtractedContent c = small.extract(withAttachment("hi", big, "a.txt", "text/plain"));
        assertThat(c.unscannable()).extracting(Unscannable::location, Unscannable::reason)
                .containsExactly(tuple("attachment:a.txt", Unscannable.Reason.SIZE_LIMIT));
    }

    @Test
    void tarGzIsOpened() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            byte[] data = ("card " + CARD).getBytes(StandardCharsets.US_ASCII);
            TarArchiveEntry e = new TarArchiveEntry("export/cards.txt");
            e.setSize(data.length);
            tar.putArchiveEntry(e);
            tar.write(data);
            tar.closeArchiveEntry();
        }
        MimeMessage m = withAttachment("hi", bytes.toByteArray(), "export.tar.gz", "application/gzip");
        ExtractedContent c = extractor.extract(m);
        assertThat(c.isComplete()).as(c.unscannable().toString()).isTrue();
        assertThat(textAt(c, "attachment:export.tar.gz!/export.tar!/export/cards.txt")).isEqualTo("card " + CARD);
        assertThat(c.segments()).filteredOn(s -> s.kind() == ContentKind.ATTACHMENT_NAME).extracting(s -> s.text().toString())
                .contains("export.tar.gz", "export/cards.txt");
    }

    @Test
    void unsupportedArchiveFormatsAreUnscannable() throws Exception {
        byte[] sevenZip = {'7', 'z', (byte) 0xbc, (byte) 0xaf, 0x27, 0x1c, 0, 4, 1, 2, 3};
        ExtractedContent c = extractor.extract(withAttachment("hi", sevenZip, "x.7z", "application/x-7z-compressed"));
        assertThat(c.unscannable()).extracting(Unscannable::reason).containsExactly(Unscannable.Reason.EXTRACTION_FAILED);
    }

    @Test
    void corpusMessagesExtractWithoutUnscannableParts() throws Exception {
        for (String name : new String[] {"testRFC822_base64", "testRFC822_i18nheaders", "testThunderbirdEml.eml",
                "testRFC822_multipart_attachments.eml", "testRFC822_normal_zip"}) {
            ExtractedContent c = extractor.extract(parse(TestMessages.corpus(name)));
            assertThat(c.segments()).as(name).isNotEmpty();
            assertThat(c.unscannable()).as(name).isEmpty();
        }
    }

    static byte[] ascii(String s) throws IOException {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void formatFlowedSoftBreaksAreJoinedBeforeScanning() throws Exception {
        String delsp = "Subject: x\r\nContent-Type: text/plain; charset=utf-8; format=flowed; delsp=yes\r\n\r\n"
                + "card 41111111 \r\n11111111 thanks\r\n";
        assertThat(textAt(extractor.extract(parse(delsp)), "body[1]")).isEqualTo("card 4111111111111111 thanks\n");
        String flowed = "Subject: x\r\nContent-Type: text/plain; format=flowed\r\n\r\n"
                + "card 4111 1111 \r\n1111 1111 and IBAN DE89 3704 \r\n 0044 0532 0130 00\r\n-- \r\nsig\r\n";
        assertThat(textAt(extractor.extract(parse(flowed)), "body[1]"))
                .isEqualTo("card 4111 1111 1111 1111 and IBAN DE89 3704 0044 0532 0130 00\n-- \nsig\n");
        String quoted = "Subject: x\r\nContent-Type: text/plain; format=flowed; delsp=yes\r\n\r\n"
                + "> 4111 \r\n>1111\r\nfixed \r\n";
        assertThat(textAt(extractor.extract(parse(quoted)), "body[1]")).isEqualTo(">41111111\nfixed");
    }

    @Test
    void fixedTextPlainKeepsTrailingSpacesAsLineBreaks() throws Exception {
        String raw = "Subject: x\r\nContent-Type: text/plain\r\n\r\n4111 1111 \r\n1111 1111\r\n";
        assertThat(textAt(extractor.extract(parse(raw)), "body[1]")).isEqualTo("4111 1111 \r\n1111 1111\r\n");
    }

    @Test
    void invisibleFormatCharactersAreRemovedAndFullwidthDigitsNormalised() throws Exception {
        String body = "card 4\u200b1\u200c1\u200d1\u20601\ufeff1\u00ad11 1111 1111 and \uff14\uff11\uff11\uff11";
        String raw = "Subject: =?UTF-8?B?" + Base64.getEncoder().encodeToString("Nr 4\u200b111".getBytes(StandardCharsets.UTF_8))
                + "?=\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)) + "\r\n";
        ExtractedContent c = extractor.extract(parse(raw));
        assertThat(textAt(c, "body[1]")).isEqualTo("card 41111111 1111 1111 and 4111");
        assertThat(textAt(c, "subject")).isEqualTo("Nr 4111");
    }

    @Test
    void headersAreScannedPerNameWithDisplayNamesOnlyForAddresses() throws Exception {
        String raw = "From: =?UTF-8?Q?Card_4111_1111?= <a@example.com>\r\nTo: \"IBAN DE89 3704\" <b@example.com>, c@example.com\r\n"
                + "Cc: =?UTF-8?B?" + Base64.getEncoder().encodeToString("Zoë 1111".getBytes(StandardCharsets.UTF_8))
                + "?= <d@example.com>\r\nReply-To: Reply Name <e@example.com>\r\n"
                + "Comments: =?UTF-8?Q?c=C3=B6mment_1111?=\r\nKeywords: kw 1111,\r\n 2222\r\nSubject: s\r\n"
                + "Content-Type: text/plain\r\n\r\nhello\r\n";
        ExtractedContent c = extractor.extract(parse(raw));
        assertThat(c.segments()).extracting(ContentSegment::kind, ContentSegment::location).containsExactly(
                tuple(ContentKind.SUBJECT, "subject"), tuple(ContentKind.HEADER, "header:From"),
                tuple(ContentKind.HEADER, "header:To"), tuple(ContentKind.HEADER, "header:Cc"),
                tuple(ContentKind.HEADER, "header:Reply-To"), tuple(ContentKind.HEADER, "header:Comments"),
                tuple(ContentKind.HEADER, "header:Keywords"), tuple(ContentKind.BODY, "body[1]"));
        assertThat(textAt(c, "header:From")).isEqualTo("Card 4111 1111");
        assertThat(textAt(c, "header:To")).isEqualTo("IBAN DE89 3704");
        assertThat(textAt(c, "header:Cc")).isEqualTo("Zoë 1111");
        assertThat(textAt(c, "header:Comments")).isEqualTo("cömment 1111");
        assertThat(textAt(c, "header:Keywords")).isEqualTo("kw 1111, 2222");
        assertThat(c.segments()).noneMatch(s -> s.text().toString().contains("example.com"));
    }

    @Test
    void base64EncodedAttachedMessageIsDecodedBeforeParsing() throws Exception {
        String inner = "Subject: fwd\r\nContent-Type: text/plain\r\n\r\ncard " + CARD + "\r\n";
        String raw = "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\nsee forwarded\r\n"
                + "--b\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(inner.getBytes(StandardCharsets.US_ASCII)) + "\r\n"
                + "--b\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + "Subject: fwd2\r\nContent-Type: text/plain\r\n\r\nca=\r\nrd 3782822463=\r\n10005\r\n"
                + "--b--\r\n";
        ExtractedContent c = extractor.extract(parse(raw));
        assertThat(textAt(c, "message[1]/body[1]")).isEqualTo("card " + CARD + "\r\n");
        assertThat(textAt(c, "message[2]/body[1]")).isEqualTo("card 378282246310005");
        assertThat(c.isComplete()).isTrue();
    }

    @Test
    void base64EncodedMultipartsAreDecodedBeforeParsing() throws Exception {
        String inner = "--in\r\nContent-Type: text/plain\r\n\r\ncard " + CARD + "\r\n--in--\r\n";
        String raw = "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
                + "--b\r\nContent-Type: multipart/mixed; boundary=in\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(inner.getBytes(StandardCharsets.US_ASCII)) + "\r\n"
                + "--b--\r\n";
        ExtractedContent c = extractor.extract(parse(raw));
        assertThat(textAt(c, "body[2]")).isEqualTo("card " + CARD);
        assertThat(c.isComplete()).isTrue();
    }

    /**
     * JavaMail (and James) read an encoded multipart from its undecoded body, clients that decode it from the decoded
     * one: when both hold parts, they can hold different text, and the multipart is unscannable.
     */
    @Test
    void anEncodedMultipartReadersSplitTwoWaysIsUnscannable() throws Exception {
        String decoy = "--b\r\nContent-Type: text/plain\r\n\r\nhello there\r\n--b--\r\n";
        while (decoy.length() % 3 != 0) {
            decoy += " ";
        }
        // base64 of a harmless multipart, then the card's part in the clear, which JavaMail reads
        String clear = "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getEncoder().encodeToString(decoy.getBytes(StandardCharsets.US_ASCII)) + "\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\ncard " + CARD + "\r\n--b--\r\n";
        // quoted-printable: "=41" is an A to a decoder, the card's first digits to JavaMail
        String qp = "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\ncard =" + CARD + "\r\n--b--\r\n";
        extractionFailedOnce(clear);
        extractionFailedOnce(qp);
    }

    static String uuencode(String name, byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.io.OutputStream uu = javax.mail.internet.MimeUtility.encode(out, "uuencode", name)) {
            uu.write(data);
        } catch (javax.mail.MessagingException e) {
            throw new IOException(e);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void uuencodedTransferEncodingAndInlineBlocksAreDecoded() throws Exception {
        byte[] csv = ("name,card\r\nx," + CARD + "\r\n").getBytes(StandardCharsets.US_ASCII);
        String part = "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: text/csv\r\nContent-Transfer-Encoding: x-uuencode\r\n"
                + "Content-Disposition: attachment; filename=cards.csv\r\n\r\n" + uuencode("cards.csv", csv) + "\r\n--b--\r\n";
        ExtractedContent c = extractor.extract(parse(part));
        assertThat(textAt(c, "attachment:cards.csv")).contains("x," + CARD);
        String inline = "Subject: x\r\nContent-Type: text/plain\r\n\r\nsee below\r\n\r\n"
                + uuencode("list.csv", csv).replace("\n", "\r\n").replace("\r\r\n", "\r\n") + "\r\nbye\r\n";
        ExtractedContent d = extractor.extract(parse(inline));
        assertThat(textAt(d, "body[1]")).contains("see below", "bye");
        assertThat(d.segments()).extracting(ContentSegment::kind, ContentSegment::location).contains(
                tuple(ContentKind.ATTACHMENT_NAME, "body[1]!/list.csv"), tuple(ContentKind.ATTACHMENT, "body[1]!/list.csv"));
        assertThat(textAt(d, "body[1]!/list.csv")).contains("x," + CARD);
        assertThat(d.isComplete()).isTrue();
    }
}
