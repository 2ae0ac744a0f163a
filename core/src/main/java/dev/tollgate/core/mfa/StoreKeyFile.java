package dev.tollgate.core.mfa;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tollgate.core.config.ConfigException;

/**
 * Loads the MFA store key (32 bytes, Base64 on one line) from a file, or creates it at first start.
 *
 * <p>Like James's {@code --generate-keystore}: when the file is missing and generation is allowed, 32 bytes
 * from {@link SecureRandom} are written to a new file created with mode {@code 0600} (POSIX) and
 * {@code CREATE_NEW}, so two starting nodes cannot overwrite each other's key, and the path is logged
 * (never the key). An existing key file readable or writable by group or others is refused (like ssh), as
 * is a missing file when generation is off: James then stops at startup, failing closed.
 */
public final class StoreKeyFile {
    private static final Logger LOGGER = LoggerFactory.getLogger(StoreKeyFile.class);

    private StoreKeyFile() {
    }

    /**
     * @param file     the key file
     * @param generate whether a missing file is created
     * @return the 32 key bytes
     * @throws ConfigException naming {@code store.keyFile} when the file is missing (and not generated),
     *                         too open, unreadable or not a 32-byte Base64 key
     */
    public static byte[] loadOrCreate(Path file, boolean generate) {
        if (!Files.exists(file)) {
            if (!generate) {
                throw new ConfigException("store.keyFile", "key file " + file + " does not exist (store.generateKey=false)");
            }
            create(file);
        }
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        try {
            if (posix) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
                for (PosixFilePermission p : perms) {
                    if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
                        throw new ConfigException("store.keyFile", "key file " + file
                                + " is accessible by group or others; chmod 600 it");
                    }
                }
            }
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return FileSecretStore.keyFromBase64("store.keyFile", text);
        } catch (IOException e) {
            throw new ConfigException("store.keyFile", "cannot read key file " + file, e);
        }
    }

    private static void create(Path file) {
        byte[] key = new byte[FileSecretStore.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        byte[] text = (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
            Files.write(file, text, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
            LOGGER.warn("Generated a new MFA store key in {} (mode 0600). Back it up: without it the MFA enrolments "
                    + "cannot be read.", file.toAbsolutePath());
        } catch (FileAlreadyExistsException e) {
            LOGGER.info("MFA store key file {} was created concurrently; using it", file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create MFA store key file " + file, e);
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
        }
    }
}
