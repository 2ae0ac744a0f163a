package dev.tollgate.core.config;

/**
 * Describes one Tollgate component that an administrator names in James's configuration, and validates its
 * configuration exactly as the component's {@code init} does at James startup.
 *
 * <p>Implementations are registered with {@link java.util.ServiceLoader} in the adapter modules and
 * read by {@code tollgate check-config}. They must not touch James APIs.
 */
public interface ComponentSpec {
    /** Where James names the component. */
    enum Kind {
        /** {@code <mailet class="...">} in {@code mailetcontainer.xml}. */
        MAILET,
        /** {@code <mailet match="...=condition">} in {@code mailetcontainer.xml}. */
        MATCHER,
        /** {@code <handler class="...">} in {@code smtpserver.xml}. */
        SMTP_HANDLER,
        /**
         * A class listed in {@code extensions.routes} of {@code webadmin.properties}; its parameters are the
         * keys of that file that start with {@code tollgate.}.
         */
        WEBADMIN_ROUTES
    }

    /** @return the fully qualified class name written in the XML */
    String className();

    /** @return where the component is declared */
    Kind kind();

    /**
     * Validates a declaration.
     *
     * @param parameters the init parameters (mailets, handlers), the {@code tollgate.} keys of
     *                   {@code webadmin.properties} (WebAdmin routes); empty for matchers
     * @param condition  the matcher condition (text after the first {@code =}), or null
     * @throws ConfigException naming the parameter (or {@code condition}) and the reason
     */
    void validate(Parameters parameters, String condition);
}
