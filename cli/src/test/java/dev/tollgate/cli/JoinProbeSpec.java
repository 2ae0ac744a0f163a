package dev.tollgate.cli;

import dev.tollgate.core.config.ComponentSpec;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;

/**
 * Test-only spec (registered in test resources): always refuses, reporting the parameter names and the
 * value of {@code item} it received, so tests can see how the XML was turned into parameters.
 */
public final class JoinProbeSpec implements ComponentSpec {
    static final String CLASS_NAME = "dev.tollgate.test.JoinProbe";

    @Override
    public String className() {
        return CLASS_NAME;
    }

    @Override
    public Kind kind() {
        return Kind.MAILET;
    }

    @Override
    public void validate(Parameters parameters, String condition) {
        throw new ConfigException("item", "names=" + parameters.names() + " item=["
                + parameters.string("item", "") + "]");
    }
}
