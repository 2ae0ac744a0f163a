package dev.tollgate.bench;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * Loads {@code dev.tollgate} classes from the given jars first and everything else (James, JavaMail, jsoup, the
 * JDK) from the parent, so two builds of Tollgate can be timed side by side in one JVM.
 */
final class TollgateFirstLoader extends URLClassLoader {
    TollgateFirstLoader(URL[] jars, ClassLoader parent) {
        super(jars, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith("dev.tollgate.")) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                c = findClass(name);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }
}
