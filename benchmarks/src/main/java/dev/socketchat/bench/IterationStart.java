package dev.socketchat.bench;

import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * How a benchmark iteration starts: its cost window opens first, and only then is the message count
 * taken from which the iteration's invocations count on.
 *
 * <p>The order matters because the driver keeps running while the window opens, which takes a
 * while (perf needs up to seconds to attach to a server of a hundred threads, and reading their
 * {@code /proc} files takes milliseconds). Counted from before, the messages of that while were
 * credited to the iteration's first invocations, which then returned at once: JMH's throughput
 * came out up to half as high again as the rate the window counted, for thread-per-client, and
 * with it the product of throughput and CPU time per message above the one CPU the server had.
 *
 * @param costs     the iteration's cost window, empty for a warm-up iteration
 * @param completed the messages the driver had counted when the iteration started
 */
record IterationStart(Optional<ServerCosts> costs, long completed) {

    static IterationStart open(Supplier<Optional<ServerCosts>> window, LongSupplier messages) {
        Optional<ServerCosts> costs = window.get();
        return new IterationStart(costs, messages.getAsLong());
    }
}
