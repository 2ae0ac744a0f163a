package dev.tollgate.core.mfa;

import java.net.InetAddress;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Set;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;

/**
 * Configuration of the shared {@link MfaService}, read once at James startup from
 * {@code conf/tollgate-mfa.properties} (all keys optional; a missing file means all defaults).
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code policy}</td><td>{@code optional}</td><td>default MFA policy for every domain:
 *       {@code required}, {@code optional} (enrolled users must give a second factor) or
 *       {@code grace-until:YYYY-MM-DD} ({@link MfaPolicy}); SMTP AUTH ({@code MfaAuthHook}) and the
 *       {@code RequireMfa} mailet both read it here</td></tr>
 *   <tr><td>{@code domainPolicies}</td><td>(none)</td><td>{@code domain=policy} entries, comma-separated</td></tr>
 *   <tr><td>{@code authservId}</td><td>this host's name</td><td>the authserv-id (RFC 8601 §2.5) of the
 *       {@code Authentication-Results} field {@code RequireMfa} writes and {@code RemoveForgedTrustHeaders}
 *       removes when a sender forged it</td></tr>
 *   <tr><td>{@code store.directory}</td><td>{@code var/tollgate/mfa}</td><td>directory of the encrypted
 *       {@code FileSecretStore}; relative paths are under James's working directory</td></tr>
 *   <tr><td>{@code store.keyFile}</td><td>{@code conf/tollgate-mfa.key}</td><td>file holding the 32-byte
 *       AES-256-GCM store key in Base64; never written inline in configuration</td></tr>
 *   <tr><td>{@code store.generateKey}</td><td>{@code true}</td><td>create the key file (mode 0600) at first
 *       start when missing, logging its path; with {@code false} a missing key stops James</td></tr>
 *   <tr><td>{@code issuer}</td><td>{@code Tollgate}</td><td>issuer shown by authenticator apps
 *       (otpauth URI)</td></tr>
 *   <tr><td>{@code totp.algorithm}</td><td>{@code sha1}</td><td>{@code sha1}, {@code sha256} or
 *       {@code sha512} for new enrolments (RFC 6238 §1.2)</td></tr>
 *   <tr><td>{@code totp.digits}</td><td>{@code 6}</td><td>code length for new enrolments, 6..8</td></tr>
 *   <tr><td>{@code totp.window}</td><td>{@code 1}</td><td>steps (30 s) accepted either side of now, 0..3
 *       (RFC 6238 §5.2)</td></tr>
 *   <tr><td>{@code separator}</td><td>(none)</td><td>optional text between password and code, at most 4
 *       characters, no digits; the code is always split from the end</td></tr>
 *   <tr><td>{@code appPassword.length}</td><td>{@code 20}</td><td>random characters per app password, 20..64</td></tr>
 *   <tr><td>{@code throttle.baseDelay}</td><td>{@code 1s}</td><td>refusal period after a first failure,
 *       doubled per further failure</td></tr>
 *   <tr><td>{@code throttle.maxDelay}</td><td>{@code 5m}</td><td>cap of that period</td></tr>
 *   <tr><td>{@code throttle.userLockoutThreshold}</td><td>{@code 10}</td><td>consecutive failures that lock a user</td></tr>
 *   <tr><td>{@code throttle.ipLockoutThreshold}</td><td>{@code 100}</td><td>failures that lock a client IP (IPv6: its /64)</td></tr>
 *   <tr><td>{@code throttle.ipFreeFailures}</td><td>{@code 10} (at most ipLockoutThreshold - 1)</td><td>failures from one
 *       address tolerated before it is slowed down, so one user's typos do not delay others behind the same NAT</td></tr>
 *   <tr><td>{@code throttle.lockoutDuration}</td><td>{@code 15m}</td><td>how long a lock lasts after the last failure</td></tr>
 * </table>
 * Durations are written {@code 500ms}, {@code 30s}, {@code 15m}, {@code 1h}. Counters are forgotten after
 * the larger of one hour and the lockout duration.
 */
public final class MfaServiceConfig {
    /** Name of the properties file under {@code conf/}, without extension (as James's PropertiesProvider wants). */
    public static final String FILE = "tollgate-mfa";
    static final Set<String> KEYS = Set.of("policy", "domainPolicies", "authservId", "store.directory", "store.keyFile", "store.generateKey", "issuer",
            "totp.algorithm", "totp.digits", "totp.window", "separator", "appPassword.length", "throttle.baseDelay",
            "throttle.maxDelay", "throttle.userLockoutThreshold", "throttle.ipLockoutThreshold",
            "throttle.ipFreeFailures", "throttle.lockoutDuration");

    private final MfaPolicy.Table policies;
    private final String authservId;
    private final Path storeDirectory;
    private final Path keyFile;
    private final boolean generateKey;
    private final String issuer;
    private final TotpAlgorithm algorithm;
    private final int digits;
    private final int window;
    private final String separator;
    private final int appPasswordLength;
    private final AuthThrottle.Builder throttle;

