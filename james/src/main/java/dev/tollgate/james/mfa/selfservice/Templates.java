package dev.tollgate.james.mfa.selfservice;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.PropertyResourceBundle;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The page's HTML templates and its one strings file ({@code messages.properties}, UTF-8), both kept in the
 * bundle next to this class. In a template, {@code {{msg:key}}} is a string of the strings file, {@code {{name}}}
 * a model value, both HTML-escaped; {@code {{{name}}}} is a model value inserted as is (fragments the page built
 * itself from escaped parts). A missing key fails loudly: a template and its strings ship together.
 */
final class Templates {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\{([a-zA-Z0-9_.]+)}}}|\\{\\{(msg:)?([a-zA-Z0-9_.]+)}}");
    private final ResourceBundle strings;
    private final Map<String, String> cache = new ConcurrentHashMap<>();

    Templates() {
        try (InputStream in = resource("messages.properties")) {
            strings = new PropertyResourceBundle(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = Templates.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("missing resource " + name + " next to " + Templates.class.getName());
        }
        return in;
    }

    /** @return the string {@code key} of the strings file, with {@code {0}}-style arguments replaced (escaped later) */
    String string(String key, Object... args) {
        String s = strings.getString(key);
        for (int i = 0; i < args.length; i++) {
            s = s.replace("{" + i + "}", String.valueOf(args[i]));
        }
        return s;
    }

    /** @return the template {@code name} rendered with {@code model} */
    String render(String name, Map<String, String> model) {
        String template = cache.computeIfAbsent(name, n -> {
            try (InputStream in = resource(n)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder(template.length() + 256);
        while (m.find()) {
            String value;
            if (m.group(1) != null) {
                value = require(model, m.group(1));
            } else if (m.group(2) != null) {
                value = escape(strings.getString(m.group(3)));
            } else {
                value = escape(require(model, m.group(3)));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String require(Map<String, String> model, String key) {
        String v = model.get(key);
        if (v == null) {
            throw new IllegalArgumentException("template value '" + key + "' missing");
        }
        return v;
    }

    /** @return {@code text} safe in HTML text and quoted attribute values */
    static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&': b.append("&amp;"); break;
                case '<': b.append("&lt;"); break;
                case '>': b.append("&gt;"); break;
                case '"': b.append("&quot;"); break;
                case '\'': b.append("&#39;"); break;
                default: b.append(c);
            }
        }
        return b.toString();
    }
}
