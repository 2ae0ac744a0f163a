package dev.tollgate.cli;

import java.util.ArrayList;
import java.util.List;

import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** Small DOM helpers. */
final class Dom {
    private Dom() {
    }

    /** @return the child elements, in document order */
    static List<Element> children(Node parent) {
        List<Element> children = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeType() == Node.ELEMENT_NODE) {
                children.add((Element) n);
            }
        }
        return children;
    }

    /** @return the child elements with that tag name, in document order */
    static List<Element> children(Node parent, String tagName) {
        List<Element> matching = new ArrayList<>();
        for (Element child : children(parent)) {
            if (child.getTagName().equals(tagName)) {
                matching.add(child);
            }
        }
        return matching;
    }

    /** @return the trimmed text of the first child element with that name, or null */
    static String childText(Element parent, String tagName) {
        for (Element child : children(parent, tagName)) {
            return child.getTextContent().trim();
        }
        return null;
    }

    /** @return the attribute value, or null when the attribute is absent */
    static String attribute(Element element, String name) {
        return element.hasAttribute(name) ? element.getAttribute(name) : null;
    }
}
