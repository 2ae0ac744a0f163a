package dev.tollgate.extractor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.apache.tika.metadata.Metadata;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The metadata values of one document, by key, for DLP to scan beside its text: a value placed only in a PDF's
 * Info dictionary or XMP packet, or in an Office document's core, extended or custom properties, is text the
 * sender ships. Keys are Tika's metadata names ({@code dc:title}, {@code pdf:docinfo:custom:Ref},
 * {@code custom:Ref}) or, for XML read here, {@code part:element} and {@code part:element@attribute}
 * ({@code xmp:dc:title/rdf:li}, {@code docProps/custom.xml:property@name}).
 *
 * <p>Each distinct value is kept once, under the first key that holds it. Bounded: at most {@value #MAX_VALUES}
 * values and {@value #MAX_CHARS} chars in all ({@link TooLarge} beyond: the document is then unscannable, not
 * clean). Keys Tika writes itself about the parse (content type, the file name it was given, {@code X-TIKA:*},
 * characters per page, its counts of unmapped glyphs and damaged or non-embedded fonts) are left out.
 */
final class DocumentMetadata {
    static final int MAX_VALUES = 2_000;
    static final int MAX_CHARS = 1 << 20;
    /** Largest XML part (XMP packet, {@code docProps/*.xml}) read. */
    static final int MAX_XML_BYTES = 1 << 20;

    private final Map<String, List<String>> byKey = new LinkedHashMap<>();
    private final Set<String> seen = new HashSet<>();
    private int values;
    private long chars;

    /** Thrown when the metadata passes the bounds. */
    static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super("document metadata has more than " + MAX_VALUES + " values or " + MAX_CHARS + " characters", null,
                    false, false);
        }
    }

    /** @return the values by key, in the order they were added */
    Map<String, List<String>> byKey() {
        return byKey;
    }

    /**
     * @param key where the value was found
     * @param value the value; blank ones are ignored
     * @throws TooLarge past the bounds
     */
    void add(String key, String value) {
        if (value == null || value.isBlank() || !seen.add(value)) {
            return;
        }
        if (++values > MAX_VALUES || (chars += value.length()) > MAX_CHARS) {
            throw new TooLarge();
        }
        byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }

    /** Every value of every key Tika filled from the document. */
    void addTika(Metadata metadata) {
        for (String name : metadata.names()) {
            if (generatedByTika(name)) {
                continue;
            }
            for (String value : metadata.getValues(name)) {
                add(name, value);
            }
        }
    }

    private static boolean generatedByTika(String name) {
        return name.startsWith("X-TIKA:") || name.equals(Metadata.CONTENT_TYPE) || name.equals("resourceName")
                || name.equals("Content-Length") || name.equals("pdf:charsPerPage")
                || name.equals("pdf:unmappedUnicodeCharsPerPage") || name.equals("X-Parsed-By")
                // Tika's counts of the glyphs its own stripper read; the worker's PDF parser reads the glyphs itself
                || name.equals("pdf:totalUnmappedUnicodeChars") || name.equals("pdf:overallPercentageUnmappedUnicodeChars")
                || name.equals("pdf:containsDamagedFont") || name.equals("pdf:containsNonEmbeddedFont");
    }

    /**
     * Every text node and attribute value of an XML part (an XMP packet, {@code docProps/custom.xml}), each under
     * {@code part:element} or {@code part:element@attribute}. DTDs are refused (no entity expansion); a part that
     * does not parse is read as nothing but its raw text, so its values are scanned still.
     *
     * @param part the key prefix ({@code xmp}, {@code docProps/core.xml})
     * @param xml the part's bytes, at most {@value #MAX_XML_BYTES} (longer: {@link TooLarge})
     */
    void addXml(String part, byte[] xml) {
        if (xml.length > MAX_XML_BYTES) {
            throw new TooLarge();
        }
        Document doc;
        try {
            doc = builder().parse(new ByteArrayInputStream(xml));
        } catch (IOException | SAXException | ParserConfigurationException e) {
            add(part, new String(xml, java.nio.charset.StandardCharsets.UTF_8));
            return;
        }
        walk(part, doc.getDocumentElement());
    }

    /** @see #addXml(String, byte[]) */
    void addXml(String part, InputStream xml) throws IOException {
        byte[] bytes = xml.readNBytes(MAX_XML_BYTES + 1);
        addXml(part, bytes);
    }

    private void walk(String part, Node node) {
        if (node == null) {
            return;
        }
        if (node.getNodeType() == Node.ELEMENT_NODE) {
            String element = part + ':' + node.getNodeName();
            NamedNodeMap attributes = node.getAttributes();
            for (int i = 0; i < attributes.getLength(); i++) {
                Attr a = (Attr) attributes.item(i);
                if (!a.getName().startsWith("xmlns")) {
                    add(element + '@' + a.getName(), a.getValue());
                }
            }
            for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
                if (child.getNodeType() == Node.TEXT_NODE || child.getNodeType() == Node.CDATA_SECTION_NODE) {
                    add(element, child.getNodeValue());
                } else {
                    walk(part, child);
                }
            }
        }
    }

    private static DocumentBuilder builder() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(false);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        return f.newDocumentBuilder();
    }

    /**
     * The frame of the metadata in the worker protocol: for each key and each of its values, the key then the value,
     * each a 4-byte big-endian length then UTF-8 bytes.
     */
    byte[] encode() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            for (Map.Entry<String, List<String>> e : byKey.entrySet()) {
                for (String v : e.getValue()) {
                    WorkerProtocol.writeFrame(out, e.getKey());
                    WorkerProtocol.writeFrame(out, v);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e); // in memory
        }
        return bytes.toByteArray();
    }
}
