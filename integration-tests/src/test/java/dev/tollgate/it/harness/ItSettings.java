package dev.tollgate.it.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * Where the container tests find what they deploy, from system properties set by the build
 * (integration-tests/pom.xml). Each one can be overridden on the Maven command line.
 */
public final class ItSettings {
    private ItSettings() {
    }

    /** @return the James configuration directory to deploy at /root/conf (the project's conf/) */
    public static Path conf() {
        return existing("tollgate.it.conf");
    }

    /** @return the drop-in bundle zip, unpacked into /root/extensions-jars */
    public static Path bundle() {
        return existing("tollgate.it.bundle");
    }

    /** @return the directory of James 3.8.1's runtime jars, from which the local image is built */
    public static Path jamesLibs() {
        return existing("tollgate.it.jamesLibs");
    }

    /** @return the directory of Apache Cassandra 5.0's runtime jars (module it-cassandra), for the local Cassandra image */
    public static Path cassandraLibs() {
        return existing("tollgate.it.cassandraLibs");
    }

    /** @return the compiled test classes (fixtures and Java test peers are taken from here) */
    public static Path testClasses() {
        return existing("tollgate.it.testClasses");
    }

    /** @return a scratch directory for staging files copied into containers */
    public static Path workDir() {
        return Paths.get(System.getProperty("tollgate.it.workDir", "target/it-work")).toAbsolutePath();
    }

    /** @return the local base image (Debian with a JRE and test-peer tools), built by .ci/prepare */
    public static String baseImage() {
        return System.getProperty("tollgate.it.baseImage", "tollgate/base:bookworm-2");
    }

    /** @return a ready James image to use instead of building one, e.g. {@code apache/james:memory-3.8.1} */
    public static Optional<String> jamesImage() {
        return Optional.ofNullable(System.getProperty("tollgate.it.jamesImage")).map(String::trim).filter(s -> !s.isEmpty());
    }

    private static Path existing(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set: run the tests through Maven");
        }
        Path path = Paths.get(value).toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new IllegalStateException(property + " points at a missing path " + path + ": build with mvn verify from the top");
        }
        return path;
    }
}
