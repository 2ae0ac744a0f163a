package dev.tollgate.core.mime;

import static dev.tollgate.core.mime.MimeTestMessages.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

class MimeWalkerTest {
    /** Records what the walk reports and walks attached messages the way both users of the walker do. */
    private static final class Recorder implements MimeWalker.Visitor {
        final MimeWalker walker;
        final MimeWalker.Walk walk;
        final List<String> events = new ArrayList<>();

        Recorder(MimeWalker walker) {
            this.walker = walker;
            this.walk = walker.start();
        }

        @Override
        public boolean enterMultipart(MimeNode node) {
            events.add("enter " + label(node) + " " + node.baseType());
            return !node.baseType().equals("multipart/encrypted");
        }

        @Override
        public void leaf(MimeNode node) throws MessagingException, IOException {
            events.add("leaf " + label(node) + " " + node.baseType() + " depth " + node.depth()
                    + (node.within("multipart/signed") ? " signed" : ""));
            if ("message/rfc822".equals(node.baseType())) {
                if (!walker.allowsDepth(node.depth() + 1)) {
                    skipped(node, MimeSkipReason.DEPTH_LIMIT, null);
                    return;
                }
                MimeBody body = MimeBodies.read(node.part(), 1 << 20);
                MimeMessage inner = MimeParts.parse(new ByteArrayInputStream(body.bytes()));
                walker.walk(walk, inner, node.path(), node.depth() + 1, this);
            }
        }

        @Override
        public void skipped(MimeNode node, MimeSkipReason reason, Exception cause) {
            events.add("skip " + label(node) + " " + reason + (cause == null ? "" : " (cause)"));
        }

        private static String label(MimeNode node) {
            return node.path().isEmpty() ? "root" : node.path();
        }
    }

    private static final String NESTED = "Content-Type: multipart/mixed; boundary=o\n\n"
            + "--o\nContent-Type: text/plain\n\nbody\n"
            + "--o\nContent-Type: message/rfc822\n\n"
            + "Subject: inner\nContent-Type: multipart/alternative; boundary=i\n\n"
            + "--i\nContent-Type: text/plain\n\ninner plain\n--i\nContent-Type: text/html\n\n<p>inner</p>\n--i--\n"
            + "\n--o--\n";

    @Test
    void multipartsAreEnteredAndAttachedMessagesWalkedWithImapPaths() throws Exception {
        Recorder r = new Recorder(MimeWalker.builder().build());
        MimeNode root = r.walker.walk(r.walk, parse(NESTED), "", 0, r);
        assertThat(root.multipart()).isNotNull();
        assertThat(r.events).containsExactly("enter root multipart/mixed", "leaf 1 text/plain depth 0",
                "leaf 2 message/rfc822 depth 0", "enter 2 multipart/alternative", "leaf 2.1 text/plain depth 1",
                "leaf 2.2 text/html depth 1");
    }

    @Test
    void aMultipartReadersSplitDifferentlyIsMalformed() throws Exception {
        String parts = "\n\n--A\nContent-Type: text/plain\n\na\n--B\nContent-Type: text/plain\n\nb\n--A--\n--B--\n";
        for (String type : new String[] {"multipart/mixed; boundary=\"B\"; boundary*=us-ascii''A",
            "multipart/mixed; boundary=A; boundary=B", "multipart/mixed; boundary*0=A; boundary*1=x",
            "multipart/mixed"}) {
            Recorder r = new Recorder(MimeWalker.builder().build());
            MimeNode root = r.walker.walk(r.walk, parse("Content-Type: " + type + parts), "", 0, r);
            assertThat(root.multipart()).as(type).isNull();
            assertThat(r.events).as(type).containsExactly("enter root multipart/mixed", "skip root MALFORMED (cause)");
        }
        // text after the close delimiter's "--": other readers read on, so the parts after it are in dispute
        Recorder r = new Recorder(MimeWalker.builder().build());
        r.walker.walk(r.walk, parse("Content-Type: multipart/mixed; boundary=b\n\n--b\n\none\n--b--x\n--b\n\ntwo\n--b--\n"),
                "", 0, r);
        assertThat(r.events).containsExactly("enter root multipart/mixed", "skip root MALFORMED (cause)");
        // blanks there are transport padding (RFC 2046 §5.1.1), and the same with the body decoded first
        for (boolean decoded : new boolean[] {false, true}) {
            Recorder padded = new Recorder(MimeWalker.builder().decodeEncodedMultiparts(decoded).build());
            padded.walker.walk(padded.walk, parse(encodedIf(decoded, "--b\r\n\r\none\r\n--b-- \t\r\nepilogue\r\n")),
                    "", 0, padded);
            assertThat(padded.events).containsExactly("enter root multipart/mixed", "leaf 1 text/plain depth 0");
            Recorder text = new Recorder(MimeWalker.builder().decodeEncodedMultiparts(decoded).build());
            text.walker.walk(text.walk, parse(encodedIf(decoded, "--b\r\n\r\none\r\n--b--x\r\n")), "", 0, text);
            assertThat(text.events).as("decoded " + decoded).containsExactly("enter root multipart/mixed",
                    "skip root MALFORMED (cause)");
        }
    }

