package dev.tollgate.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** Reads a {@code .properties} file of James's {@code conf/} the way James's properties reader does. */
public final class PropertiesFiles {
    private PropertiesFiles() {
    }

    /**
     * Reads ISO-8859-1 text with {@code \\uXXXX} escapes ({@link Properties#load(InputStream)}, as James's reader);
     * a key given more than once keeps every value, joined by {@code ,} in file order (commons-configuration keeps
     * them all).
     *
     * @return the keys and values in file order, unmodifiable
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException when it has a malformed {@code \\uXXXX} escape
     */
    public static Map<String, String> read(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        Properties joining = new Properties() {
            private static final long serialVersionUID = 1L;

            @Override
            public synchronized Object put(Object key, Object value) {
                values.merge((String) key, (String) value, (a, b) -> a + "," + b);
                return super.put(key, value);
            }
        };
        try (InputStream in = Files.newInputStream(file)) {
            joining.load(in);
        }
        return Collections.unmodifiableMap(values);
    }
}
