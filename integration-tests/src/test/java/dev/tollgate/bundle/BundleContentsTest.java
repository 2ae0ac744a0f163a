package dev.tollgate.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The drop-in bundle holds Tollgate's jars and only third-party jars James 3.8.1 does not ship.
 * James's extension class loader is parent-first: a class James already has would silently be taken
 * from James, so a bundled copy is dead weight at best and a version trap at worst.
 */
class BundleContentsTest {
    static Map<String, byte[]> bundleJars;
    static Map<String, String> jamesClasses;

    @BeforeAll
    static void load() throws IOException {
        bundleJars = new HashMap<>();
        Path bundle = Paths.get(System.getProperty("tollgate.it.bundle"));
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(bundle))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (!e.isDirectory()) {
                    bundleJars.put(e.getName(), in.readAllBytes());
                }
            }
        }
        jamesClasses = new HashMap<>();
        try (Stream<Path> libs = Files.list(Paths.get(System.getProperty("tollgate.it.jamesLibs")))) {
            for (Path jar : (Iterable<Path>) libs.filter(p -> p.toString().endsWith(".jar"))::iterator) {
                try (ZipFile zip = new ZipFile(jar.toFile())) {
                    zip.stream().map(ZipEntry::getName).map(BundleContentsTest::className).filter(n -> n != null)
                            .forEach(n -> jamesClasses.putIfAbsent(n, jar.getFileName().toString()));
                }
            }
        }
    }

    @Test
    void jamesRuntimeWasRead() {
        assertThat(jamesClasses).containsKey("org.apache.mailet.base.GenericMailet")
                .containsKey("com.google.common.collect.ImmutableList").containsKey("javax.mail.internet.MimeMessage");
    }

    @Test
    void bundleHoldsTheTollgateJars() {
        assertThat(bundleJars.keySet()).anyMatch(n -> n.matches("tollgate/tollgate-core-.*\\.jar"))
                .anyMatch(n -> n.matches("tollgate/tollgate-james-.*\\.jar"));
        assertThat(bundleJars.keySet()).allMatch(n -> n.endsWith(".jar"), "only jars");
    }

    @Test
    void noBundledJarHasAClassJamesAlreadyProvides() throws IOException {
        List<String> clashes = new ArrayList<>();
        for (Map.Entry<String, byte[]> jar : bundleJars.entrySet()) {
            Set<String> shared = new TreeSet<>();
            for (String cls : classesOf(jar.getValue())) {
                if (jamesClasses.containsKey(cls)) {
                    shared.add(cls + " (James: " + jamesClasses.get(cls) + ")");
                }
            }
            if (!shared.isEmpty()) {
                clashes.add(jar.getKey() + " duplicates " + shared.size() + " classes, e.g. " + shared.iterator().next());
            }
        }
        assertThat(clashes).as("bundled jars whose classes James already ships").isEmpty();
    }

    @Test
    void noBundledJarIsAnotherVersionOfAJamesJar() throws IOException {
        Set<String> jamesArtifacts;
        try (Stream<Path> libs = Files.list(Paths.get(System.getProperty("tollgate.it.jamesLibs")))) {
            jamesArtifacts = libs.map(p -> artifact(p.getFileName().toString())).collect(Collectors.toSet());
        }
        assertThat(bundleJars.keySet().stream().map(n -> artifact(n.substring(n.lastIndexOf('/') + 1))))
                .doesNotContainAnyElementsOf(jamesArtifacts);
    }

    /** {@code caffeine-3.1.8.jar} → {@code caffeine}. */
    static String artifact(String file) {
        return file.replaceFirst("-\\d[^-]*(-SNAPSHOT)?(-[a-z]+)?\\.jar$", "");
    }

    static List<String> classesOf(byte[] jar) throws IOException {
        List<String> names = new ArrayList<>();
        try (InputStream bytes = new ByteArrayInputStream(jar); ZipInputStream in = new ZipInputStream(bytes)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                String n = className(e.getName());
                if (n != null) {
                    names.add(n);
                }
            }
        }
        return names;
    }

    static String className(String entry) {
        if (!entry.endsWith(".class") || entry.endsWith("module-info.class") || entry.endsWith("package-info.class")) {
            return null;
        }
        String path = entry.replaceFirst("^META-INF/versions/\\d+/", "");
        return path.substring(0, path.length() - ".class".length()).replace('/', '.');
    }
}
