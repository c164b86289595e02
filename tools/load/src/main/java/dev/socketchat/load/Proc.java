package dev.socketchat.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The one reader of Linux's {@code /proc}, for the benchmarks, {@code chat server --stats} and the
 * tests: what the kernel counted for the machine and for a process. Every figure here is the
 * kernel's own accounting, so it holds still when the hypervisor takes the CPU away, which
 * throughput does not.
 *
 * <ul>
 *   <li>{@link MachineCpu}: the machine's CPU ticks and the share the hypervisor stole, from
 *       {@code /proc/stat};</li>
 *   <li>{@link Status}: a process's resident memory and threads, from {@code /proc/<pid>/status};</li>
 *   <li>{@link Counters}: a process's CPU time, read and write calls and context switches, from
 *       {@code /proc/<pid>/stat}, {@code /proc/<pid>/io} and every {@code /proc/<pid>/task/<tid>/status}.</li>
 * </ul>
 *
 * <p>Where there is no {@code /proc} (macOS), the readers return empty and the report says "n/a".
 * Parsing is separate from reading, so that tests feed it recorded files.
 */
public final class Proc {

    /**
     * Clock ticks per second in {@code /proc/.../stat}: {@code USER_HZ}, which Linux fixes at 100 on
     * every architecture it exports to user space, whatever the kernel's internal tick rate.
     */
    public static final int TICKS_PER_SECOND = 100;

    private static final Path ROOT = Path.of("/proc");

    private Proc() {
    }

    // ---------------------------------------------------------------- the machine

    /**
     * The machine's CPU time so far, from the first line of {@code /proc/stat}, in ticks summed over
     * every CPU: {@code cpu user nice system idle iowait irq softirq steal guest guest_nice}.
     *
     * <p>The benchmarks want one of those columns: <b>steal</b>, the time a virtual machine's CPUs
     * were ready to run and the hypervisor ran something else. On a shared host it comes in bursts of
     * seconds; an iteration that lost a quarter of its CPU that way measured the neighbours, not the
     * server. The benchmarks publish the share stolen during each iteration.
     *
     * @param total every tick counted, idle included ({@code guest} is already inside {@code user})
     * @param steal the ticks the hypervisor took
     */
    public record MachineCpu(long total, long steal) {

        /** The percentage of CPU time stolen between {@code earlier} and this; 0 if no time passed. */
        public double stolenPercentSince(MachineCpu earlier) {
            long elapsed = total - earlier.total;
            return elapsed <= 0 ? 0 : 100.0 * (steal - earlier.steal) / elapsed;
        }
    }

