package dev.socketchat.contract;

import java.io.PrintStream;

/**
 * What {@code ./chat test MODEL} prints: one line per behaviour as it passes, fails or is skipped,
 * in plain words, and a closing count. Kept apart from JUnit so that its format and its exit
 * status are tested on their own ({@code PlainReportTest}).
 */
final class PlainReport {

    /** Exit status when every behaviour passed or was skipped. */
    static final int ALL_PASSED = 0;
    /** Exit status when at least one behaviour failed. */
    static final int SOME_FAILED = 1;

    private final PrintStream out;
    private int passed;
    private int failed;
    private int skipped;

    PlainReport(PrintStream out) {
        this.out = out;
    }

    synchronized void passed(String behaviour) {
        passed++;
        out.println("passed   " + behaviour);
    }

    /** {@code why} on one line: an assertion's message says what a client saw, over several lines. */
    synchronized void failed(String behaviour, String why) {
        failed++;
        out.println("FAILED   " + behaviour);
        out.println("         " + oneLine(why));
    }

    synchronized void skipped(String behaviour, String why) {
        skipped++;
        out.println("skipped  " + behaviour + " (" + oneLine(why) + ")");
    }

    /** Prints "{@code N passed, N failed, N skipped}" and returns the exit status. */
    synchronized int finish() {
        out.println(passed + " passed, " + failed + " failed, " + skipped + " skipped");
        return failed == 0 ? ALL_PASSED : SOME_FAILED;
    }

    private static String oneLine(String text) {
        if (text == null || text.isBlank()) {
            return "no reason given";
        }
        return text.strip().replaceAll("\\s+", " ");
    }
}
