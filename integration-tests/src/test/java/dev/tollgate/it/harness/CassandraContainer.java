package dev.tollgate.it.harness;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.DockerImageName;

/**
 * A one-node Apache Cassandra 5.0 in a container, built locally (no registry): the base image plus Cassandra's jars
 * from Maven Central (module {@code it-cassandra}), run on the base image's Java 17 with the module flags of
 * Cassandra's {@code jvm17-server.options}, a small heap and fast-start settings (one token, periodic commit log,
 * no gossip settle wait, no ring delay). Ready when Cassandra logs that it listens for CQL clients.
 */
public class CassandraContainer extends GenericContainer<CassandraContainer> {
    public static final int CQL = 9042;
    private static String image;

    private final StringBuffer logs = new StringBuffer();

    public CassandraContainer() {
        super(DockerImageName.parse(image()));
        withExposedPorts(CQL);
        withLogConsumer(frame -> logs.append(frame.getUtf8String()));
        waitingFor(Wait.forLogMessage(".*Starting listening for CQL clients.*\\n", 1)
                .withStartupTimeout(Duration.ofMinutes(3)));
    }

    /** @return everything Cassandra logged */
    public String logs() {
        return logs.toString();
    }

    /** @return {@code host:port} of CQL as the test JVM reaches it */
    public String contactPoint() {
        return getHost() + ":" + getMappedPort(CQL);
    }

    /** @return the local Cassandra image, built from the base image and the jars when missing */
    public static synchronized String image() {
        if (image == null) {
            image = build();
        }
        return image;
    }

    private static String build() {
        Path libs = ItSettings.cassandraLibs();
        String name = "tollgate/cassandra:5.0-" + Images.fingerprint(libs);
        if (Images.exists(name)) {
            return name;
        }
        String base = Images.base();
        Path resources = Paths.get(ItSettings.testClasses().toString(), "cassandra");
        List<String> cmd = new ArrayList<>(List.of("java", "-Xms256m", "-Xmx384m", "-Xss512k", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dcassandra.config=file:///etc/cassandra/cassandra.yaml",
                "-Dlogback.configurationFile=/etc/cassandra/logback.xml",
                "-Dcassandra.storagedir=/var/lib/cassandra",
                "-Dcassandra-foreground=yes",
                "-Dcassandra.skip_wait_for_gossip_to_settle=0",
                "-Dcassandra.ring_delay_ms=0",
                "-Dcassandra.superuser_setup_delay_ms=0",
                "-Dcassandra.initial_token=0",
                "-Dcassandra.num_tokens=1",
                "-Dio.netty.tryReflectionSetAccessible=true",
                "-Djdk.attach.allowAttachSelf=true",
                "-javaagent:/opt/cassandra/libs/jamm-0.4.0.jar"));
        for (String export : List.of("java.base/jdk.internal.misc", "java.management.rmi/com.sun.jmx.remote.internal.rmi",
                "java.rmi/sun.rmi.registry", "java.rmi/sun.rmi.server", "java.sql/java.sql", "java.base/java.lang.ref",
                "jdk.unsupported/sun.misc", "jdk.attach/sun.tools.attach")) {
            cmd.add("--add-exports");
            cmd.add(export + "=ALL-UNNAMED");
        }
        for (String open : List.of("java.base/java.lang.module", "java.base/jdk.internal.loader", "java.base/jdk.internal.ref",
                "java.base/jdk.internal.reflect", "java.base/jdk.internal.math", "java.base/jdk.internal.module",
                "java.base/jdk.internal.util.jar", "jdk.management/com.sun.management.internal", "java.base/sun.nio.ch",
                "java.base/java.io", "java.base/java.lang.reflect", "java.base/java.lang", "java.base/java.util")) {
            cmd.add("--add-opens");
            cmd.add(open + "=ALL-UNNAMED");
        }
        cmd.addAll(List.of("-cp", "/opt/cassandra/libs/*", "org.apache.cassandra.service.CassandraDaemon"));
        return new ImageFromDockerfile(name, false)
                .withFileFromPath("libs", libs)
                .withFileFromPath("cassandra.yaml", resources.resolve("cassandra.yaml"))
                .withFileFromPath("logback.xml", resources.resolve("logback.xml"))
                .withDockerfileFromBuilder(b -> b.from(base)
                        .copy("libs", "/opt/cassandra/libs")
                        .copy("cassandra.yaml", "/etc/cassandra/cassandra.yaml")
                        .copy("logback.xml", "/etc/cassandra/logback.xml")
                        .run("mkdir -p /var/lib/cassandra")
                        .expose(CQL)
                        .entryPoint(cmd.toArray(new String[0]))
                        .build())
                .get();
    }
}
