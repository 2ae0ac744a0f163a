package dev.tollgate.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads a James XML file into a DOM whose elements remember the line they start on.
 *
 * <p>The file is read with the JDK's SAX parser configured to refuse any DOCTYPE, so no external entity,
 * external DTD or entity expansion is ever processed (XXE-safe); the DOM is built from the SAX events.
 * Comments and processing instructions are dropped, as James's configuration reader ignores them.
 */
final class XmlFiles {
    private static final String LINE = "tollgate.line";

    private XmlFiles() {
    }

    /** The file is not well-formed XML, or declares a DOCTYPE. */
    static final class MalformedXmlException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int line;

        MalformedXmlException(String message, int line, Throwable cause) {
            super(message, cause);
            this.line = line;
        }

        /** @return the line of the problem, or -1 when unknown */
        int line() {
            return line;
        }
    }

    /**
     * @throws IOException           when the file cannot be read
     * @throws MalformedXmlException when the content is not well-formed or has a DOCTYPE
     */
    static Document read(Path file) throws IOException, MalformedXmlException {
        Document document = newDocument();
        Builder builder = new Builder(document);
        try (InputStream in = Files.newInputStream(file)) {
            InputSource source = new InputSource(in);
            source.setSystemId(file.toAbsolutePath().toUri().toString());
            newParser().parse(source, builder);
        } catch (SAXParseException e) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            if (message.contains("DOCTYPE")) {
                throw new MalformedXmlException("DOCTYPE declarations are refused (they can pull in external "
                        + "entities); remove the <!DOCTYPE ...> line", e.getLineNumber(), e);
            }
            throw new MalformedXmlException("malformed XML: " + message, e.getLineNumber(), e);
        } catch (SAXException e) {
            throw new MalformedXmlException("malformed XML: " + e.getMessage(), -1, e);
        }
        return document;
    }

    /** @return the line on which the element's start tag ends (as reported by SAX), or 0 when unknown */
    static int lineOf(Node node) {
        Object line = node.getUserData(LINE);
        return line instanceof Integer ? (Integer) line : 0;
    }

    private static Document newDocument() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            return factory.newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML implementation cannot create a document", e);
        }
    }

    private static SAXParser newParser() throws SAXException {
        SAXParserFactory factory = SAXParserFactory.newInstance();
        factory.setNamespaceAware(false);
        factory.setValidating(false);
        factory.setXIncludeAware(false);
        try {
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            return factory.newSAXParser();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser does not support the features needed to read "
                    + "configuration files safely", e);
        }
    }

    /** Builds the DOM from SAX events, recording each element's line. */
    private static final class Builder extends DefaultHandler {
        private final Document document;
        private Node current;
        private Locator locator;

        Builder(Document document) {
            this.document = document;
            this.current = document;
        }

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attributes) {
            Element element = document.createElement(qName);
            for (int i = 0; i < attributes.getLength(); i++) {
                element.setAttribute(attributes.getQName(i), attributes.getValue(i));
            }
            element.setUserData(LINE, locator == null ? 0 : locator.getLineNumber(), null);
            current.appendChild(element);
            current = element;
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            current = current.getParentNode();
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (current != document) {
                current.appendChild(document.createTextNode(new String(ch, start, length)));
            }
        }

        @Override
        public InputSource resolveEntity(String publicId, String systemId) throws SAXException {
            // Never reached while DOCTYPEs are refused; kept so that no configuration change can make the
            // parser fetch anything.
            throw new SAXException("external entities are refused: " + systemId);
        }
    }
}
