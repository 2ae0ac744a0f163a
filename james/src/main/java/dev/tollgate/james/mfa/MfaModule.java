package dev.tollgate.james.mfa;

import java.nio.file.Path;
import java.time.Clock;

import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.util.Arrays;
import java.util.List;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.utils.PropertiesProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.mfa.AppPasswordHasher;
import dev.tollgate.core.mfa.MailboxDoors;
import dev.tollgate.core.mfa.MfaService;
import dev.tollgate.core.mfa.MfaServiceConfig;
import dev.tollgate.core.mfa.RecordSealer;
import dev.tollgate.core.mfa.StoreKeyFile;
import dev.tollgate.core.state.StateConfig;
import dev.tollgate.core.state.StateStore;
import dev.tollgate.core.links.ClickRedirector;
import dev.tollgate.james.config.ComponentInit;
import dev.tollgate.james.links.ClickRedirectorStartable;
import dev.tollgate.james.links.LinkKeyRings;
import dev.tollgate.james.state.SharedStateStore;

/**
 * Guice extension module that binds the process-wide {@link MfaService} singleton. List it in
 * {@code conf/extensions.properties}:
 * <pre>
 * guice.extension.module=dev.tollgate.james.mfa.MfaModule
 * </pre>
 *
 * <p>Why this shares state (checked in the James 3.8.1 sources): {@code ExtensionModule} binds
 * {@code GuiceGenericLoader} as a singleton, and its constructor builds <em>one</em> child injector from the
 * modules of {@code guice.extension.module}. SMTP handlers ({@code GuiceProtocolHandlerLoader}), mailets
 * and matchers ({@code GuiceMailetLoader}/{@code GuiceMatcherLoader}, through per-call grandchild injectors)
 * and WebAdmin {@code extensions.routes} ({@code WebAdminServerModule.provideRoutes}) are all instantiated
 * through that loader, so a singleton bound here is the same object in every {@code MfaAuthHook} (one per
 * {@code <smtpserver>}) and in {@link MfaRoutes}. Without this module, {@code MfaService} has no injectable
 * constructor and James stops at startup: the hook never runs unconfigured.
 *
 * <p>MFA guards SMTP submission ({@link MfaAuthHook}) and IMAP ({@code MfaImapPackage}); James stops at
 * startup, naming the file, when an IMAP server runs without that package, or POP3 or ManageSieve is enabled
 * ({@link #refusePasswordOnlyDoors}): none of them may open a mailbox with the account password alone.
 *
 * <p>Configuration comes from {@code conf/tollgate-mfa.properties} ({@link MfaServiceConfig}) and, for where the
 * state lives, {@code conf/tollgate-state.properties} ({@link StateConfig}: {@code file} by default, {@code cassandra}
 * for a cluster; opened once per process by {@link SharedStateStore}, which {@code TlsPolicyDelivery} uses too);
 * a missing file means defaults. A configuration error stops James with a message naming the key,
 * and so does a Cassandra store that cannot be reached at startup (its schema must be in place).
 *
 * <p>It also binds the state store, the record sealer and the link-signing key rings ({@link LinkKeyRings}), which
 * link protection shares through it.
 */
public class MfaModule extends AbstractModule {
    private static final Logger LOGGER = LoggerFactory.getLogger(MfaModule.class);

    @Override
    protected void configure() {
        // Everything is in the provider below.
    }

    @Provides
    @Singleton
    MfaService mfaService(MfaServiceConfig config, StateStore state, RecordSealer sealer) {
        return new MfaService(state, sealer, config, AppPasswordHasher.defaults(), Clock.systemUTC());
    }