    @Test
    void aMultipartWhoseLinesReadersEndElsewhereIsMalformed() throws Exception {
        String[] bodies = {
            // a lone CR ends a part header's line: JavaMail's header ends there, mime4j's goes on to text/html
            "--b\r\n\r\nhello\r\n--b\r\nX-Foo: bar\r\r \r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n--b--\r\n",
            // a lone CR before a delimiter: JavaMail finds the delimiter, mime4j does not
            "--b\r\nContent-Type: text/html\r\n\r\n<p>harmless</p>\r--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--\r\n",
            // a lone CR ending a delimiter line
            "--b\r\n\r\none\r\n--b\rContent-Type: text/html\r\n\r\n<p>x</p>\r\n--b--\r\n",
            // the last part's header has no empty line: JavaMail drops the part, other readers show it
            "--b\r\n\r\nhi\r\n--b\r\nContent-Type: text/html; charset=utf-8\r\n<p>x</p>\r\n--b--\r\n",
            // CR CR LF as the empty line after a part's header: JavaMail's header ends there, mime4j's goes on
            "--b\r\n\r\nhello\r\n--b\r\nX-A: b\r\n\r\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n--b--\r\n",
            // CR CR LF ending a delimiter line: JavaMail's part starts with an empty line (no header), mime4j's not
            "--b\r\n\r\none\r\n--b\r\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n--b--\r\n",
            // the boundary, a blank and text: a delimiter to mime4j, content to JavaMail (first delimiter and later)
            "--b x\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n--b\r\n\r\none\r\n--b--\r\n",
            "--b\r\n\r\none\r\n--b\tx\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n--b--\r\n",
        };
        for (String body : bodies) {
            Recorder r = new Recorder(MimeWalker.builder().build());
            r.walker.walk(r.walk, MimeParts.parse(new ByteArrayInputStream(("Content-Type: multipart/mixed; boundary=b\r\n\r\n"
                    + body).getBytes(StandardCharsets.ISO_8859_1))), "", 0, r);
            assertThat(r.events).as(body).containsExactly("enter root multipart/mixed", "skip root MALFORMED (cause)");
        }
        // CR CR LF before a delimiter is the line end of content for both readers; a lone CR inside a part's content or in the preamble
        // away from the first delimiter changes no structure
        for (String body : new String[] {"--b\r\n\r\none\r\r\n--b--\r\n", "--b\r\n\r\na\rb\r\n--b--\r\n",
            "pre\ramble\r\n--b\r\n\r\none\r\n--b--\r\n"}) {
            Recorder r = new Recorder(MimeWalker.builder().build());
            r.walker.walk(r.walk, MimeParts.parse(new ByteArrayInputStream(("Content-Type: multipart/mixed; boundary=b\r\n\r\n"
                    + body).getBytes(StandardCharsets.ISO_8859_1))), "", 0, r);
            assertThat(r.events).as(body).containsExactly("enter root multipart/mixed", "leaf 1 text/plain depth 0");
        }
    }

    @Test
    void aDigestsPartWithoutContentTypeIsAnAttachedMessage() throws Exception {
        Recorder r = new Recorder(MimeWalker.builder().build());
        r.walker.walk(r.walk, parse("Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: one\n"
                + "Content-Type: text/html\n\n<p>x</p>\n--d\nContent-Type: text/plain\n\nnote\n--d--\n"), "", 0, r);
        assertThat(r.events).containsExactly("enter root multipart/digest", "leaf 1 message/rfc822 depth 0",
                "leaf 1 text/html depth 1", "leaf 2 text/plain depth 0");
    }

