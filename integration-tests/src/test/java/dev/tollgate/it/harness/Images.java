package dev.tollgate.it.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

import com.github.dockerjava.api.exception.NotFoundException;

/**
 * The container images the tests use. Nothing is pulled: the James image is built locally from the base
 * image (made by {@code .ci/prepare} with debootstrap) and James 3.8.1's jars from Maven Central, in the
 * layout of the official {@code apache/james:memory-3.8.1} image (/root/libs, /root/conf,
 * /root/extensions-jars, working directory /root). Built once per set of jars, then reused.
 */
public final class Images {
    private static String james;

    private Images() {
    }

    /** @return the base image for test peers (JRE, dnsmasq, nginx, openssl); fails when it is missing */
    public static String base() {
        String base = ItSettings.baseImage();
        if (!exists(base)) {
            throw new IllegalStateException("base image " + base + " is missing: run .ci/prepare first");
        }
        return base;
    }

    /** @return the James image: the configured one, or the local look-alike, built when missing */
    public static synchronized String james() {
        if (james == null) {
            james = ItSettings.jamesImage().orElseGet(Images::buildJames);
        }
        return james;
    }

    private static String buildJames() {
        Path libs = ItSettings.jamesLibs();
        String name = "tollgate/james-memory:3.8.1-" + fingerprint(libs);
        if (exists(name)) {
            return name;
        }
        String base = base();
        return new ImageFromDockerfile(name, false)
                .withFileFromPath("libs", libs)
                .withDockerfileFromBuilder(b -> b.from(base)
                        .copy("libs", "/root/libs")
                        .run("mkdir -p /root/conf /root/extensions-jars /logs")
                        .workDir("/root")
                        .expose(25, 465, 587, 143, 993, 8000)
                        .entryPoint("java", "-Dworking.directory=/root/",
                                "-Dlogback.configurationFile=/root/conf/logback.xml",
                                "-Djdk.tls.ephemeralDHKeySize=2048",
                                "-Dextra.props=/root/conf/jvm.properties",
                                "-cp", "/root/libs/*", "org.apache.james.MemoryJamesServerMain")
                        .build())
                .get();
    }

    static boolean exists(String image) {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** A short digest of the jar names and sizes: a new James build gets a new image tag. */
    static String fingerprint(Path libs) {
        try (Stream<Path> files = Files.list(libs)) {
            List<String> entries = files.sorted().map(p -> p.getFileName() + ":" + size(p)).collect(Collectors.toList());
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(String.join("\n", entries).getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                hex.append(String.format("%02x", digest[i]));
            }
            return hex.toString();
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
