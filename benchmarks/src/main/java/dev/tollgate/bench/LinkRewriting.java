package dev.tollgate.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.tollgate.core.links.DoNotRewriteList;
import dev.tollgate.core.links.LinkRewritePolicy;
import dev.tollgate.core.links.LinkTokenSigner;
import dev.tollgate.core.links.MessageLinkRewriter;
import dev.tollgate.core.mime.TransferEncoding;

/**
 * Rewriting a ~50 KB quoted-printable HTML newsletter with 100 links, against the bare round trip of the
 * same message (parse, decode the HTML part, serialise). Target: rewrite ≤ 1.5 × roundTrip.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LinkRewriting {
    private static final Session SESSION = Session.getInstance(new Properties());
    private byte[] message;
    private MessageLinkRewriter rewriter;

    @Setup
    public void setUp() throws IOException {
        StringBuilder html = new StringBuilder("<html><head><style>p{color:#333}</style></head><body><table>");
        int i = 0;
        while (html.length() < 50_000) {
            html.append("<tr><td><p>Paragraph ").append(i)
                    .append(" of newsletter text that goes on for a while, café &amp; more words.</p>");
            if (i < 100) {
                html.append("<a href=\"https://news").append(i % 7).append(".example/article/").append(i)
                        .append("?utm_source=nl&amp;utm_medium=email\" style=\"color:#06c\">Read article ").append(i).append("</a>");
            }
            html.append("</td></tr>\n");
            i++;
        }
        html.append("</table></body></html>");
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.write(("From: nl@news.example\r\nTo: bob@example.com\r\nMessage-ID: <nl@news.example>\r\nSubject: News\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n\r\nPlain version\r\n--b\r\n"
                + "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        raw.write(TransferEncoding.quotedPrintableBytes(html.toString().getBytes(StandardCharsets.UTF_8)));
        raw.write("\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII));
        message = raw.toByteArray();
        byte[] key = new byte[32];
        new Random(1).nextBytes(key);
        rewriter = MessageLinkRewriter.builder().policy(LinkRewritePolicy.of("https://links.example",
                DoNotRewriteList.empty(), List.of(), LinkTokenSigner.builder().signingKey("k", key).build())).build();
    }

    @Benchmark
    public void roundTrip() throws MessagingException, IOException {
        MimeMessage m = new MessageLinkRewriter.KeepIdMimeMessage(SESSION, new ByteArrayInputStream(message));
        ((MimeMultipart) m.getContent()).getBodyPart(1).getContent();
        m.saveChanges();
        m.writeTo(OutputStream.nullOutputStream());
    }

    @Benchmark
    public int rewrite() throws MessagingException, IOException {
        MimeMessage m = new MessageLinkRewriter.KeepIdMimeMessage(SESSION, new ByteArrayInputStream(message));
        int n = rewriter.process(m, "rcpt", "<nl@news.example>", true).rewritten();
        m.saveChanges();
        m.writeTo(OutputStream.nullOutputStream());
        return n;
    }
}
