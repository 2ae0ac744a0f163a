package dev.tollgate.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.Callable;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.mfa.RecordSealer;
import dev.tollgate.core.mfa.SecretStoreException;
import dev.tollgate.core.mfa.StoreKeyFile;
import dev.tollgate.core.state.AppPasswordUse;
import dev.tollgate.core.state.StoredLinkKey;
import dev.tollgate.core.state.file.FileLinkKeyStore;
import dev.tollgate.core.state.StateConfig;
import dev.tollgate.core.state.StateException;
import dev.tollgate.core.state.StateStore;
import dev.tollgate.core.state.cassandra.CassandraSessions;
import dev.tollgate.core.state.file.FileStateStore;
import dev.tollgate.core.state.memory.InMemoryFailureLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tollgate state}: Tollgate's shared state. {@code migrate} copies MFA enrolments (sealed records, bytes as
 * they are: nothing is decrypted, no key is needed), their replay watermarks and app-password last uses from one
 * backend to another, e.g. from a single node's store directory to the Cassandra keyspace of a cluster; with
 * {@code --link-keys}, also the link-signing keys of a key file (sealed with {@code --mfa-key} for Cassandra).
 */
@Command(name = "state", mixinStandardHelpOptions = true,
        description = "Tollgate's shared state (MFA enrolments, replay watermarks): migrate.",
        subcommands = {StateCommand.Migrate.class})
