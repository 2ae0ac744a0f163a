package dev.tollgate.core;

/** Text from the network or a message, made safe to write inside a log line. */
public final class LogText {
    private LogText() {
    }

    /**
     * Keeps printable US-ASCII and replaces everything else (control characters, which could forge log lines or
     * drive a terminal, non-ASCII, and the double quote that delimits quoted values) by {@code ?}.
     *
     * @param text     any text
     * @param maxChars how many characters are kept at most; a longer text ends with {@code ...}
     * @return at most {@code maxChars + 3} characters
     */
    public static String printable(String text, int maxChars) {
        StringBuilder sb = new StringBuilder(Math.min(text.length(), maxChars) + 3);
        for (int i = 0; i < text.length() && i < maxChars; i++) {
            char c = text.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f && c != '"' ? c : '?');
        }
        return text.length() > maxChars ? sb.append("...").toString() : sb.toString();
    }
}