    @Test
    void aDigestsPartWithAContentTypeThatDoesNotParseIsAnAttachedMessage() throws Exception {
        for (String type : new String[] {"Content-Type: text\n", "Content-Type:\n", "Content-Type: (none)\n"}) {
            Recorder r = new Recorder(MimeWalker.builder().build());
            r.walker.walk(r.walk, parse("Content-Type: multipart/digest; boundary=d\n\n--d\n" + type + "\nSubject: one\n"
                    + "Content-Type: text/html\n\n<p>x</p>\n--d--\n"), "", 0, r);
            assertThat(r.events).as(type).containsExactly("enter root multipart/digest", "leaf 1 message/rfc822 depth 0",
                    "leaf 1 text/html depth 1");
        }
    }

    @Test
    void anMboxFromLineIsAHeaderLineUnlessItEndsABlockOfSeveral() throws Exception {
        // James writes its Received field before a sender's mbox line: still read alike
        Recorder r = new Recorder(MimeWalker.builder().build());
        r.walker.walk(r.walk, parse("Received: from x by y; Mon, 7 Dec 2026 07:00:00 +0000\nFrom a@b Mon Dec  7 07:00:00 2026\n"
                + "Subject: [PATCH] fix\nContent-Type: text/plain\n\nbody\n"), "", 0, r);
        assertThat(r.events).containsExactly("leaf root text/plain depth 0");
    }

    @Test
    void aTransferEncodingThatIsNotOneWordOrAFromLineEndingTheHeaderIsMalformed() throws Exception {
        for (String raw : new String[] {"Content-Transfer-Encoding: quoted-printable (c)\nContent-Type: text/html\n\n=3Cp=3E\n",
            "Content-Transfer-Encoding: base64;\n\nPHA+\n", "Content-Type: text/html\nFrom <p>x</p>\n\nbody\n",
            "Content-Type: text/html\nFrom <a href=\"https://x.example/\">x</a>\n\nbody\n"}) {
            Recorder r = new Recorder(MimeWalker.builder().build());
            r.walker.walk(r.walk, parse(raw), "", 0, r);
            assertThat(r.events).as(raw).containsExactly("skip root MALFORMED (cause)");
        }
        Recorder ok = new Recorder(MimeWalker.builder().build());
        ok.walker.walk(ok.walk, parse("Content-Transfer-Encoding:  Quoted-Printable \nContent-Type: text/html\n\n=3Cp=3E\n"),
                "", 0, ok);
        assertThat(ok.events).containsExactly("leaf root text/html depth 0");
    }

    /** A multipart with boundary b around {@code body}, sent base64 when {@code encoded}. */
    private static String encodedIf(boolean encoded, String body) {
        return "Content-Type: multipart/mixed; boundary=b\n" + (encoded ? "Content-Transfer-Encoding: base64\n\n"
                + Base64.getMimeEncoder().encodeToString(body.getBytes(StandardCharsets.US_ASCII)) + "\n" : "\n" + body);
    }

