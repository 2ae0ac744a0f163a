package dev.tollgate.core.dlp.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the current {@link DlpPolicy} of a file and reloads it when the modification time or size of the
 * file or of one of its exact-data files ({@link DlpPolicy#exactDataFiles()}) changes, checked at most
 * once per {@code checkInterval}. A broken new version is logged as an error (once per distinct
 * error; it is re-read every interval until it parses) and the previous policy stays in force; a broken file at {@link #load} fails (at startup the
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
        /** modification time and size of the policy file and its exact-data files, in order */
        final List<String> stamp;
        final Instant checked;
        /** error of the last failed reload (retried every interval, logged when it changes), or null */
        final String failed;

        State(DlpPolicy policy, List<String> stamp, Instant checked, String failed) {
            this.policy = policy;
            this.stamp = stamp;
            this.checked = checked;
            this.failed = failed;
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
        try {
            Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new PolicyException(file.toString(), 0, "cannot read: "
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.toString()), e);
        }
        DlpPolicy p = parser.parse(file);
        return new PolicySource(file, parser, checkInterval, clock,
                new State(p, stamp(file, p.exactDataFiles()), clock.instant(), null));
    }

    /** Modification time and size of each file; a file that cannot be read is stamped as missing. */
    private static List<String> stamp(Path file, List<Path> exactDataFiles) {
        List<String> out = new ArrayList<>(1 + exactDataFiles.size());
        out.add(stampOf(file));
        for (Path f : exactDataFiles) {
            out.add(stampOf(f));
        }
        return out;
    }

    private static String stampOf(Path f) {
        try {
            return f + " " + Files.getLastModifiedTime(f) + " " + Files.size(f);
        } catch (IOException e) {
            return f + " missing";
        }
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
            try {
                Files.getLastModifiedTime(file);
            } catch (IOException e) {
                LOG.error("DLP policy {} cannot be read ({}); keeping the policy loaded before", file, e.toString());
                state = new State(s.policy, s.stamp, now, s.failed);
                return s.policy;
            }
            List<String> before = stamp(file, s.policy.exactDataFiles());
            if (before.equals(s.stamp) && s.failed == null) {
                state = new State(s.policy, s.stamp, now, null);
                return s.policy;
            }
            try {
                DlpPolicy p = parser.parse(file);
                List<String> after = p.exactDataFiles().equals(s.policy.exactDataFiles())
                        ? before : stamp(file, p.exactDataFiles());
                LOG.info("DLP policy reloaded: {}", p);
                state = new State(p, after, now, null);
                return p;
            } catch (PolicyException e) {
                if (!e.getMessage().equals(s.failed)) {
                    LOG.error("DLP policy not reloaded, keeping the policy loaded before: {}", e.getMessage());
                }
                state = new State(s.policy, s.stamp, now, e.getMessage());
                return s.policy;
            }
        }
    }

    public Path file() {
        return file;
    }
}
