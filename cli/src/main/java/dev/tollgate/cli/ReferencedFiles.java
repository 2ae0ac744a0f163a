package dev.tollgate.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.tollgate.core.links.LinkScanSettings;

/**
 * Files that a Tollgate component reads at James startup although its {@code ComponentSpec} only checks
 * them when they exist: James fails to start when such a file is missing or unreadable, so
 * {@code check-config} must report it. Names are resolved as the components resolve them (against
 * {@code working.directory}, James's home).
 */
final class ReferencedFiles {
    /** Component class name to the parameters naming a file that must exist when the parameter is set. */
    private static final Map<String, List<String>> REQUIRED = Map.of(
            "dev.tollgate.james.mailets.ScanSensitiveData", List.of("policy"));

    private ReferencedFiles() {
    }

    /**
     * @return the first parameter naming a missing or unreadable file, with the reason, or empty
     */
    static Optional<String[]> problem(String className, Map<String, String> parameters) {
        for (String parameter : REQUIRED.getOrDefault(className, List.of())) {
            String value = parameters.get(parameter);
            if (value == null || value.isBlank()) {
                continue;
            }
            Path file = LinkScanSettings.resolve(value);
            if (!Files.exists(file)) {
                return Optional.of(new String[] {parameter, "file " + file + " does not exist (relative names "
                        + "are resolved against James's home, the parent of the conf directory); James would "
                        + "fail to start"});
            }
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                return Optional.of(new String[] {parameter, "file " + file + " is not a readable file; James "
                        + "would fail to start"});
            }
        }
        return Optional.empty();
    }
}