    @Provides
    @Singleton
    MfaServiceConfig mfaServiceConfig(PropertiesProvider properties, ConfigurationProvider james) throws Exception {
        refusePasswordOnlyDoors(james);
        Parameters parameters = ComponentInit.propertiesFile(properties, MfaServiceConfig.FILE).orElseGet(() -> {
            LOGGER.info("No {}.properties: MFA uses its defaults", MfaServiceConfig.FILE);
            return Parameters.empty();
        });
        return ComponentInit.file(MfaServiceConfig.FILE + ".properties", () -> MfaServiceConfig.parse(parameters));
    }

    /** Seals the enrolments, and the link keys of a shared store, with the MFA store key. */
    @Provides
    @Singleton
    RecordSealer recordSealer(MfaServiceConfig config, FileSystem fileSystem) throws Exception {
        Path keyFile = fileSystem.getBasedir().toPath().resolve(config.keyFile());
        byte[] key = ComponentInit.file(MfaServiceConfig.FILE + ".properties",
                () -> StoreKeyFile.loadOrCreate(keyFile, config.generateKey()));
        try {
            return new RecordSealer(key);
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
        }
    }

    @Provides
    @Singleton
    StateConfig stateConfig(PropertiesProvider properties) {
        Parameters stateParameters = ComponentInit.propertiesFile(properties, StateConfig.FILE).orElse(Parameters.empty());
        return ComponentInit.file(StateConfig.FILE + ".properties", () -> StateConfig.parse(stateParameters));
    }

    /** One store per process, shared with {@code TlsPolicyDelivery} (see {@link SharedStateStore}). */
    @Provides
    @Singleton
    StateStore stateStore(MfaServiceConfig config, PropertiesProvider properties, FileSystem fileSystem,
            Injector injector) throws Exception {
        StateStore state = SharedStateStore.get(properties, fileSystem, injector);
        LOGGER.info("MFA service ready: state {}, key file {}", state.describe(),
                fileSystem.getBasedir().toPath().resolve(config.keyFile()));
        return state;
    }

    /** The link-signing key rings: in the state store when it is shared, else in each key file as before. */
    @Provides
    @Singleton
    LinkKeyRings linkKeyRings(StateStore state, StateConfig stateConfig, RecordSealer sealer, PropertiesProvider properties) {
        ClickRedirector.Config links = ComponentInit.propertiesFile(properties, ClickRedirectorStartable.CONFIGURATION)
                .map(p -> ComponentInit.file(ClickRedirectorStartable.CONFIGURATION + ".properties",
                        () -> ClickRedirector.Config.parse(p)))
                .orElse(null);
        return LinkKeyRings.create(state, stateConfig.backend() != StateConfig.Backend.FILE, sealer, links);
    }

    /**
     * Stops James when a protocol would open a mailbox with the account password alone ({@link MailboxDoors}):
     * an IMAP server without {@code MfaImapPackage}, an enabled POP3 or ManageSieve server.
     *
     * @throws IllegalStateException naming each file to change
     */
    static void refusePasswordOnlyDoors(ConfigurationProvider james) throws ConfigurationException {
        HierarchicalConfiguration<ImmutableNode> imap = james.getConfiguration("imapserver");
        List<String> packages = Arrays.asList(imap.getStringArray("imapPackages"));
        List<MailboxDoors.Problem> problems = MailboxDoors.check(anyEnabled(imap, "imapserver"), packages,
                anyEnabled(james.getConfiguration("pop3server"), "pop3server"),
                anyEnabled(james.getConfiguration("managesieveserver"), "managesieveserver"));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Tollgate MFA is on, but the account password alone would open mailboxes:\n"
                    + MailboxDoors.describe(problems));
        }
    }

    /** As James 3.8.1's server factories read them: each {@code <tag>} is a server, enabled unless {@code enabled="false"}. */
    private static boolean anyEnabled(HierarchicalConfiguration<ImmutableNode> file, String tag) {
        for (HierarchicalConfiguration<ImmutableNode> server : file.configurationsAt(tag)) {
            if (server.getBoolean("[@enabled]", true)) {
                return true;
            }
        }
        return false;
    }
}
