package dev.socketchat.nio;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What exists only so that tests and benchmarks can see what coalescing buys: which
 * {@link WriteStrategy} the connections use, and how many {@code write} calls they have made. A reader
 * of the lesson can skip this class: the registered model always coalesces, and nothing in the server
 * reads the counter.
 */
final class WriteInstrumentation {

    private final WriteStrategy strategy;
    private final AtomicLong writeCalls = new AtomicLong();

    WriteInstrumentation(WriteStrategy strategy) {
        this.strategy = strategy;
    }

    WriteStrategy strategy() {
        return strategy;
    }

    void countWrite() {
        writeCalls.incrementAndGet();
    }

    long writeCalls() {
        return writeCalls.get();
    }
}
