package dev.socketchat.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small terminal emulator for tests: the output stream of a virtual JLine terminal writes into
 * it, and a test reads back the screen a person would see, and where the cursor is.
 *
 * <p>It knows what JLine's line editor sends to an {@code xterm-256color} terminal: printable text
 * with wrapping at the right margin, CR, LF, BS, and the CSI sequences that move the cursor
 * ({@code A B C D G H}), erase ({@code J K}), and set modes or colours ({@code h l m}, which it
 * ignores). Any other control sequence fails the test, so that a sequence it does not understand
 * can never pass for a screen that looks right. Everything written is also kept as it came, for
 * tests about which bytes reached the terminal.
 */
final class VirtualScreen extends OutputStream {

    private final int columns;
    private final List<char[]> rows = new ArrayList<>();
    private final ByteArrayOutputStream raw = new ByteArrayOutputStream();
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private int row;
    private int column;
    private String escape; // the control sequence being read, or null
    private RuntimeException failure;

    VirtualScreen(int columns, int rows) {
        this.columns = columns;
        for (int i = 0; i < rows; i++) {
            this.rows.add(blank());
        }
    }

    @Override
    public synchronized void write(int b) {
        raw.write(b);
        pending.write(b);
        String text = pending.toString(StandardCharsets.UTF_8);
        if (text.endsWith("\uFFFD") && pending.size() < 4) {
            return; // the rest of a UTF-8 sequence is still to come
        }
        pending.reset();
        text.chars().forEach(c -> accept((char) c));
    }

    /** The screen's rows, trailing spaces removed, trailing empty rows too. */
    synchronized List<String> lines() {
        if (failure != null) {
            throw failure;
        }
        List<String> lines = new ArrayList<>(rows.stream().map(r -> new String(r).stripTrailing()).toList());
        while (!lines.isEmpty() && lines.getLast().isEmpty()) {
            lines.removeLast();
        }
        return lines;
    }

    /** The row and column of the cursor, from 0. */
    synchronized int[] cursor() {
        return new int[] {row, column};
    }

    /** Everything written so far, as text. */
    synchronized String written() {
        return raw.toString(StandardCharsets.UTF_8);
    }

    private void accept(char c) {
        if (escape != null) {
            escape(c);
        } else if (c == 0x1B) {
            escape = "";
        } else if (c == '\r') {
            column = 0;
        } else if (c == '\n') {
            lineFeed();
        } else if (c == '\b') {
            column = Math.max(0, column - 1);
        } else if (c == 0x07) {
            return; // bell
        } else if (c < 0x20 || c == 0x7F) {
            fail("control character " + (int) c);
        } else {
            if (column == columns) {
                column = 0;
                lineFeed();
            }
            rows.get(row)[column++] = c;
        }
    }

    private void escape(char c) {
        escape += c;
        if (escape.equals("[") || (escape.startsWith("[") && !(c >= 0x40 && c <= 0x7E))) {
            return; // a CSI sequence goes on until its final byte
        }
        String sequence = escape;
        escape = null;
        if (sequence.equals("=") || sequence.equals(">")) {
            return; // keypad modes
        }
        if (!sequence.startsWith("[")) {
            fail("escape sequence ESC " + sequence);
            return;
        }
        char command = sequence.charAt(sequence.length() - 1);
        String parameters = sequence.substring(1, sequence.length() - 1);
        int n = parameters.isEmpty() || parameters.startsWith("?") || parameters.contains(";")
                ? 1 : Integer.parseInt(parameters);
        switch (command) {
            case 'A' -> row = Math.max(0, row - n);
            case 'B' -> row = Math.min(rows.size() - 1, row + n);
            case 'C' -> column = Math.min(columns - 1, column + n);
            case 'D' -> column = Math.max(0, column - n);
            case 'G' -> column = Math.min(columns - 1, n - 1);
            case 'H' -> {
                String[] at = parameters.isEmpty() ? new String[] {"1", "1"} : parameters.split(";");
                row = Integer.parseInt(at[0]) - 1;
                column = Integer.parseInt(at[1]) - 1;
            }
            case 'J' -> erase(parameters, true);
            case 'K' -> erase(parameters, false);
            case 'h', 'l', 'm' -> {
                // modes and colours do not change what the screen reads
            }
            default -> fail("escape sequence ESC " + sequence);
        }
    }

    private void erase(String parameters, boolean screen) {
        if (!parameters.isEmpty() && !parameters.equals("0")) {
            fail("erase " + parameters);
            return;
        }
        Arrays.fill(rows.get(row), column, columns, ' ');
        if (screen) {
            for (int r = row + 1; r < rows.size(); r++) {
                rows.set(r, blank());
            }
        }
    }

    private void lineFeed() {
        if (row == rows.size() - 1) {
            rows.removeFirst();
            rows.add(blank());
        } else {
            row++;
        }
    }

    private char[] blank() {
        char[] blank = new char[columns];
        Arrays.fill(blank, ' ');
        return blank;
    }

    private void fail(String what) {
        if (failure == null) {
            failure = new IllegalStateException("the virtual screen does not know " + what);
        }
    }
}