    private MfaServiceConfig(Parameters p) {
        this.policies = MfaPolicy.Table.parse(p, MfaPolicy.OPTIONAL);
        this.authservId = p.optional("authservId").orElseGet(MfaServiceConfig::localHostName);
        if (!authservId.matches("[A-Za-z0-9._-]{1,253}")) {
            throw new ConfigException("authservId", "must be a host name (letters, digits, '.', '-', '_')");
        }
        this.storeDirectory = path(p, "store.directory", "var/tollgate/mfa");
        this.keyFile = path(p, "store.keyFile", "conf/tollgate-mfa.key");
        this.generateKey = p.bool("store.generateKey", true);
        this.issuer = p.string("issuer", "Tollgate");
        if (issuer.contains(":") || issuer.length() > 100) {
            throw new ConfigException("issuer", "must not contain ':' and be at most 100 characters");
        }
        this.algorithm = p.enumValue("totp.algorithm", TotpAlgorithm.class, TotpAlgorithm.SHA1);
        this.digits = p.intInRange("totp.digits", 6, 6, 8);
        this.window = p.intInRange("totp.window", 1, 0, 3);
        this.separator = p.string("separator", "");
        if (separator.length() > 4 || separator.chars().anyMatch(Character::isDigit)) {
            throw new ConfigException("separator", "at most 4 characters and no digits");
        }
        this.appPasswordLength = p.intInRange("appPassword.length", AppPasswordGenerator.MIN_LENGTH,
                AppPasswordGenerator.MIN_LENGTH, AppPasswordGenerator.MAX_LENGTH);
        Duration base = positive(p, "throttle.baseDelay", Duration.ofSeconds(1));
        Duration max = positive(p, "throttle.maxDelay", Duration.ofMinutes(5));
        if (max.compareTo(base) < 0) {
            throw new ConfigException("throttle.maxDelay", "must not be below throttle.baseDelay");
        }
        Duration lockout = positive(p, "throttle.lockoutDuration", Duration.ofMinutes(15));
        Duration forget = Duration.ofHours(1);
        if (forget.compareTo(lockout) < 0) {
            forget = lockout;
        }
        if (forget.compareTo(max) < 0) {
            forget = max;
        }
        int ipLockout = p.intInRange("throttle.ipLockoutThreshold", 100, 1, 1_000_000);
        int ipFree = p.intInRange("throttle.ipFreeFailures", Math.min(10, ipLockout - 1), 0, ipLockout - 1);
        this.throttle = AuthThrottle.builder().baseDelay(base).maxDelay(max)
                .userLockoutThreshold(p.intInRange("throttle.userLockoutThreshold", 10, 1, 1_000_000))
                .ipLockoutThreshold(ipLockout).ipFreeFailures(ipFree)
                .lockoutDuration(lockout).forgetAfter(forget);
    }

    /**
     * @param parameters the keys of {@code tollgate-mfa.properties}
     * @throws ConfigException naming the key for an unknown key or an invalid value
     */
    public static MfaServiceConfig parse(Parameters parameters) {
        parameters.requireKnown(KEYS);
        return new MfaServiceConfig(parameters);
    }

    /** @return this host's canonical name when it is a plain host name, else {@code localhost} */
    static String localHostName() {
        try {
            String name = InetAddress.getLocalHost().getCanonicalHostName();
            return name.matches("[A-Za-z0-9._-]{1,253}") ? name : "localhost";
        } catch (Exception e) {
            return "localhost";
        }
    }

    /** @return the MFA policy of each domain (SMTP AUTH and {@code RequireMfa}) */
    public MfaPolicy.Table policies() {
        return policies;
    }

    /** @return the authserv-id of the {@code Authentication-Results} field Tollgate writes (RFC 8601 §2.5) */
    public String authservId() {
        return authservId;
    }

    private static Path path(Parameters p, String name, String dflt) {
        try {
            return Paths.get(p.string(name, dflt));
        } catch (RuntimeException e) {
            throw new ConfigException(name, "not a valid path", e);
        }
    }

    private static Duration positive(Parameters p, String name, Duration dflt) {
        Duration d = p.duration(name, dflt);
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException(name, "must be a positive duration");
        }
        return d;
    }

    /** @return the store directory, possibly relative to James's working directory */
    public Path storeDirectory() {
        return storeDirectory;
    }

    /** @return the key file, possibly relative to James's working directory */
    public Path keyFile() {
        return keyFile;
    }

    /** @return whether a missing key file is generated */
    public boolean generateKey() {
        return generateKey;
    }

    /** @return the otpauth issuer */
    public String issuer() {
        return issuer;
    }

    /** @return the TOTP algorithm of new enrolments */
    public TotpAlgorithm algorithm() {
        return algorithm;
    }

    /** @return the code length of new enrolments */
    public int digits() {
        return digits;
    }

    /** @return the verification window in steps */
    public int window() {
        return window;
    }

    /** @return the password/code separator, empty for none */
    public String separator() {
        return separator;
    }

    /** @return the app password length in random characters */
    public int appPasswordLength() {
        return appPasswordLength;
    }

    /** @return a throttle builder preset with these settings (the caller may set the clock) */
    public AuthThrottle.Builder throttle() {
        return throttle;
    }
}
