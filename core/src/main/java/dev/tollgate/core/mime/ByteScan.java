package dev.tollgate.core.mime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Searches for a byte value in a byte array, eight bytes per step (a 64-bit word tested for the byte with
 * one subtraction and two masks) where a byte loop takes one: the line scans of a multipart's body (RFC 2046
 * §5.1.1: a delimiter starts a line) run over every line of its base64 attachments, the search for zip headers
 * over every byte of an archive. Results are those of the plain byte loop.
 */
public final class ByteScan {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LFS = ONES * '\n';
    private static final long CRS = ONES * '\r';

    private ByteScan() {
    }

    /** @return the index of the first byte at or after {@code from} that is neither a space nor a tab, or the length */
    public static int blanksEnd(byte[] b, int from) {
        int j = from;
        while (j < b.length && (b[j] == ' ' || b[j] == '\t')) {
            j++;
        }
        return j;
    }

    /**
     * @param b    the bytes
     * @param from first index searched (inclusive)
     * @param to   end of the search (exclusive); nothing is searched when {@code to <= from}
     * @return the index of the first LF in {@code b[from, to)}, or -1
     * @throws IndexOutOfBoundsException if {@code from < 0} or {@code to > b.length} (with {@code from < to})
     */
    public static int indexOfLf(byte[] b, int from, int to) {
        return indexOf(b, (byte) '\n', from, to);
    }

    /**
     * @param b     the bytes
     * @param value the byte searched for
     * @param from  first index searched (inclusive)
     * @param to    end of the search (exclusive); nothing is searched when {@code to <= from}
     * @return the index of the first {@code value} in {@code b[from, to)}, or -1
     * @throws IndexOutOfBoundsException if {@code from < 0} or {@code to > b.length} (with {@code from < to})
     */
    public static int indexOf(byte[] b, byte value, int from, int to) {
        long pattern = ONES * (value & 0xFF);
        int i = from;
        for (; i + 8 <= to; i += 8) {
            if (has((long) LONGS.get(b, i), pattern)) {
                break;
            }
        }
        for (; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /**
     * @param b    the bytes
     * @param from first index searched (inclusive)
     * @param to   end of the search (exclusive); nothing is searched when {@code to <= from}
     * @return the index of the first CR or LF in {@code b[from, to)}, or -1
     * @throws IndexOutOfBoundsException if {@code from < 0} or {@code to > b.length} (with {@code from < to})
     */
    public static int indexOfLineBreak(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long word = (long) LONGS.get(b, i);
            if (has(word, LFS) || has(word, CRS)) {
                break;
            }
        }
        for (; i < to; i++) {
            byte c = b[i];
            if (c == '\n' || c == '\r') {
                return i;
            }
        }
        return -1;
    }

    /**
     * @param b     the bytes
     * @param value the byte searched for besides CR and LF
     * @param from  first index searched (inclusive)
     * @param to    end of the search (exclusive); nothing is searched when {@code to <= from}
     * @return the index of the first CR, LF or {@code value} in {@code b[from, to)}, or -1 (a quoted-printable body's
     *     runs of literal bytes end at a line break or an {@code =})
     * @throws IndexOutOfBoundsException if {@code from < 0} or {@code to > b.length} (with {@code from < to})
     */
    public static int indexOfLineBreakOr(byte[] b, byte value, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long word = (long) LONGS.get(b, i);
            long marks = bytesEqual(word, (char) (value & 0xFF)) | bytesEqual(word, '\r') | bytesEqual(word, '\n');
            if (marks != 0) {
                return i + Long.numberOfTrailingZeros(marks) / 8;
            }
        }
        for (; i < to; i++) {
            byte c = b[i];
            if (c == '\n' || c == '\r' || c == value) {
                return i;
            }
        }
        return -1;
    }

