package dev.socketchat.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The standard output and error of one in-process run of the chat command, captured for assertions. */
final class Terminal {

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    /** What was printed to standard output so far, line by line; safe while another thread prints. */
    List<String> outLines() {
        return lines(outBytes);
    }

    List<String> errLines() {
        return lines(errBytes);
    }

    private static List<String> lines(ByteArrayOutputStream bytes) {
        // ByteArrayOutputStream is synchronized: a concurrent println is either in or not.
        String text = bytes.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : text.lines().toList();
    }
}
