package dev.tollgate.core.dlp.content;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Which parts of an Office Open XML package its document parser reads, found as the parser finds them: through the
 * package's relationships (ECMA-376 Part 2, Open Packaging Conventions §9.3), from the package's own relationships
 * ({@code _rels/.rels}) to the main document part and on, following every internal relationship. A part is read by
 * the parser when a part reached that way points to it with a relationship of a type whose text or values the
 * parser gives: the main document, headers, footers, footnotes, endnotes, comments, worksheets, shared strings,
 * drawings, slides, notes, slide masters and layouts, the core, extended and custom properties, and embedded
 * packages and OLE objects. Any other part
 * (one no relationship reaches, whatever its name, styles, settings, themes, media, files put in the package) is
 * not, and is read like any zip entry. An OpenDocument package (an entry {@code mimetype}) has no relationships: its
 * {@code content.xml}, {@code styles.xml} and {@code meta.xml} at the root are the parser's (OpenDocument 1.2 Part 3
 * §2.2).
 */
final class PackageParts {
    /** Relationship types (the last segment of the type URI, Transitional and Strict alike) the parser reads. */
    private static final Set<String> PARSED_TYPES = Set.of("officeDocument", "header", "footer", "footnotes",
            "endnotes", "comments", "worksheet", "sharedStrings", "drawing", "slide", "notesSlide", "slideMaster",
            "slideLayout", "core-properties", "extended-properties", "custom-properties",
            // embedded documents and objects, which the parser reads as documents of their own
            "package", "oleObject");
    /** Relationship parts read at most, and their bytes in all: beyond, no part counts as read by the parser. */
    private static final int MAX_RELS = 4096;
    private static final long MAX_RELS_BYTES = 8L * 1024 * 1024;

    private PackageParts() {
    }

    /**
     * @param zip the package's bytes
     * @return the names of the parts the parser reads, as the zip names them without a leading {@code /}, lower
     *     case (OPC part names compare case-insensitively, §9.1.1.1); empty when the package's relationships do not
     *     parse or are larger than the bounds above, so that every part is read
     */
    static Set<String> readByParser(byte[] zip) {
        try {
            return find(zip);
        } catch (IOException | SAXException | RuntimeException e) {
            return Set.of();
        }
    }

    private static Set<String> find(byte[] zip) throws IOException, SAXException {
        Map<String, byte[]> rels = new HashMap<>();
        boolean odf = false;
        long relsBytes = 0;
        ZipArchiveInputStream in = new ZipArchiveInputStream(new ByteArrayInputStream(zip), "UTF-8", true, true);
        for (ZipArchiveEntry e; (e = in.getNextZipEntry()) != null; ) {
            String name = partName(e.getName());
            odf |= name.equals("mimetype");
            if (!name.endsWith(".rels") || !in.canReadEntryData(e)) {
                continue;
            }
            if (rels.size() == MAX_RELS) {
                return Set.of();
            }
            byte[] data = readAtMost(in, MAX_RELS_BYTES - relsBytes);
            if (data == null) {
                return Set.of();
            }
            relsBytes += data.length;
            rels.putIfAbsent(name, data);
        }
        if (odf && rels.isEmpty()) {
            return Set.of("content.xml", "styles.xml", "meta.xml");
        }
        Set<String> parsed = new HashSet<>();
        Set<String> reached = new HashSet<>();
        Deque<String> sources = new ArrayDeque<>();
        sources.add(""); // the package itself: its relationships are _rels/.rels
        reached.add("");
        while (!sources.isEmpty()) {
            String source = sources.poll();
            int slash = source.lastIndexOf('/');
            String folder = slash < 0 ? "" : source.substring(0, slash + 1);
            byte[] data = rels.get(folder + "_rels/" + source.substring(slash + 1) + ".rels");
            if (data == null) {
                continue;
            }
            for (String[] r : relationships(data)) {
                String target = resolve(folder, r[1]);
                if (target == null) {
                    continue;
                }
                if (PARSED_TYPES.contains(r[0].substring(r[0].lastIndexOf('/') + 1))) {
                    parsed.add(target);
                }
                if (reached.add(target)) {
                    sources.add(target);
                }
            }
        }
        return parsed;
    }

    /** @return the entry's bytes, or null when they are more than {@code max} */
    private static byte[] readAtMost(InputStream in, long max) throws IOException {
        byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        return data.length > max ? null : data;
    }

    /** @return {type, target} of each internal relationship (TargetMode other than External, §9.3.2.2) */
    private static List<String[]> relationships(byte[] data) throws IOException, SAXException {
        List<String[]> out = new ArrayList<>();
        XmlText.parse(new InputSource(new ByteArrayInputStream(data)), new DefaultHandler() {
            @Override
            public void startElement(String uri, String localName, String qName, Attributes a) {
                String local = qName.substring(qName.indexOf(':') + 1);
                if (local.equals("Relationship") && a.getValue("Type") != null && a.getValue("Target") != null
                        && !"External".equals(a.getValue("TargetMode"))) {
                    out.add(new String[] {a.getValue("Type"), a.getValue("Target")});
                }
            }
        });
        return out;
    }

    /**
     * A relationship's target as a zip entry name: relative to the source part's folder, or from the package root
     * when it starts with {@code /} (§9.3.2.2, RFC 3986 §5.2), dot segments removed, percent-escapes decoded.
     *
     * @return null when it leaves the package
     */
    static String resolve(String folder, String target) {
        int cut = target.indexOf('#');
        String t = cut < 0 ? target : target.substring(0, cut);
        String path;
        try {
            path = java.net.URLDecoder.decode(t.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            path = t;
        }
        String joined = path.startsWith("/") ? path.substring(1) : folder + path;
        Deque<String> segments = new ArrayDeque<>();
        for (String s : joined.split("/", -1)) {
            if (s.equals("..")) {
                if (segments.isEmpty()) {
                    return null;
                }
                segments.removeLast();
            } else if (!s.equals(".") && !s.isEmpty()) {
                segments.addLast(s);
            }
        }
        return segments.isEmpty() ? null : partName(String.join("/", segments));
    }

    /** @return a zip entry name as {@link #readByParser} gives part names: no leading {@code /}, lower case */
    static String partName(String entryName) {
        return (entryName.startsWith("/") ? entryName.substring(1) : entryName).toLowerCase(Locale.ROOT);
    }
}
