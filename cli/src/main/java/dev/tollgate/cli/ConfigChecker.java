package dev.tollgate.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

import dev.tollgate.core.config.ComponentSpec;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.HomePaths;
import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.mfa.MailboxDoors;
import dev.tollgate.james.links.RewriteLinksConfig;

/**
 * Walks {@code mailetcontainer.xml}, {@code smtpserver.xml} and {@code webadmin.properties} as James 3.8.1 reads
 * them, validates every Tollgate component with its {@link ComponentSpec}, and applies the James startup checks
 * that concern every mailet ({@code onMailetException} / {@code onMatcherException} targets, processors
 * {@code root} and {@code error}). An enabled WebAdmin without {@link #BROWSER_GUARD} is an error.
 *
 * <p>Not thread-safe: one instance per run.
 */
final class ConfigChecker {
    static final String TOLLGATE_PREFIX = "dev.tollgate.";
    /** The WebAdmin routes extension that keeps web pages away from WebAdmin (James 3.8.1 answers them with CORS). */
    static final String BROWSER_GUARD = "dev.tollgate.james.webadmin.BrowserRequestGuard";
    static final String REWRITE_LINKS = "dev.tollgate.james.links.RewriteLinks";
    static final String REDIRECTOR_STARTABLE = "dev.tollgate.james.links.ClickRedirectorStartable";

    /** A component declaration kept for checks across files. */
    private static final class Declaration {
        final String file;
        final int line;
        final String element;
        final Map<String, String> parameters;
        /** The mailet's condition: {@code match} or {@code notmatch} with its value, as {@code condition(match, notMatch)} gives it. */
        final String condition;

        Declaration(String file, int line, String element, Map<String, String> parameters, String condition) {
            this.file = file;
            this.line = line;
            this.element = element;
            this.parameters = parameters;
            this.condition = condition;
        }
    }

    private final List<Declaration> rewriteLinks = new ArrayList<>();
    /** Values commons-configuration (James's reader of {@code .properties}) takes for {@code true}. */
    private static final Set<String> TRUE = Set.of("true", "yes", "on", "y", "t");
    /**
     * James 3.8.1 reads {@code onMailetException} and {@code onMatchException} when a mailet or its matcher
     * fails, but its startup check looks at {@code onMailetException} and a misspelt {@code onMatcherException}:
     * all three are checked here, so a wrong target is found before mail is misrouted.
     */
    private static final Set<String> EXCEPTION_PARAMETERS = Set.of("onMailetException", "onMatchException",
            "onMatcherException");

    private final SpecRegistry registry;
    private final List<Finding> findings = new ArrayList<>();
    private final List<String> components = new ArrayList<>();
    private final List<String> internalErrors = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    ConfigChecker(SpecRegistry registry) {
        this.registry = registry;
    }

    /** @return the errors found so far, in file order */
    List<Finding> findings() {
        // A settings file several components name (linkSettings) is reported once, where the file itself is checked.
        List<Finding> out = new ArrayList<>();
        for (Finding f : findings) {
            if (!reportedInItsOwnFile(f)) {
                out.add(f);
            }
        }
        return Collections.unmodifiableList(out);
    }

