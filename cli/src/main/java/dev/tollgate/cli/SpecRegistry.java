package dev.tollgate.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

import dev.tollgate.core.config.ComponentSpec;

/**
 * The {@link ComponentSpec}s registered with {@link ServiceLoader}, indexed by kind and class name.
 *
 * <p>Class names are read from {@link ComponentSpec#className()}. A spec written as
 * {@code return SomeMailet.class.getName();} makes the JVM load {@code SomeMailet} and therefore its
 * James superclass, which is not on this class path: the call fails with a {@link LinkageError}. For such
 * a spec the class name is derived from the spec's own name ({@code XConfig$Spec}, {@code XConfig.Spec},
 * {@code XSpec} or {@code X$Spec} give {@code X} in the same package) and accepted only when the class
 * file {@code X.class} is present, which is checked without loading it. Such specs are listed in
 * {@link #derivedNames()} so that they can be fixed.
 */
final class SpecRegistry {
    private final Map<String, ComponentSpec> specs;
    private final List<String> derived;
    private final List<String> unusable;

    private SpecRegistry(Map<String, ComponentSpec> specs, List<String> derived, List<String> unusable) {
        this.specs = specs;
        this.derived = derived;
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
        List<String> derived = new ArrayList<>();
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
                name = derive(spec.getClass(), loader);
                if (name == null) {
                    unusable.add(spec.getClass().getName());
                    continue;
                }
                derived.add(spec.getClass().getName() + " -> " + name);
            }
            specs.putIfAbsent(key(spec.kind(), name), spec);
        }
        return new SpecRegistry(specs, Collections.unmodifiableList(derived),
                Collections.unmodifiableList(unusable));
    }

    /** @return the spec for that class name and kind, or null */
    ComponentSpec find(ComponentSpec.Kind kind, String className) {
        return specs.get(key(kind, className));
    }

    /** @return "kind class" for each registered spec, in registration order */
    List<String> describe() {
        return new ArrayList<>(specs.keySet());
    }

    /** @return specs whose class name had to be derived ("spec class -> component class") */
    List<String> derivedNames() {
        return derived;
    }

    /** @return specs whose class name could neither be read nor derived */
    List<String> unusable() {
        return unusable;
    }

    private static String key(ComponentSpec.Kind kind, String className) {
        return kind.name().toLowerCase(Locale.ROOT) + " " + className;
    }

    private static String derive(Class<?> specClass, ClassLoader loader) {
        String name = specClass.getName();
        String[] suffixes = {"Config$Spec", "$Spec", "Spec"};
        for (String suffix : suffixes) {
            if (name.endsWith(suffix) && name.length() > suffix.length()) {
                String candidate = name.substring(0, name.length() - suffix.length());
                if (loader.getResource(candidate.replace('.', '/') + ".class") != null) {
                    return candidate;
                }
            }
        }
        return null;
    }
}
