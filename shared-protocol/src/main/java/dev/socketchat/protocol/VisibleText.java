package dev.socketchat.protocol;

/**
 * Text from the network made safe to print on a terminal: every character that a terminal would
 * act on instead of showing is replaced by a visible spelling of itself, so one payload is always
 * one line of plain text.
 *
 * <p>A chat payload is any valid UTF-8, and a terminal treats some of it as instructions: a
 * newline starts a line that looks like the server's own output, {@code ESC [2J} clears the
 * screen, {@code ESC ]52;} writes the clipboard, and the bidirectional overrides (as in "Trojan
 * Source") make text read differently from what it is. Both the server's console and the
 * terminal client print what others sent, so both show it through this class.
 *
 * <pre>
 *   "hi\n[+] admin"        →  "hi^J[+] admin"
 *   "\u001B[2J\u001B[H"    →  "^[[2J^[[H"
 *   "\u0085" (NEL, C1)     →  "\u0085" as the six characters \ u 0 0 8 5
 *   "abc\u202Efdp.exe"     →  "abc\u202efdp.exe" with the override spelled out
 * </pre>
 *
 * <p>C0 controls and DEL use caret notation, as {@code cat -v} does ({@code ^@} to {@code ^_},
 * {@code ^?}); C1 controls and the bidirectional embedding, override and isolate characters are
 * spelled as a Java escape. Everything else, including every printable non-ASCII character, is
 * left exactly as it came.
 */
public final class VisibleText {

    private VisibleText() {
    }

    /** {@code text} with every control character spelled out; the same instance if it has none. */
    public static String of(String text) {
        int first = firstUnsafe(text);
        if (first < 0) {
            return text;
        }
        StringBuilder visible = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20) {
                visible.append('^').append((char) (c + 0x40));
            } else if (c == 0x7F) {
                visible.append("^?");
            } else if (isC1(c) || isBidiControl(c)) {
                visible.append(String.format("\\u%04x", (int) c));
            } else {
                visible.append(c);
            }
        }
        return visible.toString();
    }

    /** Whether printing {@code text} as it is could make a terminal do anything but show it. */
    public static boolean isSafe(String text) {
        return firstUnsafe(text) < 0;
    }

    private static int firstUnsafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7F || isC1(c) || isBidiControl(c)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isC1(char c) {
        return c >= 0x80 && c <= 0x9F;
    }

    /** LRE, RLE, PDF, LRO, RLO (U+202A–U+202E) and LRI, RLI, FSI, PDI (U+2066–U+2069). */
    private static boolean isBidiControl(char c) {
        return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    }
}
