package dev.tollgate.core.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;

/**
 * Seeds for the fuzz targets: the files of the test corpus, read from the module's directories (surefire runs
 * with the module as working directory). Each seed is one {@code byte[]} argument; Jazzer replays them as
 * regression inputs and starts fuzzing from them.
 */
public final class FuzzSeeds {
    /** Longest seed file taken: the fuzzer works best on small inputs, large ones only slow it down. */
    private static final long MAX_SEED_BYTES = 256 * 1024;

    private FuzzSeeds() {
    }

    /**
     * @param dirs directories relative to the module (missing ones are skipped), walked recursively
     * @param suffixes file name endings to take (none: every file except licences and READMEs)
     * @return one argument per file, plus {@code extra} strings as UTF-8
     */
    public static Stream<Arguments> files(List<String> dirs, List<String> suffixes, String... extra) {
        List<Arguments> out = new ArrayList<>();
        for (String dir : dirs) {
            Path root = Path.of(dir);
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(Files::isRegularFile).filter(p -> wanted(p, suffixes)).sorted().forEach(p -> {
                    try {
                        if (Files.size(p) <= MAX_SEED_BYTES) {
                            out.add(Arguments.of((Object) Files.readAllBytes(p)));
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (String s : extra) {
            out.add(Arguments.of((Object) s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no seeds found under " + dirs);
        }
        return out.stream();
    }

    private static boolean wanted(Path p, List<String> suffixes) {
        String name = p.getFileName().toString();
        if (name.startsWith("LICENSE") || name.startsWith("README")) {
            return false;
        }
        return suffixes.isEmpty() || suffixes.stream().anyMatch(name::endsWith);
    }
}
