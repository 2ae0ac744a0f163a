package dev.tollgate.cli;

/** One problem found in a configuration file, printed as {@code FILE:LINE: ELEMENT: [parameter 'P': ]REASON}. */
final class Finding {
    private final String file;
    private final int line;
    private final String element;
    private final String parameter;
    private final String reason;

    /**
     * @param file      the file as named to the user
     * @param line      1-based line, or 0 when unknown
     * @param element   the declaring element, e.g. {@code <mailet class="X"> in processor 'transport'}
     * @param parameter the parameter at fault, or null when the problem is not about one parameter
     * @param reason    what is wrong; never contains a parameter value
     */
    Finding(String file, int line, String element, String parameter, String reason) {
        this.file = file;
        this.line = line;
        this.element = element;
        this.parameter = parameter;
        this.reason = reason;
    }

    /** @return the file as named to the user */
    String file() {
        return file;
    }

    /** @return the parameter at fault, or null */
    String parameter() {
        return parameter;
    }

    /** @return what is wrong */
    String reason() {
        return reason;
    }

    String format() {
        StringBuilder out = new StringBuilder(file);
        if (line > 0) {
            out.append(':').append(line);
        }
        out.append(": ").append(element).append(": ");
        if (parameter != null) {
            out.append("parameter '").append(parameter).append("': ");
        }
        return out.append(reason).toString();
    }

    @Override
    public String toString() {
        return format();
    }
}
