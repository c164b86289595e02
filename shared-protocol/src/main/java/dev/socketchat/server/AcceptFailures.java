package dev.socketchat.server;

import dev.socketchat.room.ServerConsole;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * What an accept loop does when {@code accept()} fails: backs off instead of spinning, and tells
 * the operator once per episode instead of once per failure.
 *
 * <p>The usual cause is running out of file descriptors ({@code Too many open files}). The
 * connection that could not be accepted stays in the kernel's queue and the listening socket stays
 * ready, so a loop that simply tries again fails again at once, thousands of times a second, on a
 * core of its own, printing a line each time. With this class the loop waits a little longer after
 * each failure (from {@value #FIRST_BACKOFF_MILLIS} ms, doubling up to {@value #MAX_BACKOFF_MILLIS} ms),
 * prints one line when the failures begin and one when an accept succeeds again, and keeps the
 * stack trace for the logger at {@code DEBUG}, a level that is off by default:
 *
 * <pre>
 * [error] accept failed: Too many open files; retrying every 250 ms at most
 * [error] accepting again after 412 failed accepts
 * </pre>
 *
 * <p>Reporting an error must not itself need what has run out. A logger that stamps its records with
 * the local time loads the time-zone rules from a file the first time it does so, which needs a
 * descriptor, and the logging backend reads its configuration the first time it is used; this class
 * does both when it is created, while descriptors are still to be had.
 *
 * <p>Used by one accept loop's thread only.
 */
public final class AcceptFailures {

    static final long FIRST_BACKOFF_MILLIS = 5;
    static final long MAX_BACKOFF_MILLIS = 250;

    private static final System.Logger LOG = System.getLogger(AcceptFailures.class.getName());

    private final ServerConsole console;
    private long failures;
    private long backoffMillis;

    public AcceptFailures(ServerConsole console) {
        this.console = console;
        preloadTimeZoneRules();
    }

    /**
     * An accept failed.
     *
     * @return how long to wait before accepting again; the loop must not try sooner
     */
    public Duration failed(IOException e) {
        if (failures++ == 0) {
            console.error("accept failed: " + e.getMessage() + "; retrying every " + MAX_BACKOFF_MILLIS
                    + " ms at most");
            backoffMillis = FIRST_BACKOFF_MILLIS;
        } else {
            backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
        }
        LOG.log(System.Logger.Level.DEBUG, "accept failed", e);
        return Duration.ofMillis(backoffMillis);
    }

    /**
     * For a blocking accept loop: reports the failure as {@link #failed} does, then waits out the
     * back-off on the calling thread. Returns early if the thread is interrupted, with the interrupt
     * kept, so that a server stopping meanwhile is not held up.
     */
    public void backOff(IOException e) {
        try {
            Thread.sleep(failed(e));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * For a blocking accept loop: the next connection, once one is accepted, or {@code null} once
     * {@code serverSocket} is closed (which is how a server stops its acceptor). A failed accept is
     * reported and waited out as {@link #backOff} does before the next try, and the first accept
     * that succeeds after failures ends the episode, so that a loop written as
     * {@code while ((socket = acceptFailures.accept(serverSocket)) != null)} holds only what its
     * model does with a connection.
     */
    public Socket accept(ServerSocket serverSocket) {
        while (!serverSocket.isClosed()) {
            Socket socket;
            try {
                // Blocks until a client connects, or until the server closes the socket to stop.
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (!serverSocket.isClosed()) {
                    // Most likely out of descriptors: wait a little instead of failing again at once.
                    backOff(e);
                }
                continue;
            }
            succeeded();
            return socket;
        }
        return null;
    }

    /** An accept succeeded: ends an episode of failures, if there was one. */
    public void succeeded() {
        if (failures > 0) {
            console.error("accepting again after " + failures + (failures == 1 ? " failed accept" : " failed accepts"));
            failures = 0;
        }
    }

    private static void preloadTimeZoneRules() {
        ZonedDateTime.now(ZoneId.systemDefault());
        // The logging backend reads its configuration file when first asked: ask now.
        LOG.isLoggable(System.Logger.Level.DEBUG);
    }
}
