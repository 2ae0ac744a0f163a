package dev.tollgate.core.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSecretStoreTest {
    @TempDir
    Path dir;

    private final byte[] key = randomKey();
    private final TotpSecret secret = TotpSecret.generate();
    private final AppPasswordHasher hasher = AppPasswordHasher.argon2id(1024, 1, 1);

    private static byte[] randomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    private MfaEnrollment sample() {
        AppPassword.Issued issued = AppPassword.issue("Thunderbird", EnumSet.of(AppPasswordScope.SMTP, AppPasswordScope.IMAP),
                AppPasswordGenerator.defaults(), hasher,
                Clock.fixed(Instant.parse("2026-02-03T04:05:06Z"), ZoneOffset.UTC));
        return MfaEnrollment.empty().withTotp(secret, TotpAlgorithm.SHA256, 8).confirmed()
                .withLastAcceptedStep(TimeStep.of(56_666_667L))
                .withAppPassword(issued.appPassword().withLastUse(Instant.parse("2026-02-04T00:00:00Z"), "2001:db8::1"));
    }

    private List<Path> files() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.collect(Collectors.toList());
        }
    }

    private Path recordFile() throws Exception {
        return files().stream().filter(p -> p.toString().endsWith(".mfa")).findFirst().orElseThrow();
    }

    @Test
    void roundTripsAnEnrollment() throws Exception {
        FileSecretStore store = FileSecretStore.open(dir, key);
        MfaEnrollment e = sample();
        store.put("alice@example.com", e);
        assertThat(store.get("alice@example.com")).contains(e);
        assertThat(store.get("bob@example.com")).isEmpty();
        // a second instance with the same key reads it too
        assertThat(FileSecretStore.open(dir, key).get("alice@example.com")).contains(e);
    }

    @Test
    void fileNamesAndContentDoNotLeakUserOrSecret() throws Exception {
        FileSecretStore store = FileSecretStore.open(dir, key);
        store.put("alice@example.com", sample());
        Path file = recordFile();
        assertThat(file.getFileName().toString()).matches("[0-9a-f]{64}\\.mfa").doesNotContain("alice");
        String raw = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertThat(raw).startsWith("TGM1").doesNotContain(secret.toBase32()).doesNotContain("alice")
                .doesNotContain("argon2id").doesNotContain("Thunderbird");
        assertThat(files()).noneMatch(p -> p.toString().endsWith(".tmp"));
    }

    @Test
    void everyWriteUsesAFreshNonce() throws Exception {
        FileSecretStore store = FileSecretStore.open(dir, key);
        MfaEnrollment e = sample();
        store.put("alice", e);
        byte[] first = Files.readAllBytes(recordFile());
        store.put("alice", e);
        byte[] second = Files.readAllBytes(recordFile());
        assertThat(second).isNotEqualTo(first);
        assertThat(java.util.Arrays.copyOfRange(second, 4, 16)).isNotEqualTo(java.util.Arrays.copyOfRange(first, 4, 16));
    }

    @Test
    void wrongKeyFailsClearly() throws Exception {
        FileSecretStore.open(dir, key).put("alice", sample());
        FileSecretStore other = FileSecretStore.open(dir, randomKey());
        // another key also names files differently: the record is simply not found under that key
        assertThat(other.get("alice")).isEmpty();
        // same file-name key but a different encryption key cannot be built from outside, so
        // simulate it by copying the record to the name the other key expects
        Files.copy(recordFile(), dir.resolve(other.fileName("alice")));
        assertThatThrownBy(() -> other.get("alice"))
                .isInstanceOf(SecretStoreException.class)
                .hasMessageContaining("wrong store key");
    }

    @Test
    void tamperedFileFails() throws Exception {
        FileSecretStore store = FileSecretStore.open(dir, key);
        store.put("alice", sample());
        Path file = recordFile();
        byte[] content = Files.readAllBytes(file);
        content[content.length / 2] ^= 0x01;
        Files.write(file, content);
        assertThatThrownBy(() -> store.get("alice"))
                .isInstanceOf(SecretStoreException.class)
                .hasMessageContaining("modified");
    }

    @Test
    void truncatedOrForeignFileFails() throws Exception {
        FileSecretStore store = FileSecretStore.open(dir, key);
        store.put("alice", sample());
        Path file = recordFile();
        Files.write(file, new byte[] {'T', 'G', 'M', '1', 0, 1, 2});
        assertThatThrownBy(() -> store.get("alice")).isInstanceOf(SecretStoreException.class);
        Files.write(file, "{\"version\":1}".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> store.get("alice")).isInstanceOf(SecretStoreException.class);
    }

    @Test
    void recordMovedToAnotherUserDoesNotDecrypt() throws Exception {
        FileSecretStore store = FileSecretStore.open(dir, key);
        store.put("alice", sample());
        Files.copy(dir.resolve(store.fileName("alice")), dir.resolve(store.fileName("mallory")));
        assertThatThrownBy(() -> store.get("mallory")).isInstanceOf(SecretStoreException.class);
    }

    @Test
    void deleteRemovesTheRecord() throws Exception {
        FileSecretStore store = FileSecretStore.open(dir, key);
        store.put("alice", sample());
        assertThat(store.delete("alice")).isTrue();
        assertThat(store.get("alice")).isEmpty();
        assertThat(store.delete("alice")).isFalse();
    }

    @Test
    void emptyEnrollmentRoundTrips() throws Exception {
        FileSecretStore store = FileSecretStore.open(dir, key);
        store.put("carol", MfaEnrollment.empty());
        assertThat(store.get("carol")).contains(MfaEnrollment.empty());
    }

    @Test
    void concurrentWritersLeaveOneCompleteRecord() throws Exception {
        FileSecretStore store = FileSecretStore.open(dir, key);
        int threads = 8;
        List<MfaEnrollment> versions = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            versions.add(MfaEnrollment.empty().withTotp(TotpSecret.generate(), TotpAlgorithm.SHA1, 6)
                    .withLastAcceptedStep(TimeStep.of(i)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                MfaEnrollment v = versions.get(i);
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int round = 0; round < 5; round++) {
                        store.put("alice", v);
                        assertThat(store.get("alice")).hasValueSatisfying(got -> assertThat(versions).contains(got));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.get("alice")).hasValueSatisfying(got -> assertThat(versions).contains(got));
        assertThat(files()).noneMatch(p -> p.toString().endsWith(".tmp"));
        assertThat(files().stream().filter(p -> p.toString().endsWith(".mfa"))).hasSize(1);
    }

    @Test
    void ioFailuresSurfaceAsSecretStoreException() throws Exception {
        Path notADirectory = dir.resolve("file");
        Files.write(notADirectory, new byte[] {1});
        assertThatThrownBy(() -> FileSecretStore.open(notADirectory, key)).isInstanceOf(SecretStoreException.class);
        FileSecretStore store = FileSecretStore.open(dir.resolve("gone"), key);
        Files.delete(dir.resolve("gone").resolve(".tollgate-state"));
        Files.delete(dir.resolve("gone"));
        assertThatThrownBy(() -> store.put("alice", sample())).isInstanceOf(SecretStoreException.class)
                .hasMessageNotContaining("alice");
    }

    @Test
    void keysAreValidated() {
        assertThatThrownBy(() -> FileSecretStore.open(dir, new byte[16])).isInstanceOf(IllegalArgumentException.class);
        String good = Base64.getEncoder().encodeToString(key);
        assertThat(FileSecretStore.keyFromBase64("mfa-store-key", good)).isEqualTo(key);
        assertThat(FileSecretStore.keyFromBase64("mfa-store-key", Base64.getUrlEncoder().encodeToString(key)))
                .isEqualTo(key);
        String short16 = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> FileSecretStore.keyFromBase64("mfa-store-key", short16))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mfa-store-key").hasMessageNotContaining(short16);
        assertThatThrownBy(() -> FileSecretStore.keyFromBase64("mfa-store-key", "not base64!"))
                .isInstanceOf(ConfigException.class).hasMessageNotContaining("not base64!");
        assertThatThrownBy(() -> FileSecretStore.keyFromBase64("mfa-store-key", " "))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void enrollmentToStringHidesSecrets() {
        MfaEnrollment e = sample();
        assertThat(e.toString()).doesNotContain(secret.toBase32()).doesNotContain("argon2id");
        assertThat(e.isConfirmed()).isTrue();
        assertThat(e.withLastAcceptedStep(TimeStep.of(1)).lastAcceptedStep()).contains(TimeStep.of(56_666_667L));
        assertThat(MfaEnrollment.empty().confirmed().isConfirmed()).isFalse();
    }
}
