package dev.tollgate.core.links;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tollgate.core.config.ConfigException;

/**
 * The key file shared by the rewriting mailet and the click-time redirector.
 *
 * <p>Format: UTF-8 text, one key per line written {@code keyId:base64key} (at least
 * {@value LinkTokenSigner#MIN_KEY_BYTES} bytes); blank lines and lines starting with {@code #} are
 * ignored. The <b>first</b> key signs new tokens; every further key only verifies (rotation: put a new key
 * on the first line, keep the old ones below until their tokens no longer matter).
 *
 * <p>When the file is missing and creation is allowed, a random 32-byte key is written with owner-only
 * permissions (0600 where POSIX permissions exist), atomically: concurrent starters (the mailet and the
 * redirector start in the same James) end up reading the same single key.
 */
public final class LinkKeys {
    private static final Logger LOG = LoggerFactory.getLogger(LinkKeys.class);
    private static final long MAX_FILE_BYTES = 64 * 1024;

    private LinkKeys() {
    }

    /**
     * @param parameter the parameter naming the file, for error messages
     * @param file      the key file
     * @param create    whether to generate a key when the file does not exist (else fail closed)
     * @param maxAge    maximum token age, zero for none
     * @throws ConfigException naming {@code parameter} when the file is missing (and not created),
     *                         unreadable or invalid; key material is never quoted
     */
    public static LinkTokenSigner load(String parameter, Path file, boolean create, Duration maxAge, Clock clock) {
        Objects.requireNonNull(file);
        if (!Files.exists(file)) {
            if (!create) {
                throw new ConfigException(parameter, "key file " + file + " does not exist");
            }
            generate(parameter, file);
        }
        List<String[]> keys = read(parameter, file);
        LinkTokenSigner.Builder b = LinkTokenSigner.builder().clock(clock);
        try {
            for (int i = 0; i < keys.size(); i++) {
                byte[] key = decode(parameter, file, keys.get(i)[1]);
                b.key(parameter, keys.get(i)[0], key, i == 0);
            }
            if (!maxAge.isZero()) {
                b.maxAge(maxAge);
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(parameter, "key file " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<String[]> read(String parameter, Path file) {
        final List<String> lines;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new ConfigException(parameter, "key file " + file + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(parameter, "cannot read key file " + file + ": " + e.getMessage(), e);
        }
        List<String[]> keys = new ArrayList<>();
        int n = 0;
        for (String line : lines) {
            n++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int colon = l.indexOf(':');
            if (colon <= 0 || colon == l.length() - 1) {
                throw new ConfigException(parameter, "key file " + file + " line " + n + " must be written keyId:base64key");
            }
            keys.add(new String[] {l.substring(0, colon).strip(), l.substring(colon + 1).strip()});
        }
        if (keys.isEmpty()) {
            throw new ConfigException(parameter, "key file " + file + " holds no key");
        }
        return keys;
    }

    private static byte[] decode(String parameter, Path file, String base64) {
        try {
            return Base64.getDecoder().decode(base64.replace('-', '+').replace('_', '/'));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(parameter, "key file " + file + ": a key is not valid base64");
        }
    }

    private static void generate(String parameter, Path file) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String id = "k" + Long.toString(System.currentTimeMillis() / 1000, 36);
        String text = "# Tollgate link token keys: first line signs, further lines only verify. Keep secret.\n"
                + id + ":" + Base64.getEncoder().encodeToString(key) + "\n";
        Path tmp = null;
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            try {
                tmp = Files.createTempFile(dir, ".tollgate-keys", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                tmp = Files.createTempFile(dir, ".tollgate-keys", ".tmp");
            }
            Files.write(tmp, text.getBytes(StandardCharsets.UTF_8));
            try {
                Files.createLink(file, tmp); // atomic; fails when another starter won the race
                LOG.warn("Tollgate: generated a new link token key '{}' in {} (owner-only permissions); back it up: "
                        + "links in delivered mail stop working when it is lost", id, file.toAbsolutePath());
            } catch (FileAlreadyExistsException raced) {
                LOG.info("Tollgate: link token key file {} was created concurrently; using it", file);
            }
        } catch (IOException e) {
            throw new ConfigException(parameter, "cannot create key file " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }
}
