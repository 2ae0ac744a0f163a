package dev.tollgate.core.dlp.content;

import static dev.tollgate.core.dlp.content.MimeContentExtractorTest.CARD;
import static dev.tollgate.core.dlp.content.MimeContentExtractorTest.textAt;
import static dev.tollgate.core.dlp.content.TestMessages.corpus;
import static dev.tollgate.core.dlp.content.TestMessages.withAttachment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archives: zip, nested zip, bombs, encrypted and corrupt archives. */
class ArchiveExtractionTest {
    final MimeContentExtractor extractor = MimeContentExtractor.builder().build();

    static byte[] zip(String name, byte[] content) throws IOException {
        return TestZips.zip(false, name, content);
    }

    @Test
    void zipInZipInZipIsOpenedWithEntryPaths() throws Exception {
        byte[] inner = zip("cards.csv", ("id,card\n1," + CARD + "\n").getBytes(StandardCharsets.UTF_8));
        byte[] middle = zip("inner.zip", inner);
        byte[] outer = zip("middle.zip", middle);
        ExtractedContent c = extractor.extract(withAttachment("hi", outer, "a.zip", "application/zip"));
        assertThat(c.isComplete()).as(c.unscannable().toString()).isTrue();
        assertThat(textAt(c, "attachment:a.zip!/middle.zip!/inner.zip!/cards.csv")).contains("1," + CARD);
        assertThat(c.segments()).filteredOn(s -> s.kind() == ContentKind.ATTACHMENT_NAME).extracting(s -> s.text().toString())
                .containsExactly("a.zip", "middle.zip", "inner.zip", "cards.csv");
    }

    @Test
    void corpusZipOfZipIsOpened() throws Exception {
        ExtractedContent c = extractor.extract(withAttachment("hi", Files.readAllBytes(corpus("test-zip-of-zip.zip")),
                "test-zip-of-zip.zip", "application/zip"));
        assertThat(c.isComplete()).as(c.unscannable().toString()).isTrue();
        assertThat(c.segments()).extracting(ContentSegment::location)
                .anyMatch(l -> l.startsWith("attachment:test-zip-of-zip.zip!/html-within-zip.zip!/"));
    }

    @Test
    void drosteQuineZipStopsAtTheDepthLimit() throws Exception {
        ExtractedContent c = extractor.extract(withAttachment("hi", Files.readAllBytes(corpus("droste.zip")),
                "droste.zip", "application/zip"));
        assertThat(c.isComplete()).isFalse();
        assertThat(c.unscannable()).extracting(Unscannable::reason).containsOnly(Unscannable.Reason.DEPTH_LIMIT);
        assertThat(c.unscannable()).extracting(Unscannable::location)
                .containsExactly("attachment:droste.zip!/droste.zip!/droste.zip!/droste.zip!/droste.zip!/droste.zip");
    }

    /** 1 GiB of zeros compresses to about 5 MB (fastest level, to keep the test short): the ratio limit stops it after the first MiB. */
    @Test
    void gigabyteOfZerosStopsAtTheRatioLimit(@TempDir Path dir) throws Exception {
        byte[] bomb = zerosZip(dir.resolve("zeros.zip"), 1L << 30);
        assertThat(bomb.length).isLessThan(8_000_000);
        ExtractedContent c = extractor.extract(withAttachment("hi", bomb, "zeros.zip", "application/zip"));
        assertThat(c.unscannable()).extracting(Unscannable::location, Unscannable::reason)
                .containsExactly(tuple("attachment:zeros.zip!/zeros.bin", Unscannable.Reason.RATIO_LIMIT));

        // With the ratio check out of reach, the expanded-size limit stops it instead.
        MimeContentExtractor lenientRatio = MimeContentExtractor.builder()
                .limits(ExtractionLimits.builder().maxCompressionRatio(100_000).maxExpandedBytes(16L << 20).build()).build();
        ExtractedContent bySize = lenientRatio.extract(withAttachment("hi", bomb, "zeros.zip", "application/zip"));
        assertThat(bySize.unscannable()).extracting(Unscannable::reason).containsExactly(Unscannable.Reason.SIZE_LIMIT);
    }

