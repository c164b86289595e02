package dev.socketchat.nio;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What exists only so that tests and benchmarks can see what coalescing buys: which
 * {@link WriteStrategy} the connections use, and how many {@code write} calls they have made. A reader
 * of the lesson can skip this class: the registered model always coalesces, and nothing in the server
 * reads the counter.
 */
final class WriteInstrumentation {

    /**
     * Coalesced writes, not counted: for connections whose loops run on several threads (lesson 06),
     * where one shared counter would be a cache line that every loop writes on every write.
     */
    static final WriteInstrumentation UNCOUNTED = new WriteInstrumentation(WriteStrategy.COALESCED, false);

    private final WriteStrategy strategy;
    private final boolean counting;
    private final AtomicLong writeCalls = new AtomicLong();

    WriteInstrumentation(WriteStrategy strategy) {
        this(strategy, true);
    }

    private WriteInstrumentation(WriteStrategy strategy, boolean counting) {
        this.strategy = strategy;
        this.counting = counting;
    }

    WriteStrategy strategy() {
        return strategy;
    }

    void countWrite() {
        if (counting) {
            writeCalls.incrementAndGet();
        }
    }

    long writeCalls() {
        return writeCalls.get();
    }
}
