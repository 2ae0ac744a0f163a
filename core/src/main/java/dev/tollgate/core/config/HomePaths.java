package dev.tollgate.core.config;

import java.nio.file.Path;
import java.nio.file.Paths;

/** Resolves the file names administrators write in James's configuration. */
public final class HomePaths {
    private HomePaths() {
    }

    /**
     * Resolves a file name against James's home: the {@code working.directory} system property (e.g.
     * {@code /root}) when set, else the current directory. An absolute name is returned as is.
     */
    public static Path resolve(String name) {
        Path p = Paths.get(name.strip());
        if (p.isAbsolute()) {
            return p;
        }
        String home = System.getProperty("working.directory");
        return home == null || home.isBlank() ? p.toAbsolutePath() : Paths.get(home).resolve(p);
    }
}
