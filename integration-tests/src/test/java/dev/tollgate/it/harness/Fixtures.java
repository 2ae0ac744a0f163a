package dev.tollgate.it.harness;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/** Packs test-only James extensions (package {@code dev.tollgate.it.fixtures}) into a jar for extensions-jars. */
public final class Fixtures {
    private Fixtures() {
    }

    /** @return a jar of the compiled classes under {@code dev/tollgate/it/fixtures} */
    public static synchronized Path jar() {
        Path classes = ItSettings.testClasses();
        Path root = classes.resolve("dev/tollgate/it/fixtures");
        try {
            Path jar = Files.createDirectories(ItSettings.workDir()).resolve("tollgate-it-fixtures.jar");
            try (OutputStream file = Files.newOutputStream(jar);
                 JarOutputStream out = new JarOutputStream(file);
                 Stream<Path> walk = Files.walk(root)) {
                for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                    out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                    Files.copy(p, out);
                    out.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
