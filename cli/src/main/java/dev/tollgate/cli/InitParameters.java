package dev.tollgate.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Reads the init parameters of a {@code <mailet>} or {@code <handler>} element the way James 3.8.1 does
 * through commons-configuration: every descendant element that carries a value is a parameter whose
 * name is its path below the declaring element ({@code a} or {@code a.b}); XML attributes are not
 * parameters; the values of repeated elements with the same path are joined with {@code ","}
 * (JAMES-1232), in document order.
 *
 * <p>An element carries a value when it has no child elements (its trimmed text, possibly empty) or when
 * its trimmed text is not empty.
 */
final class InitParameters {
    private InitParameters() {
    }

    /** @return parameter name to joined value, in order of first appearance */
    static Map<String, String> of(Element declaring) {
        Map<String, List<String>> collected = new LinkedHashMap<>();
        collect(declaring, "", collected);
        Map<String, String> joined = new LinkedHashMap<>();
        collected.forEach((name, values) -> joined.put(name, String.join(",", values)));
        return joined;
    }

    /** @return the first descendant element at that parameter path, or null */
    static Element elementFor(Element declaring, String parameter) {
        Element current = declaring;
        for (String part : parameter.split("\\.")) {
            Element next = null;
            for (Element child : Dom.children(current)) {
                if (child.getTagName().equals(part)) {
                    next = child;
                    break;
                }
            }
            if (next == null) {
                return null;
            }
            current = next;
        }
        return current == declaring ? null : current;
    }

    private static void collect(Element parent, String prefix, Map<String, List<String>> into) {
        for (Element child : Dom.children(parent)) {
            String key = prefix + child.getTagName();
            List<Element> grandChildren = Dom.children(child);
            String text = ownText(child).trim();
            if (grandChildren.isEmpty() || !text.isEmpty()) {
                into.computeIfAbsent(key, k -> new ArrayList<>()).add(text);
            }
            collect(child, key + ".", into);
        }
    }

    private static String ownText(Element element) {
        StringBuilder text = new StringBuilder();
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeType() == Node.TEXT_NODE || n.getNodeType() == Node.CDATA_SECTION_NODE) {
                text.append(n.getNodeValue());
            }
        }
        return text.toString();
    }
}
