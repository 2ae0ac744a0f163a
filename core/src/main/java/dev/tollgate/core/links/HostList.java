package dev.tollgate.core.links;

import dev.tollgate.core.config.ConfigException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local block or allow list read from a UTF-8 file: one {@link HostPattern} per line ({@code host} or
 * {@code *.suffix}), blank lines ignored, {@code #} starting a comment (whole line or after a pattern).
 *
 * <p>The file is reloaded when its modification time changes; the time is checked at most once per
 * {@code checkInterval} of the injected {@link Clock}, on the first lookup after the interval. A reload
 * that fails (unreadable file, invalid line, file over {@value #MAX_FILE_BYTES} bytes) keeps the previous
 * list and logs a warning; the initial load fails with {@link ConfigException} instead.
 *
 * <p>Thread-safe: lookups read an immutable snapshot; at most one thread reloads at a time.
 */
public final class HostList implements HostMatcher {
    /** Largest accepted file. */
    public static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(HostList.class);

    private final String parameter;
    private final Path file;
    private final Duration checkInterval;
    private final Clock clock;
    private final Object reloadLock = new Object();

    private volatile DoNotRewriteList patterns;
    private volatile FileTime loadedModified;
    private volatile Instant nextCheck;

    private HostList(String parameter, Path file, Duration checkInterval, Clock clock) {
        this.parameter = parameter;
        this.file = file;
        this.checkInterval = checkInterval;
        this.clock = clock;
    }

    /**
     * Loads the file now.
     *
     * @param parameter     the init parameter naming the file, for error messages
     * @param file          the list file
     * @param checkInterval minimum time between modification-time checks, ≥ 0
     * @param clock         the clock measuring that interval
     * @throws ConfigException naming {@code parameter} when the file cannot be read or a line is invalid
     */
    public static HostList load(String parameter, Path file, Duration checkInterval, Clock clock) {
        Objects.requireNonNull(parameter);
        if (checkInterval.isNegative()) {
            throw new ConfigException(parameter, "check interval must not be negative");
        }
        HostList list = new HostList(parameter, file, checkInterval, Objects.requireNonNull(clock));
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            list.patterns = read(file);
            list.loadedModified = modified;
        } catch (IOException e) {
            throw new ConfigException(parameter, "cannot read host list " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(parameter, "host list " + file + ": " + e.getMessage(), e);
        }
        list.nextCheck = clock.instant().plus(checkInterval);
        return list;
    }

    /** @return the file this list is read from */
    public Path file() {
        return file;
    }

    /** @return the patterns currently in force (after a due reload check) */
    public DoNotRewriteList patterns() {
        return current();
    }

    /** @return true when the host, normalised, matches a pattern */
    public boolean matches(String host) {
        return current().matches(host);
    }

    @Override
    public boolean matches(NormalizedHost host) {
        return current().matches(host);
    }

    private DoNotRewriteList current() {
        Instant now = clock.instant();
        if (!now.isBefore(nextCheck)) {
            synchronized (reloadLock) {
                if (!now.isBefore(nextCheck)) {
                    nextCheck = now.plus(checkInterval);
                    reloadIfModified();
                }
            }
        }
        return patterns;
    }

    private void reloadIfModified() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            if (modified.equals(loadedModified)) {
                return;
            }
            DoNotRewriteList fresh = read(file);
            patterns = fresh;
            loadedModified = modified;
            LOG.info("Reloaded host list {} ({}): {} patterns", file, parameter, fresh.patterns().size());
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Keeping previous host list {} ({}): {}", file, parameter, e.getMessage());
        }
    }

    /** @throws IllegalArgumentException naming the line number of an invalid pattern */
    static DoNotRewriteList read(Path file) throws IOException {
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new IllegalArgumentException("file larger than " + MAX_FILE_BYTES + " bytes");
        }
        List<HostPattern> patterns = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            long chars = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                chars += line.length() + 1;
                if (chars > MAX_FILE_BYTES) { // the file grew after the size check
                    throw new IllegalArgumentException("file larger than " + MAX_FILE_BYTES + " bytes");
                }
                int hash = line.indexOf('#');
                String content = (hash >= 0 ? line.substring(0, hash) : line).strip();
                if (content.isEmpty()) {
                    continue;
                }
                try {
                    patterns.add(HostPattern.parse(content));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("line " + number + ": " + e.getMessage(), e);
                }
            }
        }
        return DoNotRewriteList.ofPatterns(patterns);
    }

    @Override
    public String toString() {
        return "HostList[" + file + "]";
    }
}
