package dev.tollgate.core;

import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;

import org.xml.sax.SAXException;

/** XML read from files and mail: no DTD, no external entity or DTD loaded, the JDK's secure-processing limits. */
public final class XmlParsers {
    private XmlParsers() {
    }

    /**
     * @return a new SAX parser factory, not namespace-aware, that refuses a DOCTYPE declaration
     * @throws ParserConfigurationException if the JDK's parser lacks one of these features
     * @throws SAXException if the JDK's parser lacks one of these features
     */
    public static SAXParserFactory sax() throws ParserConfigurationException, SAXException {
        SAXParserFactory f = SAXParserFactory.newInstance();
        f.setNamespaceAware(false);
        f.setValidating(false);
        f.setXIncludeAware(false);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f;
    }
}