    /**
     * @param b     the bytes
     * @param value the byte searched for
     * @param from  lowest index searched (inclusive)
     * @param to    end of the search (exclusive); nothing is searched when {@code to <= from}
     * @return the index of the last {@code value} in {@code b[from, to)}, or -1 (a trailer searched for from the
     *     end of a file, eight bytes at a time)
     * @throws IndexOutOfBoundsException if {@code from < 0} or {@code to > b.length} (with {@code from < to})
     */
    public static int lastIndexOf(byte[] b, byte value, int from, int to) {
        int i = to;
        for (; i - 8 >= from; i -= 8) {
            long marks = bytesEqual((long) LONGS.get(b, i - 8), (char) (value & 0xFF));
            if (marks != 0) {
                return i - 8 + (63 - Long.numberOfLeadingZeros(marks)) / 8;
            }
        }
        for (i--; i >= from; i--) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /**
     * @param b     the bytes
     * @param value the byte counted
     * @param from  first index counted (inclusive)
     * @param to    end (exclusive); nothing is counted when {@code to <= from}
     * @return how many bytes of {@code b[from, to)} equal {@code value}
     * @throws IndexOutOfBoundsException if {@code from < 0} or {@code to > b.length} (with {@code from < to})
     */
    public static int count(byte[] b, byte value, int from, int to) {
        int n = 0;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            n += Long.bitCount(bytesEqual((long) LONGS.get(b, i), (char) (value & 0xFF)));
        }
        for (; i < to; i++) {
            if (b[i] == value) {
                n++;
            }
        }
        return n;
    }

    /**
     * @return the eight bytes of {@code b} from {@code at}, the first in the lowest bits (little-endian)
     * @throws IndexOutOfBoundsException if {@code b} has fewer than eight bytes from {@code at}
     */
    public static long word(byte[] b, int at) {
        return (long) LONGS.get(b, at);
    }

    /**
     * @return {@code word} with the high bit of each byte set where that byte equals {@code value} and every other
     *     bit clear (exact per byte: no carry from one byte reaches the next)
     */
    public static long bytesEqual(long word, char value) {
        long x = word ^ (ONES * (value & 0xFF));
        return ~(((x & ~HIGHS) + ~HIGHS) | x | ~HIGHS);
    }

    /**
     * @return whether {@code b[from, to)} holds a CR followed neither by LF nor by CR LF. JavaMail ends a line at such
     *     a lone CR, James's IMAP server (mime4j) and most clients do not. CR CR LF is left to the caller: JavaMail's
     *     line reader takes it as one line end, its multipart delimiter search as a CR and then a line of its own,
     *     mime4j as a line ending in CR.
     */
    public static boolean hasLoneCr(byte[] b, int from, int to) {
        for (int i = indexOf(b, (byte) '\r', from, to); i >= 0; i = indexOf(b, (byte) '\r', i + 1, to)) {
            boolean lf = i + 1 < b.length && b[i + 1] == '\n';
            boolean crLf = i + 2 < b.length && b[i + 1] == '\r' && b[i + 2] == '\n';
            if (!lf && !crLf) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return whether {@code b[from, to)} holds a CR not followed by LF: a lone CR or the first CR of CR CR LF (its LF
     *     may lie at {@code to}), where a header line ends for JavaMail's line reader and not for mime4j; see
     *     {@link #hasLoneCr}
     */
    public static boolean hasCrWithoutLf(byte[] b, int from, int to) {
        for (int i = indexOf(b, (byte) '\r', from, to); i >= 0; i = indexOf(b, (byte) '\r', i + 1, to)) {
            if (!(i + 1 < b.length && b[i + 1] == '\n')) {
                return true;
            }
        }
        return false;
    }

    /** Whether a byte of {@code word} equals the byte repeated in {@code pattern} (exact, no false positive). */
    private static boolean has(long word, long pattern) {
        long x = word ^ pattern;
        return ((x - ONES) & ~x & HIGHS) != 0;
    }
}
