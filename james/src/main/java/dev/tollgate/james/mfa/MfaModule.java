package dev.tollgate.james.mfa;

import java.nio.file.Path;
import java.time.Clock;

import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import org.apache.commons.configuration2.Configuration;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.utils.PropertiesProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.mfa.AppPasswordHasher;
import dev.tollgate.core.mfa.MfaService;
import dev.tollgate.core.mfa.MfaServiceConfig;
import dev.tollgate.core.mfa.RecordSealer;
import dev.tollgate.core.mfa.StoreKeyFile;
import dev.tollgate.core.state.StateConfig;
import dev.tollgate.core.state.StateException;
import dev.tollgate.core.state.StateStore;
import dev.tollgate.core.state.file.FileStateStore;
import dev.tollgate.core.state.memory.InMemoryFailureLog;
import dev.tollgate.core.state.memory.InMemoryStateStore;
import dev.tollgate.james.config.ComponentInit;

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
 * <p>Configuration comes from {@code conf/tollgate-mfa.properties} ({@link MfaServiceConfig}) and, for where the
 * state lives, {@code conf/tollgate-state.properties} ({@link StateConfig}: {@code file} by default, {@code cassandra}
 * for a cluster); a missing file means defaults. A configuration error stops James with a message naming the key,
 * and so does a Cassandra store that cannot be reached at startup (its schema must be in place).
 */
public class MfaModule extends AbstractModule {
    private static final Logger LOGGER = LoggerFactory.getLogger(MfaModule.class);

    @Override
    protected void configure() {
        // Everything is in the provider below.
    }

    @Provides
    @Singleton
    MfaService mfaService(PropertiesProvider properties, FileSystem fileSystem, Injector injector) throws Exception {
        Parameters parameters = ComponentInit.propertiesFile(properties, MfaServiceConfig.FILE).orElseGet(() -> {
            LOGGER.info("No {}.properties: MFA uses its defaults", MfaServiceConfig.FILE);
            return Parameters.empty();
        });
        MfaServiceConfig config = ComponentInit.file(MfaServiceConfig.FILE + ".properties",
                () -> MfaServiceConfig.parse(parameters));
        Path base = fileSystem.getBasedir().toPath();
        Path keyFile = base.resolve(config.keyFile());
        Path directory = base.resolve(config.storeDirectory());
        byte[] key = ComponentInit.file(MfaServiceConfig.FILE + ".properties",
                () -> StoreKeyFile.loadOrCreate(keyFile, config.generateKey()));
        Parameters stateParameters = ComponentInit.propertiesFile(properties, StateConfig.FILE).orElse(Parameters.empty());
        StateConfig stateConfig = ComponentInit.file(StateConfig.FILE + ".properties",
                () -> StateConfig.parse(stateParameters));
        RecordSealer sealer;
        try {
            sealer = new RecordSealer(key);
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
        }
        StateStore state;
        try {
            switch (stateConfig.backend()) {
                case CASSANDRA:
                    state = CassandraStateProvider.open(stateConfig, injector, base);
                    break;
                case MEMORY:
                    state = InMemoryStateStore.create();
                    break;
                default:
                    state = FileStateStore.open(directory, InMemoryFailureLog.create());
                    break;
            }
        } catch (StateException e) {
            throw new IllegalStateException(StateConfig.FILE + ".properties: " + e.getMessage(), e);
        }
        LOGGER.info("MFA service ready: state {}, key file {}", state.describe(), keyFile);
        return new MfaService(state, sealer, config, AppPasswordHasher.defaults(), Clock.systemUTC());
    }
}
