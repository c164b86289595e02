package dev.socketchat.load;

import java.lang.management.ManagementFactory;
import java.util.OptionalLong;

/**
 * The heap bytes this JVM has allocated so far, by its own count: the garbage a model makes per
 * message, which the benchmarks' server reports and {@code chat server --stats} shows live.
 */
public final class HeapAllocation {

    private HeapAllocation() {
    }

    /**
     * Bytes allocated by every platform thread so far, ended ones included, or empty where the JVM
     * keeps no such count (it is HotSpot's {@code com.sun.management} extension).
     */
    public static OptionalLong allocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads) {
            long bytes = threads.getTotalThreadAllocatedBytes();
            return bytes < 0 ? OptionalLong.empty() : OptionalLong.of(bytes);
        }
        return OptionalLong.empty();
    }
}