final class StateCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand: migrate");
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = "Copies every sealed MFA enrolment, its replay watermark and its app-password uses from "
                    + "--from to --to without decrypting anything. Idempotent: a record already present with the same "
                    + "bytes is left alone; a record present with other bytes is a conflict, reported and not "
                    + "overwritten (exit 1). Watermarks only move forwards.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:copied (or nothing to do)", "1:conflicts were found", "2:usage error or a store failed"})
    static final class Migrate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--from", required = true, paramLabel = "STORE",
                description = "file:<directory> (an MFA store directory, store.directory of tollgate-mfa.properties)")
        String from;

        @Option(names = "--to", required = true, paramLabel = "STORE",
                description = "cassandra:<tollgate-state.properties> (its cassandra.* keys; an own session is opened) "
                        + "or file:<directory>")
        String to;

        @Option(names = "--dry-run", description = "report what would be copied, write nothing (a Cassandra keyspace "
                + "not there yet is not created)")
        boolean dryRun;

        @Option(names = "--link-keys", paramLabel = "FILE",
                description = "also copy the link-signing keys of this key file (keyFile of tollgate-links.properties)")
        Path linkKeys;

        @Option(names = "--mfa-key", paramLabel = "FILE",
                description = "the MFA store key (store.keyFile of tollgate-mfa.properties), with --link-keys and a "
                        + "cassandra target: the keys are sealed with it before they are written")
        Path mfaKey;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (StateStore source = open(from, "--from", false); StateStore target = open(to, "--to", true)) {
                int copied = 0;
                int same = 0;
                int conflicts = 0;
                for (String name : source.records().names()) {
                    byte[] bytes = source.records().get(name).orElse(null);
                    if (bytes == null) {
                        continue;
                    }
                    Optional<byte[]> there = target.records().get(name);
                    if (there.isPresent() && !Arrays.equals(there.get(), bytes)) {
                        conflicts++;
                        err.println("conflict: " + name + " differs in " + to + "; left as it is");
                        continue;
                    }
                    if (there.isPresent()) {
                        same++;
                    } else {
                        copied++;
                        if (!dryRun) {
                            target.records().put(name, bytes);
                        }
                    }
                    OptionalLong step = source.watermarks().current(name);
                    Map<String, AppPasswordUse> uses = new HashMap<>(source.appPasswordUses().uses(name));
                    if (!dryRun) {
                        if (step.isPresent()) {
                            target.watermarks().advance(name, step.getAsLong());
                        }
                        for (Map.Entry<String, AppPasswordUse> u : uses.entrySet()) {
                            target.appPasswordUses().recordUse(name, u.getKey(), u.getValue().lastUsed(),
                                    u.getValue().lastAddress().orElse(null));
                        }
                    }
                }
                out.println((dryRun ? "dry run: would copy " : "copied ") + copied + " enrolments from " + from
                        + " to " + to + "; " + same + " already there, " + conflicts + " conflicts");
                if (linkKeys != null) {
                    conflicts += copyLinkKeys(target, out, err);
                }
                return conflicts == 0 ? 0 : Tollgate.EXIT_ERRORS;
            } catch (StateException e) {
                err.println("error: " + e.getMessage());
                return Tollgate.EXIT_USAGE;
            } catch (ConfigException e) {
                err.println("error: " + to + ": " + e.getMessage());
                return Tollgate.EXIT_USAGE;
            }
        }

        /**
         * Copies the key file's keys (id, creation time, key) to the target's ring: sealed with the MFA store key
         * for a shared target, as they are for a file target. A key already there with the same bytes is left alone;
         * one with other bytes is a conflict.
         *
         * @return the number of conflicts
         */
        private int copyLinkKeys(StateStore target, PrintWriter out, PrintWriter err) throws StateException {
            if (!Files.isRegularFile(linkKeys)) {
                throw new ParameterException(spec.commandLine(), "--link-keys: no file " + linkKeys);
            }
            // A file target (also one a dry run models in memory) keeps keys in clear, like the key file.
            boolean clear = to.startsWith("file:");
            RecordSealer sealer = null;
            if (!clear) {
                if (mfaKey == null) {
                    throw new ParameterException(spec.commandLine(), "--link-keys with a shared target needs --mfa-key "
                            + "(keys are sealed with it)");
                }
                byte[] key = StoreKeyFile.loadOrCreate(mfaKey, false);
                try {
                    sealer = new RecordSealer(key);
                } finally {
                    Arrays.fill(key, (byte) 0);
                }
            }
            Map<String, StoredLinkKey> there = new HashMap<>();
            for (StoredLinkKey k : target.linkKeys().keys()) {
                there.put(k.id(), k);
            }
            int copied = 0;
            int same = 0;
            int conflicts = 0;
            List<StoredLinkKey> source = new ArrayList<>(FileLinkKeyStore.of(linkKeys).keys());
            // Oldest first: a file target puts each added key first, so the source's signing key ends up first.
            Collections.reverse(source);
            for (StoredLinkKey k : source) {
                StoredLinkKey existing = there.get(k.id());
                if (existing != null) {
                    byte[] bytes;
                    try {
                        bytes = clear ? existing.material() : sealer.openBytes("link-key:" + k.id(), existing.material());
                    } catch (SecretStoreException e) {
                        bytes = null;
                    }
                    if (bytes != null && Arrays.equals(bytes, k.material())) {
                        same++;
                    } else {
                        conflicts++;
                        err.println("conflict: link key " + k.id() + " differs in " + to + "; left as it is");
                    }
                    continue;
                }
                copied++;
                if (!dryRun) {
                    byte[] material;
                    try {
                        material = clear ? k.material() : sealer.sealBytes("link-key:" + k.id(), k.material());
                    } catch (SecretStoreException e) {
                        throw new StateException("cannot seal link key " + k.id() + ": " + e.getMessage(), e);
                    }
                    target.linkKeys().add(new StoredLinkKey(k.id(), k.created(), material));
                }
            }
            out.println((dryRun ? "dry run: would copy " : "copied ") + copied + " link keys from " + linkKeys + " to "
                    + to + "; " + same + " already there, " + conflicts + " conflicts");
            return conflicts;
        }

        private StateStore open(String store, String option, boolean target) throws StateException {
            int colon = store.indexOf(':');
            String kind = colon < 0 ? "" : store.substring(0, colon);
            String where = colon < 0 ? "" : store.substring(colon + 1);
            if (where.isEmpty()) {
                throw new ParameterException(spec.commandLine(), option + ": expected file:<directory> or cassandra:<properties>");
            }
            switch (kind) {
                case "file":
                    Path dir = Paths.get(where);
                    if (!Files.isDirectory(dir) && !target) {
                        throw new ParameterException(spec.commandLine(), option + ": no directory " + dir);
                    }
                    if (!Files.isDirectory(dir) && dryRun) {
                        // A target directory not yet there is empty; a dry run does not create it.
                        return dev.tollgate.core.state.memory.InMemoryStateStore.create();
                    }
                    return FileStateStore.open(dir, InMemoryFailureLog.create());
                case "cassandra":
                    if (!target) {
                        throw new ParameterException(spec.commandLine(), option + ": only file:<directory> can be a source");
                    }
                    Path file = Paths.get(where);
                    Properties p = new Properties();
                    try (InputStream in = Files.newInputStream(file)) {
                        p.load(in);
                    } catch (IOException e) {
                        throw new ParameterException(spec.commandLine(), option + ": cannot read " + file + ": " + e.getMessage());
                    }
                    Map<String, String> values = new HashMap<>();
                    p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));
                    values.put("backend", "cassandra");
                    values.put("cassandra.session", "own");
                    StateConfig config = StateConfig.parse(Parameters.of(values));
                    Path home = file.toAbsolutePath().getParent().getParent();
                    if (dryRun) {
                        // A keyspace not there yet is empty; a dry run does not create it.
                        try (com.datastax.oss.driver.api.core.CqlSession s = CassandraSessions.session(config,
                                home == null ? Paths.get(".") : home)) {
                            if (s.getMetadata().getKeyspace(config.keyspace()).isEmpty()) {
                                return dev.tollgate.core.state.memory.InMemoryStateStore.create();
                            }
                        }
                    }
                    return CassandraSessions.open(config, home == null ? Paths.get(".") : home);
                default:
                    throw new ParameterException(spec.commandLine(), option + ": expected file:<directory> or cassandra:<properties>");
            }
        }
    }
}
