package dev.tollgate.core.dlp.content;

import java.io.IOException;
import java.io.StringReader;
import java.util.Optional;
import java.util.Set;

import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;

import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

import dev.tollgate.core.XmlParsers;

/**
 * The text an XML document holds once parsed, for a second reading beside its raw text: character data with
 * character and entity references decoded, the runs of a paragraph, cell, row or shared string joined without a
 * separator (a value split over {@code <w:t>} runs reads whole), a line break after each such block, then the
 * attribute values, each a paragraph of its own, those without a letter only from 12 characters on. An Office
 * part's raw XML holds a value written as {@code &#52;&#49;...} or split over runs where neither the raw text nor,
 * for what the parser leaves out, the parser's text shows it.
 */
final class XmlText {
    /** Element names (without prefix) after which the joined text breaks: paragraphs, table rows and cells, breaks. */
    private static final Set<String> BLOCKS = Set.of("p", "tr", "tc", "row", "c", "si", "br", "cr", "tab", "sheet",
            "definedName", "text", "h", "list-item", "table-cell", "table-row", "li", "div", "td", "title",
            "desc");

    /** Characters an attribute value without letters needs to be listed: a 12-digit card number's least. */
    private static final int MIN_NUMERIC_ATTRIBUTE = 12;

    /**
     * A parser per thread, {@link SAXParser#reset() reset} after each use: making a factory looks its implementation
     * up each time, longer than most parses.
     */
    private static final ThreadLocal<SAXParser> PARSER = ThreadLocal.withInitial(() -> {
        try {
            return XmlParsers.sax().newSAXParser();
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("the JDK's SAX parser lacks a secure-processing feature", e);
        }
    });

    private XmlText() {
    }

    /**
     * @param text a document's text, parsed when it starts (after white space or a byte order mark) with {@code <}
     * @return the parsed text as above; empty when it is not XML, does not parse, or has a DOCTYPE (refused: its
     *     raw text, entity declarations included, is read anyway)
     */
    static Optional<String> of(String text) {
        int i = 0;
        while (i < text.length() && (Character.isWhitespace(text.charAt(i)) || text.charAt(i) == '\ufeff')) {
            i++;
        }
        if (i == text.length() || text.charAt(i) != '<') {
            return Optional.empty();
        }
        StringBuilder joined = new StringBuilder();
        StringBuilder attributes = new StringBuilder();
        try {
            parse(new InputSource(new StringReader(text.substring(i))), new DefaultHandler() {
                @Override
                public void startElement(String uri, String localName, String qName, Attributes a) {
                    for (int k = 0; k < a.getLength(); k++) {
                        String v = a.getValue(k);
                        // short numbers (sizes, coordinates, ids) one after another would read as a number of
                        // their own: only values with a letter, or long enough to hold a value alone, and apart
                        if (v.length() >= MIN_NUMERIC_ATTRIBUTE || v.chars().anyMatch(Character::isLetter)) {
                            attributes.append(v).append("\n\n");
                        }
                    }
                }

                @Override
                public void endElement(String uri, String localName, String qName) {
                    if (BLOCKS.contains(qName.substring(qName.indexOf(':') + 1))) {
                        joined.append('\n');
                    }
                }

                @Override
                public void characters(char[] ch, int start, int length) {
                    joined.append(ch, start, length);
                }
            });
        } catch (SAXException | IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.of(joined.append('\n').append(attributes).toString());
    }

    /**
     * Parses {@code source} with this thread's parser (no DTD, no external entity), reset afterwards.
     *
     * @throws SAXException if it is not well-formed XML or declares a DOCTYPE
     * @throws IOException if it cannot be read
     */
    static void parse(InputSource source, DefaultHandler handler) throws SAXException, IOException {
        SAXParser parser = PARSER.get();
        try {
            parser.parse(source, handler);
        } finally {
            parser.reset();
        }
    }
}