    @Test
    void aPartWhoseHeaderHoldsALineThatIsNotAFieldIsMalformed() throws Exception {
        // no empty line after the part's Content-Type: JavaMail reads the HTML line as a header field, others as body
        String noBlank = "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/html\n"
                + "<p><a href=\"http://evil.test/\">x</a></p>\n--b\nContent-Type: text/plain\n\nok\n--b--\n";
        Recorder r = new Recorder(MimeWalker.builder().build());
        r.walker.walk(r.walk, parse(noBlank), "", 0, r);
        // JavaMail reads on to the next empty line, over the delimiter: one part
        assertThat(r.events).containsExactly("enter root multipart/mixed", "skip 1 MALFORMED (cause)");
        Recorder second = new Recorder(MimeWalker.builder().build());
        second.walker.walk(second.walk, parse(noBlank.replace("--b\nContent-Type: text/plain\n\nok", "\nok\n--b\n\nok")),
                "", 0, second);
        assertThat(second.events).containsExactly("enter root multipart/mixed", "skip 1 MALFORMED (cause)",
                "leaf 2 text/plain depth 0");
        // a message's own header block, a name with a blank before its colon, a name that is not US-ASCII
        for (String header : new String[] {"Subject: s\nContent-Type: text/html\n<a href=x>y</a>\n\nbody\n",
            "Subject : s\n\nbody\n", "Subj\u00e9t: s\n\nbody\n", "Content-Type: multipart/mixed; boundary=b\nno colon\n\n"
                + "--b\n\none\n--b--\n"}) {
            Recorder m = new Recorder(MimeWalker.builder().build());
            m.walker.walk(m.walk, parse(header), "", 0, m);
            assertThat(m.events).as(header).containsExactly("skip root MALFORMED (cause)");
        }
        // fields, folded lines, an mbox "From " line, an empty name: every reader reads them as header
        Recorder ok = new Recorder(MimeWalker.builder().build());
        ok.walker.walk(ok.walk, parse("From someone Mon Dec  7 06:00:00 2026\nX-A: 1\n  folded\n\tmore\n: empty\n"
                + "X-B:\nContent-Type: text/plain\n\nbody\n"), "", 0, ok);
        assertThat(ok.events).containsExactly("leaf root text/plain depth 0");
        assertThat(MimeParts.headerLineNotAField(parse("X-A: 1\nX-B 2\n\nbody\n"))).isEqualTo("header line 2 is not a header field");
    }

