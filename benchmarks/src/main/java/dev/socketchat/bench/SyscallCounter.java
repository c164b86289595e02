package dev.socketchat.bench;

import dev.socketchat.load.Proc;


import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Every system call a server makes, by name, counted by Linux perf for one window:
 * {@code perf stat -e raw_syscalls:sys_enter,syscalls:sys_enter_read,... -a -C CPUS} on the CPUs
 * the server has to itself, or {@code -p PID} where it has none ({@link #target}). The kernel
 * counts each call as it enters, so the count does not move with stolen CPU time.
 *
 * <p>Where {@code perf} is not installed or may not read the tracepoints, {@link #attach} returns
 * empty and the benchmarks fall back to the read and write calls of {@code /proc/<pid>/io}
 * ({@link Proc}); the run records which source it had ({@link #source()}).
 *
 * <p>perf opens one counter per event and CPU (or thread), so it counts {@link #KINDS} by name, the
 * calls that tell the models apart (socket reads and writes, futex for a thread handing work to
 * another, the selector's epoll), and everything else in the total ({@code raw_syscalls:sys_enter}).
 * Counting a process's threads, it counts those it has when it attaches; the benchmarks attach
 * after their clients are in, when a server has every thread it will have.
 */
public final class SyscallCounter implements AutoCloseable {

    /** The event that counts every system call; the report's "all". */
    static final String TOTAL = "raw_syscalls:sys_enter";
    /** The calls counted by name, where the kernel has a tracepoint for them. */
    static final List<String> KINDS = List.of("read", "write", "readv", "writev", "recvfrom", "sendto", "futex",
            "epoll_wait", "epoll_pwait", "epoll_ctl", "poll", "ppoll", "accept", "sched_yield", "mprotect", "madvise");
    private static final String PREFIX = "syscalls:sys_enter_";
    /** What perf prints on its standard error once its counters run (it starts them after {@code -D}). */
    private static final String ENABLED = "Events enabled";
    private static final long ATTACH_TIMEOUT_SECONDS = 30;

    private static volatile Optional<List<String>> events;

    private final Process perf;
    private final Path output;

    private SyscallCounter(Process perf, Path output) {
        this.perf = perf;
        this.output = output;
    }

    /** Where the benchmarks' system call counts come from on this machine, in words for the report. */
    public static String source() {
        return events().isPresent()
                ? "perf stat (" + TOTAL + " for all calls; " + PREFIX + "* for " + String.join(", ", names()) + ")"
                : "/proc/PID/io syscr and syscw (read-type and write-type calls only: perf is not available)";
    }

    /** Whether perf can count system calls here. */
    public static boolean available() {
        return events().isPresent();
    }

    /** The calls this machine's perf counts by name. */
    static List<String> names() {
        return events().orElse(List.of()).stream().skip(1).map(e -> e.substring(PREFIX.length())).toList();
    }

    /**
     * The events to count: {@link #TOTAL} first, then the {@link #KINDS} this kernel has, found once
     * per JVM from perf's own list; empty if perf cannot run or has no system call tracepoints.
     */
    private static Optional<List<String>> events() {
        Optional<List<String>> known = events;
        if (known == null) {
            known = listEvents();
            events = known;
        }
        return known;
    }

    private static Optional<List<String>> listEvents() {
        try {
            Process list = new ProcessBuilder("perf", "list", "--raw-dump", "tracepoint")
                    .redirectErrorStream(true).start();
            list.getOutputStream().close();
            String dump = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!list.waitFor(ATTACH_TIMEOUT_SECONDS, TimeUnit.SECONDS) || list.exitValue() != 0) {
                list.destroyForcibly();
                return Optional.empty();
            }
            return eventsIn(dump);
        } catch (IOException e) {
            return Optional.empty(); // no perf on the PATH
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** {@link #TOTAL} and the {@link #KINDS} that {@code perf list --raw-dump tracepoint} names. */
    static Optional<List<String>> eventsIn(String rawDump) {
        Set<String> listed = Set.copyOf(List.of(rawDump.strip().split("\\s+"))); // perf may list a name twice
        if (!listed.contains(TOTAL)) {
            return Optional.empty();
        }
        List<String> chosen = new ArrayList<>(List.of(TOTAL));
        KINDS.stream().map(kind -> PREFIX + kind).filter(listed::contains).forEach(chosen::add);
        return Optional.of(List.copyOf(chosen));
    }

    /**
     * Attaches perf to {@code pid}'s CPUs or threads ({@link #target}) and returns once its counters
     * run, or empty if perf is not available or could not attach (too many threads for the
     * open-file limit, say).
     */
    public static Optional<SyscallCounter> attach(long pid) {
        Optional<List<String>> chosen = events();
        if (chosen.isEmpty()) {
            return Optional.empty();
        }
        Process perf = null;
        try {
            Path output = Files.createTempFile("syscalls-" + pid + "-", ".csv");
            // "-- cat" gives perf a workload that ends when we close its standard input: that ends
            // the window and makes perf write its counts (it writes none when it is killed). -D 1
            // makes it announce on standard error when its counters start.
            List<String> command = new ArrayList<>(List.of("perf", "stat", "-x,", "-D", "1", "-o", output.toString(),
                    "-e", String.join(",", chosen.get())));
            command.addAll(target(pid, System.getProperty(CpuPinning.SERVER_CPUS, "")));
            command.addAll(List.of("--", "cat"));
            perf = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (awaitEnabled(perf)) {
                return Optional.of(new SyscallCounter(perf, output));
            }
            perf.destroyForcibly();
            Files.deleteIfExists(output);
            return Optional.empty();
        } catch (IOException e) {
            if (perf != null) {
                perf.destroyForcibly();
            }
            return Optional.empty();
        }
    }

    /**
     * What perf counts: the server's CPUs, where it has CPUs of its own, or else its threads.
     * Counters per thread are not free: the kernel switches every thread's counters out and in at
     * each context switch, and a blocking server of a hundred threads switches on nearly every frame.
     * Counters per CPU stay where they are; on CPUs that only the server runs on, they count its
     * calls (and the rare kernel worker's).
     */
    static List<String> target(long pid, String serverCpus) {
        return serverCpus.isEmpty() ? List.of("-p", Long.toString(pid)) : List.of("-a", "-C", serverCpus);
    }

    /** Reads perf's standard error until it says its counters run; false if it ends first. */
    private static boolean awaitEnabled(Process perf) throws IOException {
        BufferedReader err = new BufferedReader(new InputStreamReader(perf.getErrorStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = err.readLine()) != null) {
            if (line.contains(ENABLED)) {
                Thread.ofPlatform().daemon().name("perf-stderr").start(() -> drain(err));
                return true;
            }
        }
        return false;
    }

    private static void drain(BufferedReader err) {
        try {
            while (err.readLine() != null) {
                // perf says "Events disabled" at the end; nothing else is expected.
            }
        } catch (IOException e) {
            // perf is gone: nothing more to read.
        }
    }

    /**
     * Ends the window and returns the calls counted, by name ({@link #TOTAL} under "all"), or
     * empty if perf failed to count them.
     */
    public Optional<Map<String, Long>> stop() {
        try {
            perf.getOutputStream().close();
            if (!perf.waitFor(ATTACH_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                return Optional.empty();
            }
            return parse(Files.readAllLines(output, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            close();
        }
    }

    /**
     * Reads {@code perf stat -x,} output: {@code count,unit,event,run time,percentage,...}, one
     * line per event, after comment lines. A counter perf could not run ({@code <not counted>},
     * {@code <not supported>}) makes the whole count empty: a partial one would read as fewer calls.
     */
    static Optional<Map<String, Long>> parse(List<String> lines) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split(",", -1);
            if (fields.length < 3 || !fields[0].chars().allMatch(Character::isDigit) || fields[0].isEmpty()) {
                return Optional.empty();
            }
            String event = fields[2];
            String name = event.equals(TOTAL) ? "all" : event.startsWith(PREFIX) ? event.substring(PREFIX.length()) : null;
            if (name != null) {
                counts.merge(name, Long.parseLong(fields[0]), Long::sum);
            }
        }
        return counts.containsKey("all") ? Optional.of(counts) : Optional.empty();
    }

    /** Stops perf if it still runs and removes its output; idempotent. */
    @Override
    public void close() {
        perf.destroyForcibly();
        try {
            Files.deleteIfExists(output);
        } catch (IOException e) {
            // a temporary file left behind; nothing to do about it here
        }
    }
}
