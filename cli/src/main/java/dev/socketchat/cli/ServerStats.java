package dev.socketchat.cli;

import dev.socketchat.room.ServerConsole;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * One line of what a running server costs, for {@code chat server --stats}:
 *
 * <pre>
 * [stats] clients 5,000  threads 10,017  heap 61 of 254 MiB  resident 702 MiB
 * </pre>
 *
 * <p>It exists so that a learner can watch a model at work, for example the thread count of lesson
 * 02 growing with every client while lesson 05's stays flat, without a profiler. <em>Threads</em>
 * are the JVM's live platform threads: virtual threads are not threads of the operating system and
 * are not counted (their carriers are). <em>Resident</em> is what Linux holds in RAM for the whole
 * process ({@code VmRSS} of {@code /proc/self/status}), heap, stacks and the JVM itself; elsewhere it
 * shows as "n/a".
 */
final class ServerStats {

    private static final Path STATUS = Path.of("/proc/self/status");

    private final ServerConsole console;

    ServerStats(ServerConsole console) {
        this.console = console;
    }

    /** The line for now. */
    String line() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        OptionalLong resident = residentKiB();
        return String.format(Locale.ROOT, "[stats] clients %,d  threads %,d  heap %,d of %,d MiB  resident %s",
                console.clients(), ManagementFactory.getThreadMXBean().getThreadCount(),
                heap.getUsed() >> 20, heap.getCommitted() >> 20,
                resident.isPresent() ? String.format(Locale.ROOT, "%,d MiB", resident.getAsLong() >> 10) : "n/a");
    }

    /** {@code VmRSS} in KiB, where Linux offers it. */
    static OptionalLong residentKiB() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    return OptionalLong.of(Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").strip()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or a /proc without the line: the figure is simply not available.
        }
        return OptionalLong.empty();
    }
}