    private boolean reportedInItsOwnFile(Finding f) {
        String reason = f.reason();
        int in = reason.lastIndexOf(" (in ");
        if (f.parameter() == null || in < 0 || !reason.endsWith(")")) {
            return false;
        }
        Path named;
        try {
            named = Path.of(reason.substring(in + 5, reason.length() - 1)).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
        for (Finding other : findings) {
            if (other != f && f.parameter().equals(other.parameter())
                    && Path.of(other.file()).toAbsolutePath().normalize().equals(named)) {
                return true;
            }
        }
        return false;
    }

    /** @return one line per Tollgate declaration checked */
    List<String> components() {
        return Collections.unmodifiableList(components);
    }

    /** @return problems of Tollgate itself (a spec that needs James classes), not of the configuration */
    List<String> internalErrors() {
        return Collections.unmodifiableList(internalErrors);
    }

    /** @return informational lines (skipped sections) */
    List<String> notes() {
        return Collections.unmodifiableList(notes);
    }

    // ---------------------------------------------------------------- mailetcontainer.xml

    void checkMailetContainer(Document document, String file) {
        Element root = document.getDocumentElement();
        List<Element> processorsElements = Dom.children(root, "processors");
        if (processorsElements.isEmpty()) {
            findings.add(new Finding(file, XmlFiles.lineOf(root), "<" + root.getTagName() + ">", null,
                    "no <processors> element; James needs processors named root and error"));
            return;
        }
        Element processorsElement = processorsElements.get(0);
        List<Element> processors = Dom.children(processorsElement, "processor");
        Set<String> states = new LinkedHashSet<>();
        for (Element processor : processors) {
            String state = Dom.attribute(processor, "state");
            if (state == null) {
                findings.add(new Finding(file, XmlFiles.lineOf(processor), "<processor>", null,
                        "the state attribute is required (James: Processor state attribute must be configured)"));
            } else if ("ghost".equals(state)) {
                findings.add(new Finding(file, XmlFiles.lineOf(processor), "<processor state=\"ghost\">", null,
                        "the state ghost is reserved by James"));
            } else {
                states.add(state);
            }
        }
        for (String required : new String[] {"root", "error"}) {
            if (!states.contains(required)) {
                findings.add(new Finding(file, XmlFiles.lineOf(processorsElement), "<processors>", null,
                        "no processor named '" + required + "'; James requires processors root and error"));
            }
        }
        for (Element processor : processors) {
            String state = Dom.attribute(processor, "state");
            String where = " in processor '" + state + "'";
            for (Element child : Dom.children(processor)) {
                if (child.getTagName().equals("matcher")) {
                    checkMatcherTree(child, file, where);
                } else if (child.getTagName().equals("mailet")) {
                    checkMailet(child, file, where, states);
                }
            }
        }
        checkRewriteLinksAgree();
    }

    /**
     * RewriteLinks mailets with the same condition (the shipped {@code transport} and {@code dlp-released} both rewrite
     * for {@code HostIsLocal}) should rewrite alike when the same readers' mail reaches both: it does in the shipped
     * configuration, by two roads (delivered directly, released from the DLP quarantine), and a parameter in effect
     * on one only (another redirector URL, key, mode) would give a reader other links, or none, depending on the
     * road. Which mail reaches which processor is the configuration's own routing, which this command does not
     * follow (a processor per domain may rightly have its own redirector), so each differing parameter is a note,
     * not an error, at the later mailet, naming the first one's line. Values are compared as the mailet reads them
     * ({@link RewriteLinksConfig#differingParameters}); James's own exception parameters and {@code splitProcessor}
     * name processors and are not compared. A mailet that does not parse is left to its own check.
     */
    private void checkRewriteLinksAgree() {
        Map<String, Declaration> first = new LinkedHashMap<>();
        Map<Declaration, RewriteLinksConfig> configs = new IdentityHashMap<>();
        for (Declaration d : rewriteLinks) {
            Map<String, String> own = new LinkedHashMap<>(d.parameters);
            own.keySet().removeAll(EXCEPTION_PARAMETERS);
            try {
                configs.put(d, RewriteLinksConfig.parse(Parameters.of(own)));
            } catch (ConfigException | IllegalArgumentException e) {
                continue;
            }
            Declaration earlier = first.putIfAbsent(d.condition, d);
            if (earlier == null) {
                continue;
            }
            String there = earlier.element.substring(earlier.element.indexOf('>') + 1);
            // the condition without its value, which may be a secret (a header value a matcher looks for)
            String shown = d.condition.substring(0, d.condition.indexOf('=') + 1)
                    + shortMatch(d.condition.substring(d.condition.indexOf('=') + 1));
            for (String name : configs.get(d).differingParameters(configs.get(earlier))) {
                notes.add(d.file + ":" + d.line + ": " + d.element + ": parameter '" + name + "' differs from the"
                        + " RewriteLinks with the same " + shown + " at line " + earlier.line + there + " (the values"
                        + " in effect, defaults and linkSettings files included): if the same readers' mail reaches"
                        + " both, as in the shipped transport and dlp-released, it gets other links depending on the"
                        + " processor it passed through; give both the same parameters");
            }
        }
    }

    /**
     * @return {@code match=NAME[=CONDITION]} or {@code notmatch=...} as written, trimmed, with James's own matcher
     *     package left out of the name (James finds {@code HostIsLocal} there); {@code match=All} without either
     */
    private static String condition(String match, String notMatch) {
        String kind = match != null ? "match=" : notMatch != null ? "notmatch=" : null;
        if (kind == null) {
            return "match=All";
        }
        String value = (match != null ? match : notMatch).trim();
        String jamesMatchers = "org.apache.james.transport.matchers.";
        return kind + (value.startsWith(jamesMatchers) ? value.substring(jamesMatchers.length()) : value);
    }

    private void checkMatcherTree(Element matcher, String file, String where) {
        String match = Dom.attribute(matcher, "match");
        String name = Dom.attribute(matcher, "name");
        if (match != null) {
            String element = "<matcher" + (name == null ? "" : " name=\"" + name + "\"") + " match=\""
                    + shortMatch(match) + "\">" + where;
            checkMatcher(match, file, XmlFiles.lineOf(matcher), element);
        }
        String inside = name == null ? where : " inside <matcher name=\"" + name + "\">" + where;
        for (Element nested : Dom.children(matcher, "matcher")) {
            checkMatcherTree(nested, file, inside);
        }
    }

    private void checkMailet(Element mailet, String file, String where, Set<String> states) {
        int line = XmlFiles.lineOf(mailet);
        String className = Dom.attribute(mailet, "class");
        String match = Dom.attribute(mailet, "match");
        String notMatch = Dom.attribute(mailet, "notmatch");
        String mailetElement = "<mailet class=\"" + className + "\">" + where;
        if (match != null && notMatch != null) {
            findings.add(new Finding(file, line, mailetElement, null,
                    "configure only one of match and notmatch (James refuses both)"));
        } else if (match != null) {
            checkMatcher(match, file, line, "<mailet match=\"" + shortMatch(match) + "\">" + where);
        } else if (notMatch != null) {
            checkMatcher(notMatch, file, line, "<mailet notmatch=\"" + shortMatch(notMatch) + "\">" + where);
        }

        Map<String, String> parameters = InitParameters.of(mailet);
        for (String name : EXCEPTION_PARAMETERS) {
            String value = parameters.get(name);
            if (value != null) {
                checkExceptionTarget(mailet, name, value.trim(), states, file, mailetElement);
            }
        }
        if (REWRITE_LINKS.equals(className)) {
            rewriteLinks.add(new Declaration(file, line, mailetElement, parameters, condition(match, notMatch)));
        }
        if (className != null && className.startsWith(TOLLGATE_PREFIX)) {
            validate(ComponentSpec.Kind.MAILET, className, mailet, parameters, null, file, line, mailetElement);
        } else if (className != null) {
            checkShortName(ComponentSpec.Kind.MAILET, className, file, line, mailetElement);
        }
    }

    /**
     * James resolves a class name without a package only under {@code org.apache.james.transport.mailets}
     * and {@code .matchers} (and not at all for SMTP handlers and WebAdmin routes), so a Tollgate component
     * named by its simple name makes James fail to start.
     */
    private void checkShortName(ComponentSpec.Kind kind, String name, String file, int line, String element) {
        if (name.indexOf('.') >= 0) {
            return;
        }
        String resolution = kind == ComponentSpec.Kind.WEBADMIN_ROUTES
                ? "James resolves no short names in extensions.routes"
                : "short names resolve only to James's own " + word(kind) + "s";
        registry.fullName(kind, name).ifPresent(full -> findings.add(new Finding(file, line, element, null,
                "James cannot find a class named " + name + " (" + resolution + "); write the fully qualified name "
                        + full)));
    }

    /**
     * James 3.8.1 checks at startup that the raw value is propagate, ignore or an existing processor, and
     * lower-cases it when a mailet fails; only lower-case names of existing processors work both times.
     */
    private void checkExceptionTarget(Element mailet, String parameter, String value, Set<String> states,
                                      String file, String element) {
        boolean lowerCase = value.equals(value.toLowerCase(Locale.US));
        boolean keyword = value.equals("propagate") || value.equals("ignore");
        if (keyword || (lowerCase && states.contains(value))) {
            return;
        }
        Element at = InitParameters.elementFor(mailet, parameter);
        int line = at == null ? XmlFiles.lineOf(mailet) : XmlFiles.lineOf(at);
        String reason;
        if (states.contains(value)) {
            reason = "processor names in " + parameter + " must be lower case and exist: James lower-cases '"
                    + value + "' when a mailet fails, and there is no processor '"
                    + value.toLowerCase(Locale.US) + "'";
        } else {
            reason = "processor names in " + parameter + " must be lower case and exist: '" + value
                    + "' is neither error, ignore, propagate nor a processor of this file";
        }
        findings.add(new Finding(file, line, element, parameter, reason));
    }

    private void checkMatcher(String expression, String file, int line, String element) {
        int equals = expression.indexOf('=');
        String name = equals < 0 ? expression : expression.substring(0, equals);
        String condition = equals < 0 ? null : expression.substring(equals + 1);
        if (name.startsWith(TOLLGATE_PREFIX)) {
            validate(ComponentSpec.Kind.MATCHER, name, null, Map.of(), condition, file, line, element);
        } else {
            checkShortName(ComponentSpec.Kind.MATCHER, name, file, line, element);
        }
    }

    // ---------------------------------------------------------------- smtpserver.xml

    void checkSmtpServers(Document document, String file) {
        Element root = document.getDocumentElement();
        int index = 0;
        for (Element server : Dom.children(root, "smtpserver")) {
            index++;
            String jmxName = Dom.childText(server, "jmxName");
            String label = jmxName == null || jmxName.isEmpty() ? "#" + index : "'" + jmxName + "'";
            String enabled = Dom.attribute(server, "enabled");
            if (enabled != null && enabled.trim().equalsIgnoreCase("false")) {
                notes.add(file + ":" + XmlFiles.lineOf(server) + ": smtpserver " + label
                        + " is disabled: James does not load its handlers, skipped");
                continue;
            }
            for (Element chain : Dom.children(server, "handlerchain")) {
                for (Element handler : Dom.children(chain, "handler")) {
                    String className = Dom.attribute(handler, "class");
                    if (className != null && className.startsWith(TOLLGATE_PREFIX)) {
                        String element = "<handler class=\"" + className + "\"> in smtpserver " + label;
                        validate(ComponentSpec.Kind.SMTP_HANDLER, className, handler, InitParameters.of(handler),
                                null, file, XmlFiles.lineOf(handler), element);
                    } else if (className != null) {
                        checkShortName(ComponentSpec.Kind.SMTP_HANDLER, className, file, XmlFiles.lineOf(handler),
                                "<handler class=\"" + className + "\"> in smtpserver " + label);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- Tollgate's properties files

    /**
     * Validates a properties file a Tollgate component reads at startup ({@code tollgate-mfa.properties},
     * {@code tollgate-links.properties}, ...) with the same parse method. The parse stops at its first error, so
     * after each error the key in error is left out and the file parsed again: every key written in the file
     * that is wrong is reported, each once. A key written more than once is reported at its last line, since
     * commons-configuration joins all its values with {@code ,}.
     */
    void checkSettingsFile(PropertiesFile properties, String file, Consumer<Parameters> parse) {
        String element = "settings read at James startup";
        components.add(file + ": " + element);
        Map<String, String> remaining = new LinkedHashMap<>(properties.values());
        Set<String> reported = new HashSet<>();
        while (true) {
            try {
                parse.accept(Parameters.of(remaining));
                return;
            } catch (ConfigException e) {
                String key = e.parameter();
                boolean leftOut = key != null && !remaining.containsKey(key) && properties.values().containsKey(key);
                if (leftOut || (key != null && !reported.add(key))) {
                    // The error follows from leaving out a key already reported: nothing new to say.
                    return;
                }
                List<Integer> at = key == null ? List.of() : properties.linesOf(key);
                String reason = e.reason();
                if (at.size() > 1) {
                    reason += " (the key is written on lines " + at.stream().map(String::valueOf)
                            .collect(Collectors.joining(", ")) + "; James joins its values with ',')";
                }
                findings.add(new Finding(file, at.isEmpty() ? 0 : at.get(at.size() - 1), element, key, reason));
                if (key == null || !remaining.containsKey(key)) {
                    return;
                }
                remaining.remove(key);
            }
        }
    }

    /** A file a listed component needs is missing: James would not start. */
    void missingFile(String file, String neededBy) {
        findings.add(new Finding(file, 0, "file", null, "is missing; " + neededBy + " reads it at startup"
                + " (James would fail to start)"));
    }

    /**
     * RewriteLinks must sign with the key file the local redirector verifies with; a RewriteLinks that names its
     * own {@code keyFile} (rather than {@code linkSettings}) is compared with the redirector's.
     */
    void checkLinkKeyFiles(Path redirectorKeyFile, String redirectorFile) {
        for (Declaration d : rewriteLinks) {
            String keyFile = d.parameters.get("keyFile");
            String settings = d.parameters.get("linkSettings");
            String source = "keyFile";
            if (settings != null && !settings.isBlank()) {
                keyFile = keyFileOf(HomePaths.resolve(settings));
                source = "linkSettings";
            }
            if (keyFile == null || keyFile.isBlank()) {
                continue;
            }
            if (!HomePaths.resolve(keyFile).normalize().equals(redirectorKeyFile.normalize())) {
                findings.add(new Finding(d.file, d.line, d.element, source, "signs with " + keyFile + ", not with the"
                        + " key file the redirector verifies with (keyFile of " + redirectorFile + "): its links would"
                        + " be refused when clicked; name " + redirectorFile + " in linkSettings (a check of"
                        + " check-config's own: James would start)"));
            }
        }
    }

    /** @return the keyFile a link settings file gives, or null when it cannot be read (its own check reports it) */
    private static String keyFileOf(Path settings) {
        try {
            return PropertiesFile.read(settings).values().get("keyFile");
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Checks the Tollgate classes named in {@code extensions.properties} (Guice modules, startables) exist,
     * naming the class that replaced an old name.
     */
    void checkExtensions(PropertiesFile properties, String file, ClassLoader loader) {
        for (Map.Entry<String, String> entry : properties.values().entrySet()) {
            for (String name : Parameters.of(Map.of("v", entry.getValue())).list("v")) {
                if (!name.startsWith(TOLLGATE_PREFIX)) {
                    continue;
                }
                String element = entry.getKey() + " entry " + name;
                components.add(file + ":" + properties.lineOf(entry.getKey()) + ": " + element);
                if (loader.getResource(name.replace('.', '/') + ".class") != null) {
                    continue;
                }
                String simpleName = name.substring(name.lastIndexOf('.') + 1);
                // Modules and startables sit in their capability's package, beside its components.
                String renamed = registry.packages().stream().map(p -> p + "." + simpleName)
                        .filter(n -> loader.getResource(n.replace('.', '/') + ".class") != null).findFirst()
                        .map(n -> "; it is now named " + n).orElse("");
                findings.add(new Finding(file, properties.lineOf(entry.getKey()), element, null,
                        "no Tollgate class named " + name + " (James would fail to start: class not found)" + renamed));
            }
        }
    }

    // ---------------------------------------------------------------- imapserver.xml, pop3server.xml, managesieveserver.xml

    /** The Guice module that turns MFA on; with it, no protocol may open a mailbox with the password alone. */
    static final String MFA_MODULE = "dev.tollgate.james.mfa.MfaModule";

    /**
     * With MFA on: every {@code <imapPackages>} entry naming a Tollgate class must exist, and the protocol files
     * must pass {@link MailboxDoors} (IMAP through Tollgate's package, POP3 and ManageSieve off), as
     * {@code MfaModule} requires at James's startup. A missing file is a protocol James leaves off (IMAP: on
     * with James's defaults, which is refused).
     *
     * @param imap  {@code imapserver.xml}, or null when absent
     * @param pop3  {@code pop3server.xml}, or null when absent
     * @param sieve {@code managesieveserver.xml}, or null when absent
     */
    void checkMailboxDoors(Document imap, String imapFile, Document pop3, String pop3File, Document sieve,
            String sieveFile, ClassLoader loader) {
        boolean imapEnabled = imap == null || anyEnabled(imap, "imapserver");
        List<String> packages = new ArrayList<>();
        int packagesLine = 0;
        if (imap != null) {
            for (Element p : Dom.children(imap.getDocumentElement(), "imapPackages")) {
                String name = p.getTextContent().trim();
                packages.add(name);
                packagesLine = packagesLine == 0 ? XmlFiles.lineOf(p) : packagesLine;
                components.add(imapFile + ":" + XmlFiles.lineOf(p) + ": <imapPackages>" + name + "</imapPackages>");
                // Other Tollgate names are reported by MailboxDoors as not the package.
                if (name.equals(MailboxDoors.IMAP_PACKAGE) && loader.getResource(name.replace('.', '/') + ".class") == null) {
                    findings.add(new Finding(imapFile, XmlFiles.lineOf(p), "<imapPackages>", null, "no Tollgate class "
                            + "named " + name + " (James would fail to start: class not found; is tollgate-james in "
                            + "extensions-jars?)"));
                }
            }
        }
        for (MailboxDoors.Problem problem : MailboxDoors.check(imapEnabled, packages,
                pop3 != null && anyEnabled(pop3, "pop3server"), sieve != null && anyEnabled(sieve, "managesieveserver"))) {
            String file;
            int line;
            if (problem.file().equals(MailboxDoors.POP3_FILE)) {
                file = pop3File;
                line = firstEnabledLine(pop3, "pop3server");
            } else if (problem.file().equals(MailboxDoors.MANAGESIEVE_FILE)) {
                file = sieveFile;
                line = firstEnabledLine(sieve, "managesieveserver");
            } else {
                file = imapFile;
                line = packagesLine > 0 ? packagesLine : imap == null ? 0 : XmlFiles.lineOf(imap.getDocumentElement());
            }
            String element = problem.file().equals(MailboxDoors.IMAP_FILE) ? "<imapservers>"
                    : "<" + problem.file().replace(".xml", "") + ">";
            findings.add(new Finding(file, line, element, null, problem.message() + " (required while "
                    + MFA_MODULE + " is listed in extensions.properties)"));
        }
    }

    /** As James 3.8.1 reads them: each {@code <tag>} is a server, enabled unless {@code enabled} is false. */
    private static boolean anyEnabled(Document document, String tag) {
        return firstEnabledLine(document, tag) > 0;
    }

    private static int firstEnabledLine(Document document, String tag) {
        for (Element server : Dom.children(document.getDocumentElement(), tag)) {
            String enabled = Dom.attribute(server, "enabled");
            if (enabled == null || TRUE.contains(enabled.trim().toLowerCase(Locale.ROOT))) {
                return Math.max(1, XmlFiles.lineOf(server));
            }
        }
        return 0;
    }

    // ---------------------------------------------------------------- webadmin.properties

    /**
     * Validates the Tollgate classes of {@code extensions.routes} (with the file's {@code tollgate.} keys), and
     * refuses an enabled WebAdmin without {@link #BROWSER_GUARD}: WebAdmin has no authentication unless JWT is
     * set up, and James 3.8.1 answers cross-origin requests whatever {@code cors.enable} says.
     */
    void checkWebAdmin(PropertiesFile properties, String file) {
        Map<String, String> values = properties.values();
        int routesLine = properties.lineOf("extensions.routes");
        Parameters parameters = Parameters.of(values);
        List<String> routes = parameters.list("extensions.routes");
        Set<String> reported = new LinkedHashSet<>();
        for (String route : routes) {
            String element = "extensions.routes entry " + route;
            if (route.startsWith(TOLLGATE_PREFIX)) {
                int before = findings.size();
                validateSpec(ComponentSpec.Kind.WEBADMIN_ROUTES, route,
                        name -> properties.lineOf(name) > 0 ? properties.lineOf(name) : routesLine,
                        parameters, null, file, routesLine, element);
                // Several Tollgate routes read the same tollgate. keys: report a bad key once.
                for (int i = findings.size() - 1; i >= before; i--) {
                    Finding f = findings.get(i);
                    if (f.parameter() != null && !reported.add(f.parameter() + ": " + f.reason())) {
                        findings.remove(i);
                    }
                }
            } else {
                checkShortName(ComponentSpec.Kind.WEBADMIN_ROUTES, route, file, routesLine, element);
            }
        }
        String enabled = values.get("enabled");
        boolean on = enabled != null && TRUE.contains(enabled.trim().toLowerCase(Locale.ROOT));
        if (on && !routes.contains(BROWSER_GUARD)) {
            int line = routesLine > 0 ? routesLine : properties.lineOf("enabled");
            findings.add(new Finding(file, line, "WebAdmin (enabled=" + enabled.trim() + ")", "extensions.routes",
                    "WebAdmin is enabled without " + BROWSER_GUARD + ": James 3.8.1 answers every cross-origin "
                            + "request and CORS preflight whatever cors.enable says, so any web page the administrator "
                            + "opens can call it; add the guard to extensions.routes"));
        }
        if (!on) {
            notes.add(file + ": WebAdmin is disabled (enabled is not true): its routes are not loaded");
        }
    }

    // ---------------------------------------------------------------- shared

    private void validate(ComponentSpec.Kind kind, String className, Element declaring,
                          Map<String, String> parameters, String condition, String file, int line,
                          String element) {
        validateSpec(kind, className, name -> {
            Element at = declaring == null ? null : InitParameters.elementFor(declaring, name);
            return at == null ? line : XmlFiles.lineOf(at);
        }, Parameters.of(parameters), condition, file, line, element);
    }

    /** @param lineOfParameter the line to report for a parameter the spec refuses */
    private void validateSpec(ComponentSpec.Kind kind, String className, ToIntFunction<String> lineOfParameter,
                              Parameters parameters, String condition, String file, int line, String element) {
        components.add(file + ":" + line + ": " + element + " (" + word(kind) + ")");
        ComponentSpec spec = registry.find(kind, className);
        if (spec == null) {
            // Components moved packages before 1.0: name the class that replaced an old name.
            String simpleName = className.substring(className.lastIndexOf('.') + 1);
            String renamed = registry.fullName(kind, simpleName).map(n -> "; it is now named " + n).orElse("");
            findings.add(new Finding(file, line, element, null, "no Tollgate " + word(kind) + " named "
                    + className + " (James would fail to start: class not found)" + renamed));
            return;
        }
        try {
            spec.validate(parameters, condition);
        } catch (ConfigException e) {
            findings.add(new Finding(file, lineOfParameter.applyAsInt(e.parameter()), element, e.parameter(),
                    e.reason()));
        } catch (LinkageError e) {
            internalErrors.add("the check of " + className + " needs classes that are not in the tollgate "
                    + "command (" + e + "); this is a Tollgate bug, please report it");
        } catch (RuntimeException e) {
            // Never print the message: it might quote a secret value.
            findings.add(new Finding(file, line, element, null, "refused by its validation ("
                    + e.getClass().getName() + "); James would fail to start"));
        }
    }

    /** The matcher name, with any condition shown as "...": output stays free of configured values. */
    private static String shortMatch(String expression) {
        int equals = expression.indexOf('=');
        return equals < 0 ? expression : expression.substring(0, equals) + "=...";
    }

    private static String word(ComponentSpec.Kind kind) {
        switch (kind) {
            case MAILET:
                return "mailet";
            case MATCHER:
                return "matcher";
            case WEBADMIN_ROUTES:
                return "WebAdmin routes";
            default:
                return "handler";
        }
    }
}