    static byte[] zerosZip(Path file, long size) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(1);
            zip.putNextEntry(new ZipEntry("zeros.bin"));
            byte[] block = new byte[1 << 20];
            for (long written = 0; written < size; written += block.length) {
                zip.write(block);
            }
            zip.closeEntry();
        }
        return Files.readAllBytes(file);
    }

    /**
     * A sparse tar entry's holes are zeros the reader makes out of nothing (GNU tar --sparse: an 80 MiB file, and a
     * 2 MiB one with a card after its hole, each in a 10 KiB tar): counted like a decompressor's output.
     */
    @Test
    void sparseTarEntriesCountAgainstTheRatioAndSizeLimits() throws Exception {
        byte[] eighty = Files.readAllBytes(Path.of("../testdata/archives/sparse-80m.tar"));
        assertThat(eighty.length).isEqualTo(10240);
        ExtractedContent c = extractor.extract(withAttachment("hi", eighty, "s.tar", "application/x-tar"));
        assertThat(c.unscannable()).extracting(Unscannable::location, Unscannable::reason)
                .containsExactly(tuple("attachment:s.tar!/zeros.bin", Unscannable.Reason.RATIO_LIMIT));

        MimeContentExtractor lenientRatio = MimeContentExtractor.builder()
                .limits(ExtractionLimits.builder().maxCompressionRatio(Integer.MAX_VALUE).maxExpandedBytes(16L << 20).build())
                .build();
        ExtractedContent bySize = lenientRatio.extract(withAttachment("hi", eighty, "s.tar", "application/x-tar"));
        assertThat(bySize.unscannable()).extracting(Unscannable::reason).containsExactly(Unscannable.Reason.SIZE_LIMIT);

        // within the limits the holes are read: the card after one is found
        byte[] card = Files.readAllBytes(Path.of("../testdata/archives/sparse-card.tar"));
        ExtractedContent read = lenientRatio.extract(withAttachment("hi", card, "c.tar", "application/x-tar"));
        assertThat(read.isComplete()).as(read.unscannable().toString()).isTrue();
        assertThat(read.segments()).anyMatch(s -> s.location().startsWith("attachment:c.tar!/card.txt")
                && s.text().toString().contains("4111 1111 1111 1111"));
        assertThat(extractor.extract(withAttachment("hi", card, "c.tar", "application/x-tar")).unscannable())
                .extracting(Unscannable::reason).containsExactly(Unscannable.Reason.RATIO_LIMIT);
    }

    @Test
    void afterABombEntryTheArchiveIsLeft() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("zeros.bin"));
            zip.write(new byte[32 << 20]);
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("cards.txt"));
            zip.write(("card " + CARD).getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
        }
        ExtractedContent c = extractor.extract(withAttachment("hi", bytes.toByteArray(), "z.zip", "application/zip"));
        assertThat(c.unscannable()).extracting(Unscannable::location, Unscannable::reason)
                .containsExactly(tuple("attachment:z.zip!/zeros.bin", Unscannable.Reason.RATIO_LIMIT));
        assertThat(c.segments()).noneMatch(s -> s.location().endsWith("cards.txt"));
    }

    /** Bytes an entry's reader leaves unread (data after an inner zip's end) still count. */
    @Test
    void unreadRestOfAnEntryCountsAgainstTheSizeLimit() throws Exception {
        byte[] inner = zip("a.txt", "hello".getBytes(StandardCharsets.US_ASCII));
        byte[] padded = java.util.Arrays.copyOf(inner, inner.length + (20 << 20));
        MimeContentExtractor small = MimeContentExtractor.builder()
                .limits(ExtractionLimits.builder().maxCompressionRatio(100_000).maxExpandedBytes(10L << 20).build()).build();
        ExtractedContent c = small.extract(withAttachment("hi", zip("inner.zip", padded), "outer.zip", "application/zip"));
        assertThat(c.unscannable()).extracting(Unscannable::reason).containsExactly(Unscannable.Reason.SIZE_LIMIT);
    }

    @Test
    void encryptedZipInCorpusMessageIsUnscannable() throws Exception {
        ExtractedContent c = extractor.extract(TestMessages.parse(corpus("testRFC822_encrypted_zip")));
        assertThat(c.isComplete()).isFalse();
        assertThat(c.unscannable()).as(c.unscannable().toString()).extracting(Unscannable::reason)
                .containsOnly(Unscannable.Reason.ENCRYPTED);
        // The same message with the plain zip is fully read.
        ExtractedContent plain = extractor.extract(TestMessages.parse(corpus("testRFC822_normal_zip")));
        assertThat(plain.isComplete()).isTrue();
    }

    @Test
    void corruptedZipIsNeverClean() throws Exception {
        ExtractedContent c = extractor.extract(withAttachment("hi", Files.readAllBytes(corpus("testZIP_corrupted_oom.zip")),
                "testZIP_corrupted_oom.zip", "application/zip"));
        assertThat(c.isComplete()).isFalse();
        assertThat(c.unscannable()).extracting(Unscannable::reason).containsOnly(Unscannable.Reason.EXTRACTION_FAILED);
    }

    @Test
    void truncatedZipIsUnscannable() throws Exception {
        byte[] full = zip("cards.txt", ("card " + CARD + " ").repeat(2000).getBytes(StandardCharsets.US_ASCII));
        byte[] cut = java.util.Arrays.copyOf(full, full.length / 3);
        ExtractedContent c = extractor.extract(withAttachment("hi", cut, "cut.zip", "application/zip"));
        assertThat(c.unscannable()).extracting(Unscannable::reason).containsOnly(Unscannable.Reason.EXTRACTION_FAILED);
    }

    @Test
    void entryCountCoversArchiveEntries() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < 50; i++) {
                zip.putNextEntry(new ZipEntry("f" + i + ".txt"));
                zip.write(("entry " + i).getBytes(StandardCharsets.US_ASCII));
                zip.closeEntry();
            }
        }
        MimeContentExtractor few = MimeContentExtractor.builder().limits(ExtractionLimits.builder().maxEntries(20).build())
                .build();
        ExtractedContent c = few.extract(withAttachment("hi", bytes.toByteArray(), "many.zip", "application/zip"));
        assertThat(c.unscannable()).extracting(Unscannable::reason).containsExactly(Unscannable.Reason.ENTRY_LIMIT);
    }

    @Test
    void zipCommentsAndEntryNamesAreScanned() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.setComment("key 4111 1111 1111 1111");
            ZipEntry note = new ZipEntry("notes.txt");
            note.setComment("IBAN DE89 3704 0044 0532 0130 00");
            zip.putNextEntry(note);
            zip.write("nothing here".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("5555555555554444.txt"));
            zip.closeEntry();
        }
        byte[] outer = zip("inner.zip", bytes.toByteArray());
        ExtractedContent c = extractor.extract(withAttachment("hi", outer, "a.zip", "application/zip"));
        assertThat(c.isComplete()).as(c.unscannable().toString()).isTrue();
        assertThat(textAt(c, "attachment:a.zip!/inner.zip \u2192 comment")).isEqualTo("key 4111 1111 1111 1111");
        assertThat(textAt(c, "attachment:a.zip!/inner.zip!/notes.txt \u2192 comment"))
                .isEqualTo("IBAN DE89 3704 0044 0532 0130 00");
        // (a name of hex digits is also decoded as hex, at a location of its own)
        assertThat(c.segments()).filteredOn(s -> s.kind() == ContentKind.ATTACHMENT_NAME && !s.location().contains(" \u2192 "))
                .extracting(s -> s.text().toString())
                .containsExactly("a.zip", "inner.zip", "notes.txt", "5555555555554444.txt");
    }

    @Test
    void centralDirectoryNameThatDiffersFromTheLocalNameIsScannedAndUnscannable() throws Exception {
        byte[] archive = zip("xxxxxxxxxxxxxxxx.txt", "hello".getBytes(StandardCharsets.UTF_8));
        byte[] local = "xxxxxxxxxxxxxxxx.txt".getBytes(StandardCharsets.US_ASCII);
        byte[] shown = "4111111111111111.txt".getBytes(StandardCharsets.US_ASCII);
        int last = lastIndexOf(archive, local);
        System.arraycopy(shown, 0, archive, last, shown.length); // the central directory's copy, the one archivers list
        ExtractedContent c = extractor.extract(withAttachment("hi", archive, "a.zip", "application/zip"));
        // archivers extract the directory's entry, which may be another local header than the one read
        assertThat(c.unscannable()).extracting(Unscannable::location, Unscannable::reason)
                .containsExactly(tuple("attachment:a.zip!/4111111111111111.txt", Unscannable.Reason.EXTRACTION_FAILED));
        assertThat(c.segments()).filteredOn(s -> s.kind() == ContentKind.ATTACHMENT_NAME)
                .extracting(s -> s.text().toString(), ContentSegment::location)
                .containsExactly(tuple("a.zip", "attachment:a.zip"),
                        tuple("xxxxxxxxxxxxxxxx.txt", "attachment:a.zip!/xxxxxxxxxxxxxxxx.txt"),
                        tuple("4111111111111111.txt", "attachment:a.zip!/4111111111111111.txt"));
    }

    @Test
    void zipWithoutCommentsGetsNoCommentSegments() throws Exception {
        ExtractedContent c = extractor.extract(withAttachment("hi", zip("a.txt", "hello".getBytes(StandardCharsets.UTF_8)),
                "a.zip", "application/zip"));
        assertThat(c.isComplete()).isTrue();
        assertThat(c.segments()).extracting(ContentSegment::location)
                .containsExactly("subject", "body[1]", "attachment:a.zip", "attachment:a.zip!/a.txt", "attachment:a.zip!/a.txt");
    }

    @Test
    void centralDirectoryLargerThanWhatIsKeptIsUnscannable() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String comment = "c".repeat(60_000);
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < 20; i++) {
                ZipEntry e = new ZipEntry("e" + i + ".txt");
                e.setComment(comment);
                zip.putNextEntry(e);
                zip.closeEntry();
            }
        }
        ExtractedContent c = extractor.extract(withAttachment("hi", bytes.toByteArray(), "a.zip", "application/zip"));
        assertThat(c.unscannable()).extracting(Unscannable::location, Unscannable::reason)
                .containsExactly(tuple("attachment:a.zip", Unscannable.Reason.SIZE_LIMIT));
    }

    @Test
    void tailKeepsTheLastMebibyteWhateverTheReads() throws Exception {
        byte[] data = new byte[3 * ZipTrailer.KEPT + 12_345];
        new java.util.Random(7).nextBytes(data);
        ZipTrailer.Tail tail = new ZipTrailer.Tail(new java.io.ByteArrayInputStream(data));
        byte[] buf = new byte[70_001];
        int r = 0;
        for (int n = 1; r >= 0; n = n * 3 % 70_001 + 1) {
            r = n % 5 == 0 ? tail.read() : tail.read(buf, 0, n);
            if (n % 7 == 0) {
                tail.skip(1000);
            }
        }
        assertThat(tail.tail()).isEqualTo(java.util.Arrays.copyOfRange(data, data.length - ZipTrailer.KEPT, data.length));
    }

    /**
     * Info-ZIP's zip writes a zip64 end record and its locator before the end record whenever an entry's size was
     * unknown when it began (input from a pipe), even where every count and size fits the end record.
     */
    @Test
    void aZip64EndRecordBeforeAnEndRecordThatFitsIsRead() throws Exception {
        byte[] plain = zip("minutes.txt", ("card " + CARD + "\n").getBytes(StandardCharsets.UTF_8));
        for (String comment : new String[] {"", "archived by a pipe"}) {
            byte[] z64 = withZip64EndRecord(plain, comment);
            ExtractedContent c = extractor.extract(withAttachment("hi", z64, "piped.zip", "application/zip"));
            assertThat(c.unscannable()).isEmpty();
            assertThat(textAt(c, "attachment:piped.zip!/minutes.txt")).contains(CARD);
            if (!comment.isEmpty()) {
                assertThat(textAt(c, "attachment:piped.zip \u2192 comment")).isEqualTo(comment);
            }
        }
        // a locator whose record is not there: the directory cannot be placed, so its names are not known
        byte[] broken = withZip64EndRecord(plain, "");
        int record = broken.length - 22 - 20 - 56;
        broken[record] = 'X';
        ExtractedContent c = extractor.extract(withAttachment("hi", broken, "piped.zip", "application/zip"));
        assertThat(c.unscannable()).extracting(Unscannable::reason).containsExactly(Unscannable.Reason.SIZE_LIMIT);
    }

    /**
     * A zip64 end record whose directory size has its top bit set (negative as a signed number) places no directory:
     * text that ends with such a record, its locator and an end record is text, read and scanned, not an extraction
     * failure.
     */
    @Test
    void aZip64DirectorySizeWithItsTopBitSetIsNoZip() throws Exception {
        byte[] z64 = withZip64EndRecord(zip("a.txt", "a\n".getBytes(StandardCharsets.UTF_8)), "");
        int record = z64.length - 22 - 20 - 56;
        java.nio.ByteBuffer.wrap(z64).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(record + 40, 0x8000000010000000L);
        byte[] text = ("Please pay with card " + CARD + " today.\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = java.util.Arrays.copyOfRange(z64, record, z64.length);
        byte[] polyglot = java.util.Arrays.copyOf(text, text.length + tail.length);
        System.arraycopy(tail, 0, polyglot, text.length, tail.length);
        assertThat(ZipTrailer.endsWithEndRecord(polyglot, polyglot.length)).isFalse();
        ExtractedContent c = extractor.extract(withAttachment("hi", polyglot, "pay.txt", "text/plain"));
        assertThat(c.unscannable()).isEmpty();
        assertThat(textAt(c, "attachment:pay.txt")).contains(CARD);
        // the same record with a size that places a directory entry right before it is a zip's end
        java.nio.ByteBuffer.wrap(z64).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(record + 40,
                java.nio.ByteBuffer.wrap(z64).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(z64.length - 22 + 12) & 0xFFFFFFFFL);
        assertThat(ZipTrailer.endsWithEndRecord(z64, z64.length)).isTrue();
        // a zip whose zip64 end record gives such a size: its directory cannot be placed, as any size past the start
        byte[] zip = withZip64EndRecord(zip("minutes.txt", ("card " + CARD + "\n").getBytes(StandardCharsets.UTF_8)), "");
        java.nio.ByteBuffer.wrap(zip).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(zip.length - 22 + 12, -1)
                .putLong(zip.length - 22 - 20 - 56 + 40, 0x8000000010000000L);
        assertThat(ZipTrailer.parse(zip, 0).entries).isEmpty();
        ExtractedContent z = extractor.extract(withAttachment("hi", zip, "piped.zip", "application/zip"));
        assertThat(z.unscannable()).extracting(Unscannable::location).containsExactly("attachment:piped.zip");
        assertThat(z.unscannable().get(0).detail()).doesNotContain("Exception");
    }

    /** Archivers open a zip by its end: one put after a program or after text is unscannable, not a binary or a text. */
    @Test
    void aZipAfterOtherBytesIsUnscannable() throws Exception {
        byte[] zip = zip("cards.csv", ("1," + CARD + "\n").getBytes(StandardCharsets.UTF_8));
        byte[] program = new byte[70_000];
        program[0] = 0x7f;
        program[1] = 'E';
        program[2] = 'L';
        program[3] = 'F';
        for (byte[] prefix : new byte[][] {program, "Read me first: the archive follows.\n".getBytes(StandardCharsets.UTF_8)}) {
            byte[] sfx = java.util.Arrays.copyOf(prefix, prefix.length + zip.length);
            System.arraycopy(zip, 0, sfx, prefix.length, zip.length);
            ExtractedContent c = extractor.extract(withAttachment("hi", sfx, "setup.bin", "application/octet-stream"));
            assertThat(c.unscannable()).extracting(Unscannable::location, Unscannable::reason)
                    .containsExactly(tuple("attachment:setup.bin", Unscannable.Reason.EXTRACTION_FAILED));
            ExtractedContent nested = extractor.extract(withAttachment("hi", zip("setup.bin", sfx), "a.zip", "application/zip"));
            assertThat(nested.unscannable()).extracting(Unscannable::location)
                    .containsExactly("attachment:a.zip!/setup.bin");
        }
        ExtractedContent plain = extractor.extract(withAttachment("hi", program, "setup.bin", "application/octet-stream"));
        assertThat(plain.unscannable()).isEmpty();
    }

    /** Names written in another charset than UTF-8 (IBM437, no UTF-8 flag) match between local header and directory. */
    @Test
    void namesInALegacyCharsetAreNotTakenForHiddenEntries() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out, java.nio.charset.Charset.forName("IBM437"))) {
            zip.putNextEntry(new ZipEntry("\u00dcbersicht.txt"));
            zip.write("Protokoll\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        ExtractedContent c = extractor.extract(withAttachment("hi", out.toByteArray(), "u.zip", "application/zip"));
        assertThat(c.unscannable()).isEmpty();
    }

    /** An entry whose local header says stored and whose directory entry says deflated is read two ways: unscannable. */
    @Test
    void anEntryWhoseMethodDiffersBetweenLocalHeaderAndDirectoryIsUnscannable() throws Exception {
        byte[] zip = TestZips.zip(true, "notes.txt", "nothing to see\n".getBytes(StandardCharsets.UTF_8));
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(zip).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int directory = b.getInt(zip.length - 22 + 16);
        assertThat(b.getInt(directory)).isEqualTo(0x02014b50);
        ExtractedContent same = extractor.extract(withAttachment("hi", zip.clone(), "n.zip", "application/zip"));
        assertThat(same.unscannable()).isEmpty();
        b.putShort(directory + 10, (short) 8);
        ExtractedContent c = extractor.extract(withAttachment("hi", zip, "n.zip", "application/zip"));
        assertThat(c.unscannable()).extracting(Unscannable::location, Unscannable::reason)
                .containsExactly(tuple("attachment:n.zip!/notes.txt", Unscannable.Reason.EXTRACTION_FAILED));
    }

    /**
     * What archivers extract is what the central directory lists: a directory entry whose CRC matches no local entry
     * read (a local header hidden inside another entry's data, listed under a visible entry's name), a clean zip
     * followed by another zip (archivers read the last), and a zip after a program with bytes after its end record.
     */
    @Test
    void zipsArchiversReadOtherwiseThanTheStreamAreUnscannable() throws Exception {
        byte[] clean = zip("pay.txt", "nothing to pay\n".getBytes(StandardCharsets.UTF_8));
        byte[] otherCrc = clean.clone();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(otherCrc).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int directory = b.getInt(otherCrc.length - 22 + 16);
        b.putInt(directory + 16, b.getInt(directory + 16) ^ 1);
        ExtractedContent crc = extractor.extract(withAttachment("hi", otherCrc, "p.zip", "application/zip"));
        assertThat(crc.unscannable()).extracting(Unscannable::location, Unscannable::reason)
                .containsExactly(tuple("attachment:p.zip!/pay.txt", Unscannable.Reason.EXTRACTION_FAILED));

        byte[] card = zip("pay.txt", ("card " + CARD + "\n").getBytes(StandardCharsets.UTF_8));
        byte[] concatenated = java.util.Arrays.copyOf(clean, clean.length + card.length);
        System.arraycopy(card, 0, concatenated, clean.length, card.length);
        ExtractedContent two = extractor.extract(withAttachment("hi", concatenated, "two.zip", "application/zip"));
        assertThat(two.unscannable()).isNotEmpty();

        byte[] program = new byte[5_000];
        program[0] = 0x7f;
        byte[] trailing = new byte[program.length + card.length + 2];
        System.arraycopy(program, 0, trailing, 0, program.length);
        System.arraycopy(card, 0, trailing, program.length, card.length);
        trailing[trailing.length - 2] = '\r';
        trailing[trailing.length - 1] = '\n';
        ExtractedContent sfx = extractor.extract(withAttachment("hi", trailing, "setup.exe", "application/octet-stream"));
        assertThat(sfx.unscannable()).extracting(Unscannable::reason).containsExactly(Unscannable.Reason.EXTRACTION_FAILED);

        // after text: a zip whose end record's comment length runs past the end, and a zip with zip64 end records
        byte[] text = "Read me first.\n".getBytes(StandardCharsets.UTF_8);
        byte[] overlong = card.clone();
        java.nio.ByteBuffer.wrap(overlong).order(java.nio.ByteOrder.LITTLE_ENDIAN).putShort(overlong.length - 2, (short) 40);
        for (byte[] z : new byte[][] {overlong, withZip64EndRecord(card, "")}) {
            byte[] polyglot = java.util.Arrays.copyOf(text, text.length + z.length);
            System.arraycopy(z, 0, polyglot, text.length, z.length);
            ExtractedContent c = extractor.extract(withAttachment("hi", polyglot, "readme.txt", "text/plain"));
            assertThat(c.unscannable()).extracting(Unscannable::reason).containsExactly(Unscannable.Reason.EXTRACTION_FAILED);
        }
    }

    /**
     * A local header hidden inside another entry's data (a JPEG, whose bytes are not read as text) that the central
     * directory lists under a visible entry's name, method, sizes and CRC: archivers extract the hidden data (the
     * card), the stream reader read the visible entry. Unscannable; the same zip whose directory points at the
     * visible entry is clean.
     */
    @Test
    void aDirectoryEntryPointingIntoAnotherEntrysDataIsUnscannable() throws Exception {
        byte[] card = ("card " + CARD + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] benign = "nothing to pay, thanks!\n".repeat(3).substring(0, card.length).getBytes(StandardCharsets.US_ASCII);
        for (boolean hide : new boolean[] {true, false}) {
            ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
            jpeg.write(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0});
            jpeg.write(new byte[600]); // the hidden header straddles the stream reader's 512-byte reads
            int hiddenInJpeg = jpeg.size();
            jpeg.write(StoredZip.localHeader("pay.txt", card, StoredZip.crc(card)));
            jpeg.write(card);
            byte[] picture = jpeg.toByteArray();
            StoredZip zip = new StoredZip().entry("chart.jpg", picture);
            int hidden = 30 + "chart.jpg".length() + hiddenInJpeg;
            int visible = zip.offset();
            // the visible entry claims the hidden one's CRC
            zip.local("pay.txt", benign, StoredZip.crc(hide ? card : benign));
            byte[] archive = hide ? zip.listed("pay.txt", card, StoredZip.crc(card), hidden).finish()
                    : zip.listed("pay.txt", benign, StoredZip.crc(benign), visible).finish();
            ExtractedContent c = extractor.extract(withAttachment("hi", archive, "p.zip", "application/zip"));
            if (hide) {
                assertThat(c.unscannable()).extracting(Unscannable::location, Unscannable::reason)
                        .containsExactly(tuple("attachment:p.zip!/pay.txt", Unscannable.Reason.EXTRACTION_FAILED));
            } else {
                assertThat(c.unscannable()).isEmpty();
            }
        }
    }

    /**
     * The same in a Word document: Word opens the package by its central directory, whose {@code word/document.xml}
     * is hidden inside an image's data, while the parser read the package entry by entry and got a harmless
     * document. Unscannable; the package whose directory points at the part the parser read is clean.
     */
    @Test
    void aDocumentPartTheDirectoryPointsToInsideAnImageIsUnscannable() throws Exception {
        DocumentTextExtractor documents = (bytes, name, timeout) -> DocumentText.of("nothing to pay", java.util.List.of());
        MimeContentExtractor withDocuments = MimeContentExtractor.builder().documentExtractor(documents).build();
        String docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        byte[] card = ("<w:document>card " + CARD + "</w:document>").getBytes(StandardCharsets.US_ASCII);
        byte[] benign = ("<w:document>" + "x".repeat(card.length - 25) + "</w:document>").getBytes(StandardCharsets.US_ASCII);
        for (boolean hide : new boolean[] {true, false}) {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
            png.write(new byte[40]);
            int hiddenInPng = png.size();
            png.write(StoredZip.localHeader("word/document.xml", card, StoredZip.crc(card)));
            png.write(card);
            StoredZip zip = new StoredZip().entry("[Content_Types].xml", "<Types/>".getBytes(StandardCharsets.US_ASCII));
            int hidden = zip.offset() + 30 + "word/media/image1.png".length() + hiddenInPng;
            zip.entry("word/media/image1.png", png.toByteArray());
            int visible = zip.offset();
            zip.local("word/document.xml", benign, StoredZip.crc(hide ? card : benign));
            byte[] archive = hide ? zip.listed("word/document.xml", card, StoredZip.crc(card), hidden).finish()
                    : zip.listed("word/document.xml", benign, StoredZip.crc(benign), visible).finish();
            ExtractedContent c = withDocuments.extract(withAttachment("hi", archive, "x.docx", docx));
            if (hide) {
                assertThat(c.unscannable()).extracting(Unscannable::location, Unscannable::reason).containsExactly(
                        tuple("attachment:x.docx!/word/document.xml", Unscannable.Reason.EXTRACTION_FAILED));
            } else {
                assertThat(c.unscannable()).isEmpty();
                assertThat(textAt(c, "attachment:x.docx")).isEqualTo("nothing to pay");
            }
        }
    }

    /**
     * Directory entries as writers make them: Java's ZipOutputStream (and Python's zipfile, the JDK's jar) deflate
     * nothing into two bytes, Info-ZIP stores none; in a zip and in an Office package, neither is unscannable.
     */
    @Test
    void directoryEntriesWithADeflatedEmptyStreamAreRead() throws Exception {
        byte[] deflated = TestZips.zip(false, "dir/", "", "dir/a.txt", "card " + CARD);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(deflated).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int directory = b.getInt(deflated.length - 22 + 16);
        assertThat(b.getShort(directory + 10)).as("the directory entry is deflated").isEqualTo((short) 8);
        assertThat(b.getInt(directory + 20)).as("into two bytes").isEqualTo(2);
        ExtractedContent c = extractor.extract(withAttachment("hi", deflated, "d.zip", "application/zip"));
        assertThat(c.unscannable()).isEmpty();
        assertThat(textAt(c, "attachment:d.zip!/dir/a.txt")).isEqualTo("card " + CARD);
        byte[] stored = TestZips.zip(true, "dir/", "", "dir/a.txt", "hello");
        assertThat(extractor.extract(withAttachment("hi", stored, "s.zip", "application/zip")).unscannable()).isEmpty();

        DocumentTextExtractor documents = (bytes, name, timeout) -> DocumentText.of("text", java.util.List.of());
        MimeContentExtractor withDocuments = MimeContentExtractor.builder().documentExtractor(documents).build();
        byte[] docx = TestZips.zip(false, "[Content_Types].xml", "<Types/>", "word/", "", "word/document.xml", "<w:document/>");
        assertThat(withDocuments.extract(withAttachment("hi", docx, "x.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document")).unscannable()).isEmpty();
    }

    /**
     * A Unicode Path extra field (0x7075) renames an entry for the archivers that read it (Info-ZIP's unzip, 7-Zip)
     * and for the stream reader when it is in the local header: an ASCII name renamed (page.dat listed as
     * page.html, whose character references a browser shows as digits), or local and directory naming it apart,
     * is unscannable; a legacy code-page name with its UTF-8 form in both places is read, under both names.
     */
    @Test
    void entriesNamedTwoWaysThroughUnicodePathFieldsAreUnscannable() throws Exception {
        byte[] html = "<p>&#52;&#49;&#49;&#49;&#32;&#49;&#49;&#49;&#49;&#32;&#49;&#49;&#49;&#49;&#32;&#49;&#49;&#49;&#49;</p>"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] dat = "page.dat".getBytes(StandardCharsets.US_ASCII);
        byte[] renamed = new StoredZip().entry(dat, html, new byte[0], StoredZip.unicodePath(dat, "page.html")).finish();
        ExtractedContent c = extractor.extract(withAttachment("hi", renamed, "r.zip", "application/zip"));
        assertThat(c.unscannable()).extracting(Unscannable::reason).contains(Unscannable.Reason.EXTRACTION_FAILED);
        assertThat(c.segments()).filteredOn(s -> s.kind() == ContentKind.ATTACHMENT_NAME)
                .extracting(s -> s.text().toString()).contains("page.html");

        byte[] txt = "notes.txt".getBytes(StandardCharsets.US_ASCII);
        byte[] apart = new StoredZip().entry(txt, "nothing".getBytes(StandardCharsets.US_ASCII),
                StoredZip.unicodePath(txt, "notes.dat"), new byte[0]).finish();
        ExtractedContent a = extractor.extract(withAttachment("hi", apart, "a.zip", "application/zip"));
        assertThat(a.unscannable()).extracting(Unscannable::location, Unscannable::reason)
                .containsExactly(tuple("attachment:a.zip!/notes.txt", Unscannable.Reason.EXTRACTION_FAILED));

        // two fields (unzip takes the last), and a legacy name whose field changes its extension
        byte[] twice = new StoredZip().entry(dat, html, new byte[0], concat(StoredZip.unicodePath(dat, "page.dat"),
                StoredZip.unicodePath(dat, "page.html"))).finish();
        assertThat(extractor.extract(withAttachment("hi", twice, "t.zip", "application/zip")).unscannable())
                .extracting(Unscannable::reason).contains(Unscannable.Reason.EXTRACTION_FAILED);
        byte[] eml = {'n', 'o', 't', 'e', 's', (byte) 0x82, '.', 'e', 'm', 'l'};
        byte[] retyped = new StoredZip().entry(eml, html, new byte[0], StoredZip.unicodePath(eml, "notes\u00e9.txt"))
                .finish();
        assertThat(extractor.extract(withAttachment("hi", retyped, "y.zip", "application/zip")).unscannable())
                .extracting(Unscannable::reason).contains(Unscannable.Reason.EXTRACTION_FAILED);

        byte[] cp437 = {'G', 'r', (byte) 0x81, (byte) 0xE1, 'e', '.', 't', 'x', 't'}; // "Grüße.txt" in code page 437
        byte[] unicode = StoredZip.unicodePath(cp437, "Gr\u00fc\u00dfe.txt");
        byte[] legacy = new StoredZip().entry(cp437, ("card " + CARD).getBytes(StandardCharsets.US_ASCII), unicode, unicode)
                .finish();
        ExtractedContent l = extractor.extract(withAttachment("hi", legacy, "l.zip", "application/zip"));
        assertThat(l.unscannable()).isEmpty();
        assertThat(textAt(l, "attachment:l.zip!/Gr\u00fc\u00dfe.txt")).isEqualTo("card " + CARD);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Text in UTF-16 with a byte order mark (a Windows "Unicode" text file) is read as text whatever its name. */
    @Test
    void utf16TextWithoutATextNameIsRead() throws Exception {
        byte[] text = ("\ufeffCard: " + CARD + "\r\n").getBytes(StandardCharsets.UTF_16LE);
        ExtractedContent c = extractor.extract(withAttachment("hi", zip("notes", text), "n.zip", "application/zip"));
        assertThat(textAt(c, "attachment:n.zip!/notes")).contains(CARD);
        byte[] bigEndian = ("Card: " + CARD).getBytes(StandardCharsets.UTF_16BE);
        ExtractedContent b = extractor.extract(withAttachment("hi", zip("notes", bigEndian), "b.zip", "application/zip"));
        assertThat(textAt(b, "attachment:b.zip!/notes")).contains(CARD);
    }

    /** Where each local header's data begins is found whatever sizes the reads come in. */
    @Test
    void theTailFindsEveryLocalHeaderAcrossReadBoundaries() throws Exception {
        byte[] zip = TestZips.zip(false, "a.txt", "alpha ".repeat(200), "b/c.csv", "1,2,3\n".repeat(50), "d.bin",
                new byte[1000]);
        java.util.Map<Long, Long> expected = new java.util.HashMap<>();
        try (org.apache.commons.compress.archivers.zip.ZipFile f = new org.apache.commons.compress.archivers.zip.ZipFile(
                new org.apache.commons.compress.utils.SeekableInMemoryByteChannel(zip))) {
            for (var e : java.util.Collections.list(f.getEntries())) {
                java.nio.ByteBuffer cfh = java.nio.ByteBuffer.wrap(zip).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                long header = e.getDataOffset() - 30 - e.getRawName().length - (cfh.getShort((int) e.getDataOffset()
                        - e.getRawName().length - 30 + 28) & 0xFFFF);
                expected.put(header, e.getDataOffset());
            }
        }
        assertThat(expected).hasSize(3);
        for (int chunk : new int[] {1, 2, 7, 29, 30, 31, 512}) {
            ZipTrailer.Tail tail = new ZipTrailer.Tail(new java.io.ByteArrayInputStream(zip));
            byte[] buf = new byte[chunk];
            while (tail.read(buf, 0, chunk) > 0) {
                // reads of this size only
            }
            for (var e : expected.entrySet()) {
                assertThat(tail.dataStart(e.getKey())).as("chunk %d", chunk).isEqualTo(e.getValue());
            }
            assertThat(tail.dataStart(1)).isEqualTo(-1);
            assertThat(tail.allLocalHeadersKept()).isTrue();
        }
    }

    /** A zip whose only card is in its entry's comment, which only the central directory holds. */
    static byte[] cardInEntryComment(String comment) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            ZipEntry e = new ZipEntry("notes.txt");
            e.setComment(comment);
            zip.putNextEntry(e);
            zip.write("nothing to see\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    /**
     * Zip64 records that archivers would not follow must not hide the central directory: one whose values disagree
     * with the end record's, and one planted at the end of an entry comment (a fake directory entry, a zip64
     * record pointing at it and a locator, all inside the comment) that the end record does not point to.
     */
    @Test
    void zip64RecordsThatDisagreeWithTheEndRecordDoNotHideTheDirectory() throws Exception {
        byte[] zeroSize = withZip64EndRecord(cardInEntryComment("card " + CARD), "");
        int record = zeroSize.length - 22 - 20 - 56;
        java.nio.ByteBuffer.wrap(zeroSize).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(record + 40, 0);
        ExtractedContent c = extractor.extract(withAttachment("hi", zeroSize, "z.zip", "application/zip"));
        assertThat(c.unscannable()).extracting(Unscannable::reason).containsExactly(Unscannable.Reason.SIZE_LIMIT);

        // the comment ends with: a directory entry named "x" (46 + 1 bytes), a zip64 record (56) and a locator (20)
        int fake = 46 + 1 + 56 + 20;
        byte[] planted = cardInEntryComment("card " + CARD + " " + "#".repeat(fake));
        int eocd = planted.length - 22;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(planted).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int cfh = eocd - fake;
        b.putInt(cfh, 0x02014b50);
        for (int k = 4; k < 46; k++) {
            planted[cfh + k] = 0;
        }
        b.putShort(cfh + 28, (short) 1);
        planted[cfh + 46] = 'x';
        int rec = cfh + 47;
        b.putInt(rec, 0x06064b50).putLong(rec + 4, 44).putShort(rec + 12, (short) 45).putShort(rec + 14, (short) 45)
                .putInt(rec + 16, 0).putInt(rec + 20, 0).putLong(rec + 24, 1).putLong(rec + 32, 1)
                .putLong(rec + 40, 47).putLong(rec + 48, cfh);
        b.putInt(rec + 56, 0x07064b50).putInt(rec + 60, 0).putLong(rec + 64, rec).putInt(rec + 72, 1);
        ExtractedContent p = extractor.extract(withAttachment("hi", planted, "p.zip", "application/zip"));
        assertThat(textAt(p, "attachment:p.zip!/notes.txt \u2192 comment")).contains(CARD);
    }

    /**
     * {@code zip} (no comment) with a zip64 end of central directory record (APPNOTE §4.3.14) and its locator
     * (§4.3.15) put between the central directory and the end record, which keeps its values, and {@code comment}.
     */
    static byte[] withZip64EndRecord(byte[] zip, String comment) {
        java.nio.ByteBuffer eocd = java.nio.ByteBuffer.wrap(zip, zip.length - 22, 22).slice().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int entries = eocd.getShort(10) & 0xFFFF;
        long directorySize = eocd.getInt(12) & 0xFFFFFFFFL;
        long directoryOffset = eocd.getInt(16) & 0xFFFFFFFFL;
        byte[] text = comment.getBytes(StandardCharsets.UTF_8);
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(zip.length + 56 + 20 + text.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        out.put(zip, 0, zip.length - 22);
        long record = zip.length - 22;
        out.putInt(0x06064b50).putLong(44).putShort((short) 0x031e).putShort((short) 45).putInt(0).putInt(0)
                .putLong(entries).putLong(entries).putLong(directorySize).putLong(directoryOffset);
        out.putInt(0x07064b50).putInt(0).putLong(record).putInt(1);
        out.put(zip, zip.length - 22, 20).putShort((short) text.length).put(text);
        return out.array();
    }

    @Test
    void anOfficePackageDisguisedAsAPlainZipIsUnscannableNotReadAsRawXml() throws Exception {
        byte[] picture = new byte[6000];
        new java.util.Random(5).nextBytes(picture);
        // a card split over two text runs, which raw XML does not show as one number
        String document = "<w:document><w:body><w:p><w:r><w:t>4111 1111 </w:t></w:r><w:r><w:t>1111 1111</w:t></w:r>"
                + "</w:p></w:body></w:document>";
        for (String contentTypes : new String[] {"[Content_Types].xml", "[content_types].xml"}) {
            // an entry larger than the first 4 KiB first, so that the package is not told by its first entries
            byte[] docx = TestZips.zip(false, "word/media/image1.png", picture, "word/document.xml", document, contentTypes, "<Types/>");
            ExtractedContent c = extractor.extract(withAttachment("hi", docx, "m.zip", "application/zip"));
            assertThat(c.unscannable()).as(contentTypes).extracting(Unscannable::location, Unscannable::reason)
                    .containsExactly(tuple("attachment:m.zip", Unscannable.Reason.EXTRACTION_FAILED));
            assertThat(c.unscannable().get(0).detail()).contains("Office Open XML package");
        }
        byte[] odt = TestZips.zip(false, "Pictures/1.png", picture, "content.xml", "<office:text/>", "mimetype",
                "application/vnd.oasis.opendocument.text");
        assertThat(extractor.extract(withAttachment("hi", odt, "report", "application/octet-stream")).unscannable())
                .extracting(Unscannable::reason).containsExactly(Unscannable.Reason.EXTRACTION_FAILED);
        // a zip that merely holds XML files, or a document under a folder, is a zip
        byte[] plain = TestZips.zip(false, "notes/content.xml", "<a/>", "project/[Content_Types].xml", "<Types/>", "a.txt", "hi");
        assertThat(extractor.extract(withAttachment("hi", plain, "a.zip", "application/zip")).isComplete()).isTrue();
    }

    private static int lastIndexOf(byte[] haystack, byte[] needle) {
        for (int i = haystack.length - needle.length; i >= 0; i--) {
            if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
