package dev.tollgate.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tollgate.core.config.PropertiesFiles;

/**
 * A James {@code .properties} file (e.g. {@code webadmin.properties}) as James 3.8.1's {@code PropertiesProvider}
 * reads it for the keys Tollgate cares about: the {@code .properties} syntax, a key written more than once gives
 * all its values joined with {@code ,} (commons-configuration keeps them all), and each key remembers its line.
 */
final class PropertiesFile {
    /** A line that starts a key: optional blanks, the key, then {@code =}, {@code :} or a blank. */
    private static final Pattern KEY_LINE = Pattern.compile("^\\s*([^#!\\s=:][^\\s=:]*)\\s*[=:\\s]?");

    private final Map<String, String> values;
    private final Map<String, List<Integer>> lines;

    private PropertiesFile(Map<String, String> values, Map<String, List<Integer>> lines) {
        this.values = values;
        this.lines = lines;
    }

    /**
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException when it has a malformed {@code \\uXXXX} escape
     */
    static PropertiesFile read(Path file) throws IOException {
        Map<String, String> values = PropertiesFiles.read(file);
        Map<String, List<Integer>> lines = new LinkedHashMap<>();
        List<String> text = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        boolean continued = false;
        for (int i = 0; i < text.size(); i++) {
            String line = text.get(i);
            if (!continued) {
                Matcher m = KEY_LINE.matcher(line);
                if (m.find()) {
                    lines.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(i + 1);
                }
            }
            continued = !line.trim().startsWith("#") && endsWithOddBackslashes(line);
        }
        return new PropertiesFile(values, Collections.unmodifiableMap(lines));
    }

    private static boolean endsWithOddBackslashes(String line) {
        int n = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            n++;
        }
        return n % 2 == 1;
    }

    /** @return every key with its value (trimmed by the properties syntax), in file order */
    Map<String, String> values() {
        return values;
    }

    /** @return the first line of a key, or 0 when unknown */
    int lineOf(String key) {
        List<Integer> at = lines.get(key);
        return at == null ? 0 : at.get(0);
    }

    /** @return every line a key is written on, in file order; empty when unknown */
    List<Integer> linesOf(String key) {
        return lines.getOrDefault(key, List.of());
    }
}
