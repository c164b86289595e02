package dev.socketchat.cli;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/** Stops a {@code chat server} run when the test says so, instead of on a signal. */
final class ManualStop implements StopSignal {

    private final CountDownLatch requested = new CountDownLatch(1);
    final CompletableFuture<Integer> stopped = new CompletableFuture<>();

    void request() {
        requested.countDown();
    }

    @Override
    public void await() throws InterruptedException {
        requested.await();
    }

    @Override
    public void stopped(int exitCode) {
        stopped.complete(exitCode);
    }
}
