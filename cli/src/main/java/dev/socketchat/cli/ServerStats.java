package dev.socketchat.cli;

import dev.socketchat.load.HeapAllocation;
import dev.socketchat.load.Proc;
import dev.socketchat.room.ServerConsole;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.DoubleUnaryOperator;

/**
 * What a running server costs, for {@code chat server --stats}: every interval a line of what it
 * holds, and from the second interval on a line of what it spent since the previous one, counted
 * as the benchmarks count it (the same {@link Proc} reader, the JVM's own allocation count):
 *
 * <pre>
 * [stats] clients 100  threads 208  heap 12 of 384 MiB  resident 120 MiB
 * [costs] cpu 111%  switches 34,243/s  reads 752/s  writes 25,121/s  alloc 13.5 MiB/s  messages 280/s  per message: cpu 3,959.9 µs  switches 122.18  reads 2.68  writes 89.63  alloc 50,609 B
 * </pre>
 *
 * <p>(thread-per-client under {@code chat load --clients 100 --chat 200}, the README's run.)
 *
 * <p>It exists so that a learner can watch a model at work, for example the thread count of lesson
 * 02 growing with every client while lesson 05's stays flat, or its context switches per message,
 * without a profiler. <em>Threads</em> are the JVM's live platform threads: virtual threads are not
 * threads of the operating system and are not counted (their carriers are). <em>Resident</em> is
 * what Linux holds in RAM for the whole process ({@code VmRSS}), heap, stacks and the JVM itself.
 * <em>cpu</em> is user + system time over all threads as a share of one core (200% is two cores
 * busy); <em>switches</em> are context switches, voluntary and involuntary, over all threads;
 * <em>reads</em> and <em>writes</em> are read-type and write-type system calls, sockets included.
 * A <em>message</em> is a chat message the room relayed, once, however many members it went to.
 * Where a figure cannot be counted (no {@code /proc} off Linux) it shows as "n/a".
 */
final class ServerStats {

    /** What the counters said at one moment. */
    record Sample(long nanos, Optional<Proc.Counters> counters, OptionalLong allocatedBytes, long messages) {
    }

    private final ServerConsole console;
    private final long pid = ProcessHandle.current().pid();
    // Only the stats thread reads and replaces it.
    private Sample previous;

    ServerStats(ServerConsole console) {
        this.console = console;
    }

    /** The lines for now: what the server holds, and from the second call on, what it spent since the last. */
    List<String> lines() {
        Sample now = new Sample(System.nanoTime(), Proc.counters(pid), HeapAllocation.allocatedBytes(), console.messages());
        String holding = holding();
        Sample earlier = previous;
        previous = now;
        return earlier == null ? List.of(holding) : List.of(holding, costs(earlier, now));
    }

    private String holding() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        String resident;
        try {
            resident = String.format(Locale.ROOT, "%,d MiB", Proc.status(pid).residentKiB() >> 10);
        } catch (IOException | RuntimeException e) {
            // Not Linux, or a /proc without the line: the figure is simply not available.
            resident = "n/a";
        }
        return String.format(Locale.ROOT, "[stats] clients %,d  threads %,d  heap %,d of %,d MiB  resident %s",
                console.clients(), ManagementFactory.getThreadMXBean().getThreadCount(),
                heap.getUsed() >> 20, heap.getCommitted() >> 20, resident);
    }

    /** The costs between two samples, as rates and per message; "n/a" where a counter is missing. */
    static String costs(Sample earlier, Sample later) {
        double seconds = (later.nanos() - earlier.nanos()) / 1e9;
        long messages = later.messages() - earlier.messages();
        Optional<Proc.Delta> delta = later.counters().flatMap(end -> earlier.counters().map(end::since));
        OptionalDouble cpuMicros = delta.map(d -> OptionalDouble.of(d.cpuMicros())).orElse(OptionalDouble.empty());
        OptionalDouble switches = delta.map(d -> OptionalDouble.of(d.switches())).orElse(OptionalDouble.empty());
        OptionalDouble reads = delta.map(d -> toDouble(d.reads())).orElse(OptionalDouble.empty());
        OptionalDouble writes = delta.map(d -> toDouble(d.writes())).orElse(OptionalDouble.empty());
        OptionalDouble allocated = later.allocatedBytes().isPresent() && earlier.allocatedBytes().isPresent()
                ? OptionalDouble.of(later.allocatedBytes().getAsLong() - earlier.allocatedBytes().getAsLong())
                : OptionalDouble.empty();

        String rates = String.format(Locale.ROOT, "[costs] cpu %s  switches %s/s  reads %s/s  writes %s/s  alloc %s MiB/s  messages %,.0f/s",
                figure(cpuMicros, v -> v / seconds / 1e4, "%.0f%%"), figure(switches, v -> v / seconds, "%,.0f"),
                figure(reads, v -> v / seconds, "%,.0f"), figure(writes, v -> v / seconds, "%,.0f"),
                figure(allocated, v -> v / seconds / (1 << 20), "%,.1f"), messages / seconds);
        if (messages == 0) {
            return rates + "  per message: – (no message)";
        }
        return rates + String.format(Locale.ROOT, "  per message: cpu %s µs  switches %s  reads %s  writes %s  alloc %s B",
                figure(cpuMicros, v -> v / messages, "%,.1f"), figure(switches, v -> v / messages, "%,.2f"),
                figure(reads, v -> v / messages, "%,.2f"), figure(writes, v -> v / messages, "%,.2f"),
                figure(allocated, v -> v / messages, "%,.0f"));
    }

    private static String figure(OptionalDouble value, DoubleUnaryOperator scale, String format) {
        return value.isPresent() ? String.format(Locale.ROOT, format, scale.applyAsDouble(value.getAsDouble())) : "n/a";
    }

    private static OptionalDouble toDouble(OptionalLong value) {
        return value.isPresent() ? OptionalDouble.of(value.getAsLong()) : OptionalDouble.empty();
    }
}
