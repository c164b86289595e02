package dev.socketchat.cli;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;

/**
 * Stops the server on SIGINT (Ctrl-C) or SIGTERM, gracefully, and exits with status 0
 * (docs/protocol.md §8).
 *
 * <p>On either signal the JVM runs its shutdown hooks and then exits with 128 + the signal number,
 * 130 or 143, which a script or a supervisor reads as a failure. The hook registered here therefore
 * does more than clean up: it wakes the command waiting in {@link #await()}, waits while that command
 * stops the server, and then ends the JVM itself with the command's exit code. {@link Runtime#halt}
 * is the one way to choose the exit status once shutdown has begun ({@code System.exit} would wait
 * for this very hook, forever); it skips hooks that have not finished, and this is the only one.
 */
final class SignalStop implements StopSignal {

    private final CountDownLatch requested = new CountDownLatch(1);
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    private final Thread hook = new Thread(this::onSignal, "stop on signal");

    @Override
    public void await() throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(hook);
        requested.await();
    }

    @Override
    public void stopped(int code) {
        exitCode.complete(code);
    }

    private void onSignal() {
        requested.countDown();
        int code;
        try {
            // Blocks while the command stops the server: at most the grace period and a little more.
            code = exitCode.get();
        } catch (InterruptedException | ExecutionException e) {
            code = 1;
        }
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code);
    }
}