    /** The machine's CPU time now, or empty where {@code /proc/stat} cannot be read. */
    public static Optional<MachineCpu> machineCpu() {
        try {
            return Optional.of(parseMachineCpu(Files.readAllLines(ROOT.resolve("stat")).getFirst()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static MachineCpu parseMachineCpu(String line) {
        List<String> fields = Arrays.asList(line.strip().split("\\s+"));
        if (!fields.getFirst().equals("cpu") || fields.size() < 9) {
            throw new IllegalArgumentException("not the machine's line of /proc/stat: " + line);
        }
        long total = 0;
        // user, nice, system, idle, iowait, irq, softirq, steal: guest and guest_nice are counted in user.
        for (String field : fields.subList(1, 9)) {
            total += Long.parseLong(field);
        }
        return new MachineCpu(total, Long.parseLong(fields.get(8)));
    }

    // ---------------------------------------------------------------- memory and threads

    /**
     * A process's {@code VmRSS} and {@code Threads} from {@code /proc/<pid>/status}, the two costs
     * the capacity benchmark reports.
     *
     * @param residentKiB memory the process holds in RAM, in KiB
     * @param threads     every thread of the process, the JVM's own included
     */
    public record Status(long residentKiB, int threads) {

        /** Resident memory in MiB. */
        public double residentMiB() {
            return residentKiB / 1024.0;
        }
    }

    /** The status of process {@code pid}. */
    public static Status status(long pid) throws IOException {
        return parseStatus(Files.readAllLines(processDir(pid).resolve("status")));
    }

    static Status parseStatus(List<String> lines) {
        OptionalLong rss = field(lines, "VmRSS:");
        OptionalLong threads = field(lines, "Threads:");
        if (rss.isEmpty() || threads.isEmpty()) {
            throw new IllegalArgumentException("no VmRSS or Threads line in " + lines);
        }
        return new Status(rss.getAsLong(), (int) threads.getAsLong());
    }

    // ---------------------------------------------------------------- work counters

    /**
     * What the kernel has counted for a process so far. Differences between two readings are the
     * work done in between.
     *
     * @param cpuTicks   user + system time of every thread, ended ones included, in ticks of
     *                   1/{@value #TICKS_PER_SECOND} s ({@code utime} + {@code stime} of {@code /proc/<pid>/stat})
     * @param reads      read-type system calls ({@code syscr} of {@code /proc/<pid>/io}): read, readv, pread...
     *                   on any descriptor, sockets included; empty where the file cannot be read
     * @param writes     write-type system calls ({@code syscw}): write, writev, pwrite...
     * @param switches   context switches, voluntary + involuntary, by thread id: the kernel keeps them
     *                   per thread, and the process's own {@code status} shows only its main thread's
     */
    public record Counters(long cpuTicks, OptionalLong reads, OptionalLong writes, Map<Long, Long> switches) {

        public Counters {
            switches = Map.copyOf(switches);
        }

        /**
         * The context switches between {@code earlier} and this, over every thread: a thread that
         * started in between counts from zero. A thread that ended in between is missing from this
         * reading, and its switches since {@code earlier} are lost; {@link Delta#threadsEnded} says
         * how many were, so that a caller can tell a complete count from a lower bound.
         */
        public Delta since(Counters earlier) {
            long switchesBetween = 0;
            for (Map.Entry<Long, Long> thread : switches.entrySet()) {
                switchesBetween += thread.getValue() - earlier.switches.getOrDefault(thread.getKey(), 0L);
            }
            int ended = (int) earlier.switches.keySet().stream().filter(tid -> !switches.containsKey(tid)).count();
            return new Delta(cpuTicks - earlier.cpuTicks, minus(reads, earlier.reads), minus(writes, earlier.writes),
                    switchesBetween, ended);
        }

        private static OptionalLong minus(OptionalLong later, OptionalLong earlier) {
            return later.isPresent() && earlier.isPresent()
                    ? OptionalLong.of(later.getAsLong() - earlier.getAsLong()) : OptionalLong.empty();
        }
    }

    /**
     * The work a process did between two {@link Counters}.
     *
     * @param threadsEnded threads that ended in between, whose last switches are not in {@code switches}
     */
    public record Delta(long cpuTicks, OptionalLong reads, OptionalLong writes, long switches, int threadsEnded) {

        /** CPU time in microseconds. */
        public double cpuMicros() {
            return cpuTicks * 1_000_000.0 / TICKS_PER_SECOND;
        }
    }

    /** The CPU time, user + system, that every thread of process {@code pid} has used so far. */
    public static Duration cpuTime(long pid) throws IOException {
        long ticks = parseCpuTicks(Files.readString(processDir(pid).resolve("stat")));
        return Duration.ofMillis(ticks * 1_000 / TICKS_PER_SECOND);
    }

    /**
     * The scheduling state of every thread of process {@code pid}, one letter each as {@code ps}
     * shows it: R running, S sleeping, T stopped by a signal... A thread that ends while they are
     * read is left out.
     */
    public static List<Character> threadStates(long pid) throws IOException {
        List<Character> states = new ArrayList<>();
        try (Stream<Path> threads = Files.list(processDir(pid).resolve("task"))) {
            for (Path thread : threads.toList()) {
                try {
                    states.add(parseState(Files.readString(thread.resolve("stat"))));
                } catch (NoSuchFileException e) {
                    // The thread ended between listing and reading.
                }
            }
        }
        return states;
    }

    /** The counters of process {@code pid} now, or empty where {@code /proc} has no such process. */
    public static Optional<Counters> counters(long pid) {
        Path dir = processDir(pid);
        try {
            long cpu = parseCpuTicks(Files.readString(dir.resolve("stat")));
            OptionalLong reads = OptionalLong.empty();
            OptionalLong writes = OptionalLong.empty();
            try {
                List<String> io = Files.readAllLines(dir.resolve("io"));
                reads = field(io, "syscr:");
                writes = field(io, "syscw:");
            } catch (IOException e) {
                // Only the process's owner (or root) may read io; CPU and switches still count.
            }
            return Optional.of(new Counters(cpu, reads, writes, switchesByThread(dir.resolve("task"))));
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    private static Map<Long, Long> switchesByThread(Path tasks) throws IOException {
        Map<Long, Long> switches = new HashMap<>();
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : threads.toList()) {
                try {
                    switches.put(Long.parseLong(thread.getFileName().toString()),
                            parseSwitches(Files.readAllLines(thread.resolve("status"))));
                } catch (NoSuchFileException e) {
                    // The thread ended between listing and reading: as if it had ended just before.
                }
            }
        }
        return switches;
    }

    /**
     * {@code utime + stime} from a {@code /proc/<pid>/stat} line. The second field, the command
     * name in parentheses, may itself hold spaces and parentheses, so fields are counted from the
     * last ')': after it come state (field 3), ... utime (14), stime (15).
     */
    static long parseCpuTicks(String stat) {
        int end = stat.lastIndexOf(')');
        if (end < 0) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + stat);
        }
        String[] fields = stat.substring(end + 1).strip().split("\\s+");
        // fields[0] is field 3 (state), so field n is fields[n - 3].
        return Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
    }

    /** The state, field 3 of a {@code stat} line: the letter after the command name's last ')'. */
    static char parseState(String stat) {
        int end = stat.lastIndexOf(')');
        if (end < 0 || end + 2 >= stat.length()) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + stat);
        }
        return stat.charAt(end + 2);
    }

    /** Voluntary + involuntary context switches from a thread's {@code status}. */
    static long parseSwitches(List<String> status) {
        OptionalLong voluntary = field(status, "voluntary_ctxt_switches:");
        OptionalLong involuntary = field(status, "nonvoluntary_ctxt_switches:");
        if (voluntary.isEmpty() || involuntary.isEmpty()) {
            throw new IllegalArgumentException("no context switch lines in " + status);
        }
        return voluntary.getAsLong() + involuntary.getAsLong();
    }

    private static Path processDir(long pid) {
        return ROOT.resolve(Long.toString(pid));
    }

    /** The number after {@code key} on the line that starts with it, a trailing "kB" ignored. */
    private static OptionalLong field(List<String> lines, String key) {
        return lines.stream()
                .filter(line -> line.startsWith(key))
                .map(line -> line.substring(key.length()).replace("kB", "").strip())
                .mapToLong(Long::parseLong)
                .findFirst();
    }
}
