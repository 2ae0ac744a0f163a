package dev.tollgate.it.harness;

import java.util.function.Predicate;
import java.util.stream.Stream;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

/**
 * The end of a container test class: what James and its peers logged, for diagnosis in the build log, then every
 * container stopped and the network closed. Null entries (a setup that failed half way) are skipped.
 */
public final class Teardown {
    /** Tollgate's decision lines, errors and exceptions. */
    public static final Predicate<String> TOLLGATE_AND_ERRORS = l -> l.contains("tollgate") || l.contains("ERROR")
            || l.contains("Exception");

    private Teardown() {
    }

    /**
     * Prints the lines of a container's log that {@code keep} accepts, at most {@code limit}, each prefixed with
     * {@code prefix + "| "}; nothing when the container is null or not running.
     */
    public static void printLog(GenericContainer<?> container, String prefix, int limit, Predicate<String> keep) {
        if (container == null || !container.isRunning()) {
            return;
        }
        Stream.of(container.getLogs().split("\n")).filter(keep).limit(limit)
                .forEach(l -> System.out.println(prefix + "| " + l));
    }

    /** Prints the first {@code limit} lines {@code keep} accepts of each peer's log, prefixed with its last network alias. */
    public static void printPeerLogs(int limit, Predicate<String> keep, GenericContainer<?>... peers) {
        for (GenericContainer<?> peer : peers) {
            if (peer != null && peer.isRunning()) {
                printLog(peer, peer.getNetworkAliases().get(peer.getNetworkAliases().size() - 1), limit, keep);
            }
        }
    }

    /** Stops the containers in the order given, then closes the network (either may be null). */
    public static void stopAll(Network network, GenericContainer<?>... containers) {
        for (GenericContainer<?> c : containers) {
            if (c != null) {
                c.stop();
            }
        }
        if (network != null) {
            network.close();
        }
    }
}
