package dev.socketchat.cli;

/**
 * How a running {@code chat server} learns that it should stop, and reports that it has. In the
 * launcher that is SIGINT or SIGTERM ({@link SignalStop}); a test stops it by hand.
 */
interface StopSignal {

    /** Blocks until a stop is requested. */
    void await() throws InterruptedException;

    /** The server has stopped; the process may now end with {@code exitCode}. */
    void stopped(int exitCode);
}