    @Test
    void attachedMessagesDeeperThanTheLimitAreNotWalked() throws Exception {
        String msg = "Content-Type: text/plain\n\nbottom\n";
        for (int i = 0; i < 3; i++) {
            msg = "Content-Type: multipart/mixed; boundary=b" + i + "\n\n--b" + i + "\nContent-Type: message/rfc822\n\n"
                    + msg + "\n--b" + i + "--\n";
        }
        Recorder r = new Recorder(MimeWalker.builder().maxDepth(1).build());
        r.walker.walk(r.walk, parse(msg), "", 0, r);
        assertThat(r.events).containsExactly("enter root multipart/mixed", "leaf 1 message/rfc822 depth 0",
                "enter 1 multipart/mixed", "leaf 1.1 message/rfc822 depth 1", "skip 1.1 DEPTH_LIMIT");
        assertThat(MimeWalker.builder().maxDepth(0).build().allowsDepth(1)).isFalse();
        assertThatThrownBy(() -> MimeWalker.builder().maxDepth(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thePartLimitCountsAttachedMessagesTooIsReportedOnceAndStopsTheWalk() throws Exception {
        Recorder r = new Recorder(MimeWalker.builder().maxParts(5).build());
        r.walker.walk(r.walk, parse(NESTED), "", 0, r);
        // root, 1, 2, the attached message (a multipart) and 2.1 make five; 2.2 is the sixth
        assertThat(r.events).containsExactly("enter root multipart/mixed", "leaf 1 text/plain depth 0",
                "leaf 2 message/rfc822 depth 0", "enter 2 multipart/alternative", "leaf 2.1 text/plain depth 1",
                "skip 2.2 PART_LIMIT");
        assertThat(r.walk.stopped()).isTrue();
        assertThatThrownBy(() -> MimeWalker.builder().maxParts(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCounterThatThrowsEndsTheWalk() throws Exception {
        MimeWalker walker = MimeWalker.builder().build();
        int[] counted = {0};
        MimeWalker.Walk walk = walker.start(() -> {
            if (++counted[0] > 2) {
                throw new IOException("budget spent");
            }
            return true;
        });
        Recorder r = new Recorder(walker);
        assertThatThrownBy(() -> walker.walk(walk, parse(NESTED), "", 0, r)).hasMessage("budget spent");
        assertThat(r.events).containsExactly("enter root multipart/mixed", "leaf 1 text/plain depth 0");
    }

    @Test
    void encryptedMultipartsAreNotEnteredAndSignedContentIsMarked() throws Exception {
        Recorder r = new Recorder(MimeWalker.builder().build());
        r.walker.walk(r.walk, parse("Content-Type: multipart/mixed; boundary=o\n\n"
                + "--o\nContent-Type: multipart/encrypted; boundary=e\n\n--e\nContent-Type: text/plain\n\nx\n--e--\n"
                + "--o\nContent-Type: multipart/signed; boundary=s\n\n--s\nContent-Type: text/plain\n\ny\n--s--\n--o--\n"), "", 0, r);
        assertThat(r.events).containsExactly("enter root multipart/mixed", "enter 1 multipart/encrypted",
                "enter 2 multipart/signed", "leaf 2.1 text/plain depth 0 signed");
    }

    @Test
    void malformedStructureIsReportedNotThrown() throws Exception {
        Recorder r = new Recorder(MimeWalker.builder().build());
        r.walker.walk(r.walk, parse("Content-Type: multipart/mixed; boundary=b\n\nno boundary line at all\n"), "", 0, r);
        assertThat(r.events).containsExactly("enter root multipart/mixed", "skip root MALFORMED (cause)");

        Recorder broken = new Recorder(MimeWalker.builder().build());
        broken.walker.walk(broken.walk, parse("Content-Type: multipart/mixed; boundary=\"unterminated\n\nx\n"), "", 0, broken);
        assertThat(broken.events).containsExactly("skip root MALFORMED (cause)");

        Recorder leaf = new Recorder(MimeWalker.builder().build());
        MimeNode node = leaf.walker.walk(leaf.walk, parse("Content-Type: text/html; charset=\"x\n\nx\n"), "", 0,
                new MimeWalker.Visitor() {
                    @Override
                    public void leaf(MimeNode n) {
                        leaf.events.add("leaf");
                    }

                    @Override
                    public void skipped(MimeNode n, MimeSkipReason reason, Exception cause) {
                        leaf.events.add("skip");
                    }
                });
        assertThat(leaf.events).containsExactly("leaf");
        assertThat(node.typeError()).isNotNull();
        assertThat(node.baseType()).isNull();
    }

    @Test
    void encodedMultipartsAreDecodedOnlyWhenAsked() throws Exception {
        String children = "--in\r\nContent-Type: text/plain\r\n\r\nchild\r\n--in--\r\n";
        String raw = "Content-Type: multipart/mixed; boundary=in\nContent-Transfer-Encoding: base64\n\n"
                + Base64.getMimeEncoder().encodeToString(children.getBytes(StandardCharsets.US_ASCII)) + "\n";
        Recorder decoding = new Recorder(MimeWalker.builder().decodeEncodedMultiparts(true).build());
        decoding.walker.walk(decoding.walk, parse(raw), "", 0, decoding);
        assertThat(decoding.events).containsExactly("enter root multipart/mixed", "leaf 1 text/plain depth 0");
        // a walk that does not decode cannot see what readers that decode see
        Recorder plain = new Recorder(MimeWalker.builder().build());
        plain.walker.walk(plain.walk, parse(raw), "", 0, plain);
        assertThat(plain.events).containsExactly("enter root multipart/mixed", "skip root MALFORMED (cause)");
    }

    @Test
    void anEncodedMultipartWhoseUndecodedBodyHoldsPartsTooIsMalformed() throws Exception {
        // base64 of a harmless multipart, then parts in the clear: JavaMail reads the clear ones, a decoder the others
        String decoy = "--b\r\n\r\nhello\r\n--b--\r\n   "; // 24 bytes: no padding
        String both = "Content-Type: multipart/mixed; boundary=b\nContent-Transfer-Encoding: base64\n\n"
                + Base64.getEncoder().encodeToString(decoy.getBytes(StandardCharsets.US_ASCII)) + "\n"
                + "--b\n\nhidden\n--b--\n";
        // quoted-printable: the undecoded body always holds the parts, and =XX and soft breaks read otherwise there
        String qp = "Content-Type: multipart/mixed; boundary=b\nContent-Transfer-Encoding: quoted-printable\n\n"
                + "--b\n\ncard =4111\n--b--\n";
        for (String raw : new String[] {both, qp}) {
            for (boolean decoded : new boolean[] {false, true}) {
                Recorder r = new Recorder(MimeWalker.builder().decodeEncodedMultiparts(decoded).build());
                MimeNode root = r.walker.walk(r.walk, parse(raw), "", 0, r);
                assertThat(r.events).as(raw).containsExactly("enter root multipart/mixed", "skip root MALFORMED (cause)");
                assertThat(root.multipart()).isNull();
            }
        }
    }
}
