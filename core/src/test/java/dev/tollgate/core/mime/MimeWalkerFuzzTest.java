package dev.tollgate.core.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.tollgate.core.fuzz.Bounded;
import dev.tollgate.core.fuzz.FuzzSeeds;

/**
 * Any bytes as a message: the walk visits at most {@code maxParts} parts at most {@code maxDepth} attached
 * messages deep, reads every leaf through {@link MimeBodies#read} within its bound, and ends normally or with
 * the documented {@link MessagingException} / {@link IOException}; nothing else escapes.
 */
class MimeWalkerFuzzTest {
    private static final int MAX_PARTS = 50;
    private static final int MAX_DEPTH = 3;
    private static final int MAX_BODY = 64 * 1024;

    static Stream<Arguments> seeds() {
        return FuzzSeeds.files(List.of("src/test/resources/corpus", "../testdata/tika"), List.of(".eml", ".msg", "RFC822_base64",
                "RFC822_normal_zip", "RFC822_i18nheaders", "RFC822_encrypted_zip"));
    }

    private static final class Reader implements MimeWalker.Visitor {
        final MimeWalker walker;
        final MimeWalker.Walk walk;
        int leaves;
        int skips;

        Reader(MimeWalker walker) {
            this.walker = walker;
            this.walk = walker.start();
        }

        @Override
        public void leaf(MimeNode node) throws MessagingException, IOException {
            leaves++;
            assertThat(node.depth()).isLessThanOrEqualTo(MAX_DEPTH);
            MimeBody body = MimeBodies.read(node.part(), MAX_BODY);
            if (body.hasBytes()) {
                assertThat(body.bytes().length).isLessThanOrEqualTo(MAX_BODY);
            }
            if ("message/rfc822".equals(node.baseType()) && body.hasBytes()
                    && walker.allowsDepth(node.depth() + 1)) {
                MimeMessage inner = MimeParts.parse(new ByteArrayInputStream(body.bytes()));
                walker.walk(walk, inner, node.path(), node.depth() + 1, this);
            }
        }

        @Override
        public void skipped(MimeNode node, MimeSkipReason reason, Exception cause) {
            skips++;
            assertThat(reason).isNotNull();
        }
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "15s")
    void walkReadsEveryPartWithinItsBounds(byte[] data) throws Exception {
        if (data == null) {
            return;
        }
        MimeWalker walker = MimeWalker.builder().maxParts(MAX_PARTS).maxDepth(MAX_DEPTH)
                .decodeEncodedMultiparts(true).build();
        Reader reader = new Reader(walker);
        try {
            Bounded.run(() -> {
                MimeMessage message = MimeParts.parse(new ByteArrayInputStream(data));
                walker.walk(reader.walk, message, "", 0, reader);
            });
        } catch (MessagingException | IOException documented) {
            return;
        }
        // every counted part is a leaf, a multipart entered, or skipped; the counter stops at MAX_PARTS + 1
        assertThat(reader.leaves).isLessThanOrEqualTo(MAX_PARTS);
    }
}
