package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tollgate.core.mfa.FileSecretStore;
import dev.tollgate.core.mfa.MfaEnrollment;
import dev.tollgate.core.mfa.RecordSealer;
import dev.tollgate.core.mfa.TimeStep;
import dev.tollgate.core.mfa.TotpAlgorithm;
import dev.tollgate.core.mfa.TotpSecret;
import dev.tollgate.core.state.file.FileStateStore;
import dev.tollgate.core.state.memory.InMemoryFailureLog;

class StateCommandTest {
    static final byte[] KEY = new byte[32];

    @TempDir
    Path tmp;
    Path src;
    Path dst;
    MfaEnrollment alice;
    MfaEnrollment bob;

    @BeforeEach
    void records() throws Exception {
        KEY[0] = 42;
        src = tmp.resolve("src");
        dst = tmp.resolve("dst");
        FileSecretStore store = FileSecretStore.open(src, KEY);
        alice = MfaEnrollment.empty().withTotp(TotpSecret.fromBase32("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"), TotpAlgorithm.SHA1, 6)
                .confirmed();
        bob = MfaEnrollment.empty().withTotp(TotpSecret.fromBase32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"), TotpAlgorithm.SHA256, 8)
                .confirmed().withLastAcceptedStep(TimeStep.of(7));
        store.put("alice@example.com", alice);
        store.put("bob@example.com", bob);
        store.state().watermarks().advance(new RecordSealer(KEY).recordName("alice@example.com"), 56_000_123L);
    }

    long records(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".mfa")).count();
        }
    }

    @Test
    void dryRunWritesNothingThenMigrationCopiesSealedRecordsAndWatermarksIdempotently() throws Exception {
        CheckConfigCommandTest.Run dry = CheckConfigCommandTest.run("state", "migrate", "--from", "file:" + src,
                "--to", "file:" + dst, "--dry-run");
        assertThat(dry.exit).as(dry.all()).isZero();
        assertThat(dry.out).contains("dry run: would copy 2 enrolments");
        assertThat(records(dst)).isZero();

        CheckConfigCommandTest.Run run = CheckConfigCommandTest.run("state", "migrate", "--from", "file:" + src,
                "--to", "file:" + dst);
        assertThat(run.exit).as(run.all()).isZero();
        assertThat(run.out).contains("copied 2 enrolments").contains("0 conflicts");
        FileSecretStore copy = FileSecretStore.open(dst, KEY);
        assertThat(copy.get("alice@example.com")).contains(alice);
        assertThat(copy.get("bob@example.com")).contains(bob);
        String aliceName = new RecordSealer(KEY).recordName("alice@example.com");
        assertThat(Files.readAllBytes(dst.resolve(aliceName))).as("bytes copied as they are").isEqualTo(Files.readAllBytes(src.resolve(aliceName)));
        assertThat(FileStateStore.open(dst, InMemoryFailureLog.create()).watermarks().current(aliceName)).hasValue(56_000_123L);

        CheckConfigCommandTest.Run again = CheckConfigCommandTest.run("state", "migrate", "--from", "file:" + src,
                "--to", "file:" + dst);
        assertThat(again.exit).as(again.all()).isZero();
        assertThat(again.out).contains("copied 0 enrolments").contains("2 already there");
    }

    @Test
    void aDifferentRecordAtTheTargetIsAConflictAndIsNotOverwritten() throws Exception {
        FileSecretStore target = FileSecretStore.open(dst, KEY);
        MfaEnrollment other = MfaEnrollment.empty();
        target.put("bob@example.com", other);
        CheckConfigCommandTest.Run run = CheckConfigCommandTest.run("state", "migrate", "--from", "file:" + src,
                "--to", "file:" + dst);
        assertThat(run.exit).as(run.all()).isEqualTo(1);
        assertThat(run.out).contains("copied 1 enrolments").contains("1 conflicts");
        assertThat(run.err).contains("conflict:").doesNotContain("bob");
        assertThat(target.get("bob@example.com")).contains(other);
    }

    @Test
    void badStoresAreUsageErrors() {
        assertThat(CheckConfigCommandTest.run("state", "migrate", "--from", "redis:x", "--to", "file:" + dst).exit).isEqualTo(2);
        assertThat(CheckConfigCommandTest.run("state", "migrate", "--from", "file:" + tmp.resolve("missing"), "--to",
                "file:" + dst).exit).isEqualTo(2);
        CheckConfigCommandTest.Run bad = CheckConfigCommandTest.run("state", "migrate", "--from", "file:" + src, "--to",
                "cassandra:" + tmp.resolve("none.properties"));
        assertThat(bad.exit).isEqualTo(2);
        assertThat(bad.all()).contains("cannot read");
    }

    @Test
    void linkKeysAreCopiedWithTheirIdsAndOrderIdempotentlyAndADifferentKeyIsAConflict() throws Exception {
        Path keys = tmp.resolve("tollgate-links.keys");
        String k1 = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        byte[] two = new byte[32];
        two[5] = 5;
        Files.writeString(keys, "new:" + java.util.Base64.getEncoder().encodeToString(two) + "\nold:" + k1 + "\n");
        CheckConfigCommandTest.Run dry = CheckConfigCommandTest.run("state", "migrate", "--from", "file:" + src,
                "--to", "file:" + dst, "--link-keys", keys.toString(), "--dry-run");
        assertThat(dry.exit).as(dry.all()).isZero();
        assertThat(dry.out).contains("dry run: would copy 2 link keys");
        assertThat(dst.resolve("links.keys")).doesNotExist();

        CheckConfigCommandTest.Run run = CheckConfigCommandTest.run("state", "migrate", "--from", "file:" + src,
                "--to", "file:" + dst, "--link-keys", keys.toString());
        assertThat(run.exit).as(run.all()).isZero();
        assertThat(run.out).contains("copied 2 link keys");
        java.util.List<dev.tollgate.core.state.StoredLinkKey> copied =
                dev.tollgate.core.state.file.FileLinkKeyStore.of(dst.resolve("links.keys")).keys();
        assertThat(copied).extracting(dev.tollgate.core.state.StoredLinkKey::id).containsExactly("new", "old");
        assertThat(copied.get(0).material()).isEqualTo(two);

        CheckConfigCommandTest.Run again = CheckConfigCommandTest.run("state", "migrate", "--from", "file:" + src,
                "--to", "file:" + dst, "--link-keys", keys.toString());
        assertThat(again.exit).as(again.all()).isZero();
        assertThat(again.out).contains("copied 0 link keys").contains("2 already there, 0 conflicts");

        Files.writeString(keys, "new:" + k1 + "\n");
        CheckConfigCommandTest.Run conflict = CheckConfigCommandTest.run("state", "migrate", "--from", "file:" + src,
                "--to", "file:" + dst, "--link-keys", keys.toString());
        assertThat(conflict.exit).as(conflict.all()).isEqualTo(1);
        assertThat(conflict.err).contains("conflict: link key new differs");
        assertThat(dev.tollgate.core.state.file.FileLinkKeyStore.of(dst.resolve("links.keys")).keys().get(0).material())
                .as("left as it is").isEqualTo(two);
    }
}
