package dev.tollgate.core.dlp.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the current {@link DlpPolicy} of a file and reloads it when the file's modification time or
 * size changes, checked at most once per {@code checkInterval}. A broken new version is logged as an
 * error and the previous policy stays in force; a broken file at {@link #load} fails (at startup the
 * caller turns this into a {@code ConfigException}). Thread-safe.
 */
public final class PolicySource {
    private static final Logger LOG = LoggerFactory.getLogger(PolicySource.class);

    private final Path file;
    private final PolicyParser parser;
    private final Duration checkInterval;
    private final Clock clock;
    private volatile State state;

    private static final class State {
        final DlpPolicy policy;
        final FileTime mtime;
        final long size;
        final Instant checked;
        final FileTime failedMtime;

        State(DlpPolicy policy, FileTime mtime, long size, Instant checked, FileTime failedMtime) {
            this.policy = policy;
            this.mtime = mtime;
            this.size = size;
            this.checked = checked;
            this.failedMtime = failedMtime;
        }
    }

    private PolicySource(Path file, PolicyParser parser, Duration checkInterval, Clock clock, State state) {
        this.file = file;
        this.parser = parser;
        this.checkInterval = checkInterval;
        this.clock = clock;
        this.state = state;
    }

    /**
     * Reads the policy now.
     *
     * @param file the policy file
     * @param parser the parser
     * @param checkInterval how often {@link #current()} looks at the file's modification time
     * @param clock the clock
     * @return the source
     * @throws PolicyException naming file and line when the file is missing or invalid
     */
    public static PolicySource load(Path file, PolicyParser parser, Duration checkInterval, Clock clock) {
        Objects.requireNonNull(file, "file");
        FileTime mtime;
        long size;
        try {
            mtime = Files.getLastModifiedTime(file);
            size = Files.size(file);
        } catch (IOException e) {
            throw new PolicyException(file.toString(), 0, "cannot read: " + e, e);
        }
        DlpPolicy p = parser.parse(file);
        return new PolicySource(file, parser, checkInterval, clock, new State(p, mtime, size, clock.instant(), null));
    }

    /** @return the policy in force, reloading the file first if it changed */
    public DlpPolicy current() {
        State s = state;
        Instant now = clock.instant();
        if (now.isBefore(s.checked.plus(checkInterval))) {
            return s.policy;
        }
        synchronized (this) {
            s = state;
            if (now.isBefore(s.checked.plus(checkInterval))) {
                return s.policy;
            }
            FileTime mtime;
            long size;
            try {
                mtime = Files.getLastModifiedTime(file);
                size = Files.size(file);
            } catch (IOException e) {
                LOG.error("DLP policy {} cannot be read ({}); keeping the policy loaded before", file, e.toString());
                state = new State(s.policy, s.mtime, s.size, now, s.failedMtime);
                return s.policy;
            }
            if (mtime.equals(s.mtime) && size == s.size || mtime.equals(s.failedMtime)) {
                state = new State(s.policy, s.mtime, s.size, now, s.failedMtime);
                return s.policy;
            }
            try {
                DlpPolicy p = parser.parse(file);
                LOG.info("DLP policy reloaded: {}", p);
                state = new State(p, mtime, size, now, null);
                return p;
            } catch (PolicyException e) {
                LOG.error("DLP policy not reloaded, keeping the policy loaded before: {}", e.getMessage());
                state = new State(s.policy, s.mtime, s.size, now, mtime);
                return s.policy;
            }
        }
    }

    public Path file() {
        return file;
    }
}
