package dev.socketchat.cli;

/**
 * The user's end of a conversation: where the lines to send come from, and where the frames the
 * server sends are shown. {@link InteractiveClient} talks to the server and to one of these, and
 * knows nothing of terminals: {@link PlainConsole} serves pipes and scripts, {@link TerminalConsole}
 * a person at a terminal.
 *
 * <p>Two threads use a console at once: the keyboard thread calls {@link #readLine()}, the receiving
 * thread calls {@link #show(String)} while a line may be half typed. Each implementation says how
 * it keeps them from writing over each other.
 */
interface ChatConsole {

    /**
     * Blocks until the user has a line to send.
     *
     * @return the line, or null when the user leaves (end of input, Ctrl-D, Ctrl-C) or after
     *         {@link #stopReading()}
     */
    String readLine();

    /** Shows one frame's payload, exactly, as it arrived; called by the receiving thread. */
    void show(String payload);

    /**
     * The conversation is over: wakes a {@link #readLine()} in progress, makes every later one
     * return null, and returns once the console is back as it was before (a terminal in its own mode).
     */
    void stopReading();
}
