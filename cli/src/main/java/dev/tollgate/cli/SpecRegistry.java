package dev.tollgate.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;

import dev.tollgate.core.config.ComponentSpec;

/**
 * The {@link ComponentSpec}s registered with {@link ServiceLoader}, indexed by kind and class name.
 *
 * <p>Class names are read from {@link ComponentSpec#className()}, which must return a string literal:
 * referring to the component's class would load it and its James superclass, which is not on this class
 * path. A spec whose {@code className()} fails that way is listed in {@link #unusable()}.
 */
final class SpecRegistry {
    private final Map<String, ComponentSpec> specs;
    private final List<String> unusable;

    private SpecRegistry(Map<String, ComponentSpec> specs, List<String> unusable) {
        this.specs = specs;
        this.unusable = unusable;
    }

    /** The service registry could not be read (broken META-INF/services entry). */
    static final class RegistryException extends Exception {
        private static final long serialVersionUID = 1L;

        RegistryException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** @throws RegistryException when a registered spec cannot be instantiated */
    static SpecRegistry load(ClassLoader loader) throws RegistryException {
        Map<String, ComponentSpec> specs = new LinkedHashMap<>();
        List<String> unusable = new ArrayList<>();
        Iterator<ComponentSpec> it = ServiceLoader.load(ComponentSpec.class, loader).iterator();
        while (true) {
            ComponentSpec spec;
            try {
                if (!it.hasNext()) {
                    break;
                }
                spec = it.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                throw new RegistryException("cannot load the Tollgate component specs: " + e.getMessage(), e);
            }
            String name;
            try {
                name = spec.className();
            } catch (LinkageError e) {
                unusable.add(spec.getClass().getName());
                continue;
            }
            specs.putIfAbsent(key(spec.kind(), name), spec);
        }
        return new SpecRegistry(specs, Collections.unmodifiableList(unusable));
    }

    /** @return the spec for that class name and kind, or null */
    ComponentSpec find(ComponentSpec.Kind kind, String className) {
        return specs.get(key(kind, className));
    }

    /** @return the fully qualified name of the Tollgate component of that kind whose simple name is given */
    Optional<String> fullName(ComponentSpec.Kind kind, String simpleName) {
        String prefix = kind.name().toLowerCase(Locale.ROOT) + " ";
        return specs.keySet().stream().filter(k -> k.startsWith(prefix))
                .map(k -> k.substring(prefix.length()))
                .filter(n -> n.substring(n.lastIndexOf('.') + 1).equals(simpleName))
                .findFirst();
    }

    /** @return the packages of the registered components, in registration order */
    Set<String> packages() {
        Set<String> packages = new LinkedHashSet<>();
        for (String key : specs.keySet()) {
            String className = key.substring(key.indexOf(' ') + 1);
            packages.add(className.substring(0, className.lastIndexOf('.')));
        }
        return packages;
    }

    /** @return "kind class" for each registered spec, in registration order */
    List<String> describe() {
        return new ArrayList<>(specs.keySet());
    }

    /** @return specs whose class name could not be read without James on the class path */
    List<String> unusable() {
        return unusable;
    }

    private static String key(ComponentSpec.Kind kind, String className) {
        return kind.name().toLowerCase(Locale.ROOT) + " " + className;
    }
}
