package dev.tollgate.core.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimePartDataSource;
import javax.mail.internet.ParseException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SplitMultipartTest {
    private static final String HEAD = "From: a@example.com\r\nSubject: s\r\nMIME-Version: 1.0\r\n";

    private static byte[] mail(String contentType, String body) {
        return (HEAD + "Content-Type: " + contentType + "\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static SplitMultipart split(byte[] mail) throws Exception {
        MimeMessage m = MimeParts.parse(new ByteArrayInputStream(mail));
        return new SplitMultipart(new MimePartDataSource(m));
    }

    /** Every message file of the repository's corpora, each multipart in it compared with JavaMail's parse. */
    @Test
    void everyCorpusMultipartParsesAsJavaMailDoes() throws Exception {
        List<Path> files = corpus();
        assertThat(files).hasSizeGreaterThan(600);
        MultipartEquivalence eq = new MultipartEquivalence(8);
        for (Path f : files) {
            eq.message(Files.readAllBytes(f));
        }
        System.out.printf("SplitMultipart: %d files, %d multiparts compared%n", files.size(), eq.compared());
        // most corpus messages are single-part; the count guards against the walk silently finding none
        assertThat(eq.compared()).isGreaterThanOrEqualTo(90);
    }

    private static List<Path> corpus() throws IOException {
        try (Stream<Path> a = Files.walk(Path.of("../testdata"));
                Stream<Path> b = Files.walk(Path.of("src/test/resources/corpus"))) {
            return Stream.concat(a, b).filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().matches("(?i).*\\.(md|txt|csv|json|tsv|properties)"))
                    .sorted().collect(Collectors.toList());
        }
    }

    static Stream<String> malformed() {
        return Stream.of(
                // CRLF, LF, lone CR and CR CR LF line ends
                "--b\r\nContent-Type: text/plain\r\n\r\none\r\n--b\r\n\r\ntwo\r\n--b--\r\nepilogue\r\n",
                "--b\nContent-Type: text/plain\n\none\n--b\n\ntwo\n--b--\n",
                "--b\rContent-Type: text/plain\r\rone\r--b\r\rtwo\r--b--\r",
                "--b\r\r\nX: 1\r\r\n\r\r\none\r\r\n--b--\r\n",
                // preamble (with dash lines and blank lines), transport padding, close delimiter with trailing text
                "preamble one\r\n\r\n-----\r\n--\r\npreamble two  \r\n--b \t \r\n\r\nbody\r\n--b--trailing\r\n",
                // missing close delimiter, missing start boundary, close delimiter before any part
                "--b\r\n\r\nno close\r\n",
                "no boundary at all\r\n",
                "pre\r\n--b--\r\n",
                // the boundary at the end of input without a line end is no delimiter
                "--b\r\n\r\nbody\r\n--b",
                "--b\r\n\r\nbody\r\n--b-",
                "--b\r\n\r\nbody\r\n--bx\r\n--b -- \r\n--b--",
                // headers never ended
                "--b\r\nX: 1\r\nY: 2",
                "--b\r\n\r\n--b\r\n\r\n--b\r\n\r\n--b--",
                "--b\r\n\r\nx\r\n--b\r\n",
                "",
                "\r\n\r\n",
                "--b");
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void malformedBodiesParseAsJavaMailDoes(String body) throws Exception {
        parsesAsJavaMailDoes(body, "multipart/mixed; boundary=b", "multipart/mixed", "multipart/mixed; boundary=\"\"",
                "multipart/mixed; boundary=\"b \"");
    }

    /** {@code body} under each of {@code types}, split by SplitMultipart and by JavaMail alike. */
    private static void parsesAsJavaMailDoes(String body, String... types) throws Exception {
        MultipartEquivalence eq = new MultipartEquivalence(4);
        for (String type : types) {
            eq.message(mail(type, body));
        }
        assertThat(eq.compared()).isEqualTo(types.length);
    }

    static Stream<String> dashes() {
        return Stream.of(
                // delimiter candidates are the '-' bytes that start a line: dashes inside lines, runs of dashes,
                // a delimiter after a bare CR, a delimiter in the body's last bytes, a base64-like part with none
                "--B\r\n\r\na-b--B\r\n-\r--B\r\n\r\n---B---\r\n--B--",
                "--B\r\n\r\nQUJD\r\nREVG\r\n--B\r\r\n\r\nx\r--B--",
                "--B\r\n\r\n--------\r\n---B\r\n --B\r\n--B",
                "--B\r\n\r\nbody\r\n--B\r\n\r\n--B-\r\n--B--",
                "--B\r\n\r\n-\r\n--\r\n---\r\n----\r\n-----\r\n--B--\r\n",
                "---\r\n\r\nx\r\n----\r\n\r\ny\r\n-----\r\n",
                "--\r\n\r\nx\r\n---\r\n--\r\n\r\ny\r\n----");
    }

    @ParameterizedTest
    @MethodSource("dashes")
    void dashesEverywhereParseAsJavaMailDoes(String body) throws Exception {
        parsesAsJavaMailDoes(body, "multipart/mixed; boundary=B", "multipart/mixed; boundary=\"-\"",
                "multipart/mixed; boundary=\"--\"", "multipart/mixed; boundary=\"a-b\"",
                "multipart/mixed; boundary=\"-B-\"", "multipart/mixed");
    }

    @Test
    void deepAndWideMultipartsParseAsJavaMailDoes() throws Exception {
        StringBuilder wide = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            wide.append("--w\r\nContent-Type: text/plain\r\n\r\n").append(i).append("\r\n");
        }
        wide.append("--w--\r\n");
        StringBuilder deep = new StringBuilder("x\r\n");
        for (int d = 0; d < 30; d++) {
            deep = new StringBuilder("--d" + d + "\r\nContent-Type: " + (d == 0 ? "text/plain" : "multipart/mixed; boundary=d" + (d - 1))
                    + "\r\n\r\n" + deep + "\r\n--d" + d + "--\r\n");
        }
        MultipartEquivalence eq = new MultipartEquivalence(40);
        eq.message(mail("multipart/mixed; boundary=w", wide.toString()));
        eq.message(mail("multipart/mixed; boundary=d29", deep.toString()));
        assertThat(eq.compared()).isEqualTo(1 + 30);
    }

    @Test
    void splitsPartsPreambleAndCompleteFlag() throws Exception {
        SplitMultipart m = split(mail("multipart/mixed; boundary=b",
                "hello\r\n--b\r\nContent-Type: text/plain\r\n\r\none\r\n--b\r\n\r\ntwo\r\n--b--\r\n"));
        assertThat(m.getCount()).isEqualTo(2);
        assertThat(m.getPreamble()).isEqualTo("hello" + System.lineSeparator());
        assertThat(m.isComplete()).isTrue();
        assertThat(new String(m.getBodyPart(0).getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                .isEqualTo("one");
        assertThat(m.getBodyPart(1).getContent()).isEqualTo("two");
        assertThat(m.getBodyPart(0).getParent()).isSameAs(m);
    }

    @Test
    void writingKeepsTheSendersPreambleAndEpilogueBytes() throws Exception {
        String body = "This is MIME.  \r\n\r\nSecond line\r\n--b\r\nContent-Type: text/plain\r\n\r\none\r\n--b--  \r\n"
                + "epilogue line\r\nlast";
        SplitMultipart m = split(mail("multipart/mixed; boundary=b", body));
        assertThat(m.getPreamble()).isEqualTo("This is MIME." + System.lineSeparator() + "Second line" + System.lineSeparator());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        m.writeTo(out);
        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("This is MIME.  \r\n\r\nSecond line\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\none\r\n--b--\r\nepilogue line\r\nlast");
        // written twice, the same bytes: the slices stay readable
        java.io.ByteArrayOutputStream again = new java.io.ByteArrayOutputStream();
        m.writeTo(again);
        assertThat(again.toByteArray()).isEqualTo(out.toByteArray());

        // a close delimiter line ended by CR CR LF, as JavaMail's line reading ends lines: the epilogue starts after it
        SplitMultipart crcrlf = split(mail("multipart/mixed; boundary=b", "--b\r\n\r\none\r\n--b--\r\r\nepi\r\n"));
        java.io.ByteArrayOutputStream cr = new java.io.ByteArrayOutputStream();
        crcrlf.writeTo(cr);
        assertThat(cr.toString(StandardCharsets.ISO_8859_1)).isEqualTo("--b\r\n\r\none\r\n--b--\r\nepi\r\n");

        m.setPreamble("Set\r\n");
        java.io.ByteArrayOutputStream set = new java.io.ByteArrayOutputStream();
        m.writeTo(set);
        assertThat(set.toString(StandardCharsets.ISO_8859_1)).startsWith("Set\r\n--b\r\n").endsWith("--b--\r\nepilogue line\r\nlast");
    }

    @Test
    void anIncompleteMultipartHasNoEpilogueAndAGuessedBoundaryIsWrittenAsJavaMailDoes() throws Exception {
        SplitMultipart incomplete = split(mail("multipart/mixed; boundary=b", "pre\r\n--b\r\n\r\nrest of it"));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        incomplete.writeTo(out);
        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("pre\r\n--b\r\n\r\nrest of it\r\n--b--\r\n");

        SplitMultipart guessed = split(mail("multipart/mixed", "pre  \r\n--g\r\n\r\none\r\n--g--\r\nepi"));
        assertThat(guessed.getCount()).isEqualTo(1);
        assertThat(guessed.framed()).isFalse();
    }

    @Test
    void missingCloseDelimiterKeepsTheLastPartIncomplete() throws Exception {
        SplitMultipart m = split(mail("multipart/mixed; boundary=b", "--b\r\n\r\nrest of it"));
        assertThat(m.getCount()).isEqualTo(1);
        assertThat(m.isComplete()).isFalse();
        assertThat(m.getBodyPart(0).getContent()).isEqualTo("rest of it");
    }

    @Test
    void missingStartBoundaryFailsAsJavaMail() throws Exception {
        SplitMultipart m = split(mail("multipart/mixed; boundary=b", "just text\r\n"));
        assertThatThrownBy(m::getCount).isInstanceOf(ParseException.class).hasMessage("Missing start boundary");
    }

    @Test
    void nestedMultipartsAreSplitAndCachedSoThatInPlaceEditsAreWritten() throws Exception {
        MimeMessage m = MimeParts.parse(new ByteArrayInputStream(mail("multipart/mixed; boundary=o",
                "--o\r\nContent-Type: multipart/alternative; boundary=i\r\n\r\n--i\r\nContent-Type: text/plain\r\n\r\n"
                        + "old text\r\n--i--\r\n--o\r\nContent-Type: text/plain\r\n\r\nsecond\r\n--o--\r\n")));
        Object top = SplitMultipart.contentOf(m);
        assertThat(top).isInstanceOf(SplitMultipart.class);
        javax.mail.internet.MimeMultipart outer = (javax.mail.internet.MimeMultipart) top;
        javax.mail.BodyPart nestedPart = outer.getBodyPart(0);
        Object nested = nestedPart.getContent();
        assertThat(nested).isInstanceOf(SplitMultipart.class).isSameAs(nestedPart.getContent());
        javax.mail.internet.MimeMultipart inner = (javax.mail.internet.MimeMultipart) nested;
        MimeParts.replaceBody(inner, 0, (javax.mail.internet.MimePart) inner.getBodyPart(0),
                "new text".getBytes(StandardCharsets.US_ASCII));
        m.setContent(outer);
        m.saveChanges();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        m.writeTo(out);
        String written = out.toString(StandardCharsets.ISO_8859_1);
        assertThat(written).contains("new text").doesNotContain("old text").contains("second");
        // a text part's content is JavaMail's
        assertThat(outer.getBodyPart(1).getContent()).isEqualTo("second");
    }

    @Test
    void contentSetOnAPartIsReturnedAsSet() throws Exception {
        MimeMessage m = MimeParts.parse(new ByteArrayInputStream(mail("multipart/mixed; boundary=o",
                "--o\r\n\r\nx\r\n--o--\r\n")));
        javax.mail.internet.MimeMultipart set = new javax.mail.internet.MimeMultipart();
        set.addBodyPart(new javax.mail.internet.MimeBodyPart());
        m.setContent(set);
        assertThat(SplitMultipart.contentOf(m)).isSameAs(set);
    }
}
