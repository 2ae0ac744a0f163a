package dev.tollgate.core.dlp.content;

/**
 * Undoes RFC 3676 {@code format=flowed} (section 4): a line ending in a space is a soft break and
 * joins the next line of the same quote depth; with {@code delsp=yes} that space is deleted too
 * (section 4.2); one leading space of a line is space-stuffing and removed (section 4.4); the
 * signature separator {@code "-- "} is never flowed (section 4.3). One pass, linear in the input.
 */
final class FlowedText {
    private FlowedText() {
    }

    /**
     * @param text the decoded text of a {@code text/plain; format=flowed} part, lines ending in CRLF or LF
     * @param delsp true for {@code delsp=yes}
     * @return the text with soft breaks removed; hard line breaks become LF
     */
    static String unflow(String text, boolean delsp) {
        StringBuilder out = new StringBuilder(text.length());
        boolean open = false; // the previous line was flowed: this one continues it
        int openDepth = 0;
        int start = 0;
        int length = text.length();
        while (start < length) {
            int end = text.indexOf('\n', start);
            int next = end < 0 ? length : end + 1;
            if (end < 0) {
                end = length;
            }
            if (end > start && text.charAt(end - 1) == '\r') {
                end--;
            }
            int depth = start;
            while (depth < end && text.charAt(depth) == '>') {
                depth++;
            }
            int quote = depth - start;
            int content = depth;
            if (content < end && text.charAt(content) == ' ') {
                content++; // space-stuffing
            }
            if (open && quote != openDepth) {
                out.append('\n');
                open = false;
            }
            if (!open) {
                out.append(text, start, depth);
            }
            boolean signature = end - content == 3 && text.startsWith("-- ", content);
            boolean flowed = end > content && text.charAt(end - 1) == ' ' && !signature;
            if (flowed) {
                out.append(text, content, delsp ? end - 1 : end);
                open = true;
                openDepth = quote;
            } else {
                out.append(text, content, end);
                if (next > end) { // the line had a terminator
                    out.append('\n');
                }
                open = false;
            }
            start = next;
        }
        return out.toString();
    }
}
