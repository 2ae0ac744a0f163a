package dev.tollgate.james.mfa.selfservice;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.Message;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.utils.PropertiesProvider;
import org.apache.james.utils.UserDefinedStartable;
import org.apache.mailet.MailetContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.mfa.MfaService;
import dev.tollgate.core.web.WebServer;
import dev.tollgate.james.config.ComponentInit;

/**
 * Starts the self-service security page with James. Listed in {@code conf/extensions.properties}:
 *
 * <pre>{@code
 * guice.extension.startable=dev.tollgate.james.mfa.selfservice.SelfServiceStartable
 * }</pre>
 *
 * <p>and configured by {@code conf/tollgate-selfservice.properties} ({@link SelfServiceConfig}); a missing file
 * means the page is off. It shares the {@link MfaService} of {@code MfaModule} (listed as a
 * {@code guice.extension.module}), so the page and SMTP AUTH share one throttle, lockout and replay guard.
 * Passwords are checked by James's {@link UsersRepository}; notices are sent as mail from the postmaster
 * through {@link MailetContext#sendMail}. An invalid file, an unreadable keystore or a port in use stop James at
 * startup with a message naming the parameter.
 */
public class SelfServiceStartable implements UserDefinedStartable {
    private static final Logger LOG = LoggerFactory.getLogger(SelfServiceStartable.class);
    private static final String SOURCE = "Tollgate self-service page: conf/" + SelfServiceConfig.FILE + ".properties";

    private final PropertiesProvider properties;
    private final FileSystem fileSystem;
    private final MfaService mfa;
    private final UsersRepository users;
    private final MailetContext mailetContext;
    private volatile WebServer server;

    @Inject
    public SelfServiceStartable(PropertiesProvider properties, FileSystem fileSystem, MfaService mfa,
            UsersRepository users, MailetContext mailetContext) {
        this.properties = properties;
        this.fileSystem = fileSystem;
        this.mfa = mfa;
        this.users = users;
        this.mailetContext = mailetContext;
    }

    @Override
    public void start() {
        Optional<Parameters> parameters = ComponentInit.propertiesFile(properties, SelfServiceConfig.FILE);
        if (parameters.isEmpty()) {
            LOG.info("Tollgate self-service page off: no conf/{}.properties", SelfServiceConfig.FILE);
            return;
        }
        SelfServiceConfig config = ComponentInit.file(SOURCE, () -> SelfServiceConfig.parse(parameters.get()));
        if (!config.enabled()) {
            LOG.info("Tollgate self-service page disabled in conf/{}.properties", SelfServiceConfig.FILE);
            return;
        }
        Path base;
        try {
            base = fileSystem.getBasedir().toPath();
        } catch (java.io.FileNotFoundException e) {
            throw new IllegalStateException(SOURCE + ": James's working directory is missing", e);
        }
        Optional<WebServer.Tls> tls = Optional.empty();
        if (config.tls()) {
            Path keystore = base.resolve(config.keystore());
            if (!keystore.toFile().canRead()) {
                throw new IllegalStateException(SOURCE + ": tls.keystore: cannot read " + keystore);
            }
            tls = Optional.of(new WebServer.Tls(keystore, config.keystoreType(), config.secret()));
        }
        Sessions sessions = new Sessions(config.sessionLifetime(), config.maxSessions(), Clock.systemUTC());
        SecurityPage page = new SecurityPage(mfa, (user, password) -> users.test(Username.of(user), password),
                this::notice, config, sessions);
        WebServer.Settings settings = new WebServer.Settings("tollgate-selfservice", config.bind(), config.port(), tls,
                16, config.maxRequestHeaderSize(), config.maxFormSize(), config.idleTimeout(), config.stopTimeout());
        try {
            server = WebServer.start(settings, page);
        } catch (Exception e) {
            throw new IllegalStateException(SOURCE + ": port " + config.port() + ": cannot serve: " + e.getMessage(), e);
        }
        WebServer started = server;
        Runtime.getRuntime().addShutdownHook(new Thread(started::close, "tollgate-selfservice-stop"));
        LOG.info("Tollgate self-service page listening on {}://{}:{}/", config.tls() ? "https" : "http", config.bind(),
                started.port());
    }

    private void notice(String user, String subject, String text) {
        try {
            MailAddress to = new MailAddress(user);
            MailAddress from = mailetContext.getPostmaster();
            MimeMessage message = new MimeMessage(Session.getInstance(new java.util.Properties()));
            message.setFrom(new InternetAddress(from.asString()));
            message.setRecipient(Message.RecipientType.TO, new InternetAddress(to.asString()));
            message.setSubject(subject, "UTF-8");
            message.setText(text, "UTF-8");
            message.setSentDate(new java.util.Date());
            message.setHeader("Auto-Submitted", "auto-generated");
            message.saveChanges();
            mailetContext.sendMail(from, List.of(to), message);
        } catch (Exception e) {
            LOG.warn("Self-service: could not send the notice '{}' to {}: {}", subject, user, e.getMessage());
        }
    }

    /** Stops serving (tests; James itself has no stop hook for user startables). */
    public void stop() {
        WebServer s = server;
        if (s != null) {
            s.close();
        }
    }
}
