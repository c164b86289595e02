package dev.socketchat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The machine's CPU time so far, from the first line of Linux's {@code /proc/stat}, in clock ticks
 * summed over every CPU:
 *
 * <pre>
 * cpu  user nice system idle iowait irq softirq steal guest guest_nice
 * </pre>
 *
 * <p>The benchmarks want one of those columns: <b>steal</b>, the time a virtual machine's CPUs
 * were ready to run and the hypervisor ran something else. On a shared host it comes in bursts of
 * seconds; an iteration that lost a quarter of its CPU that way measured the neighbours, not the
 * server. {@link MetricsProfiler} publishes the share stolen during each iteration.
 *
 * @param total every tick counted, idle included ({@code guest} is already inside {@code user})
 * @param steal the ticks the hypervisor took
 */
public record CpuTimes(long total, long steal) {

    private static final Path PROC_STAT = Path.of("/proc/stat");

    /** Now, or empty where there is no {@code /proc/stat} (not Linux) or it cannot be read. */
    public static Optional<CpuTimes> now() {
        try {
            return Optional.of(parse(Files.readAllLines(PROC_STAT).getFirst()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static CpuTimes parse(String line) {
        List<String> fields = Arrays.asList(line.strip().split("\\s+"));
        if (!fields.getFirst().equals("cpu") || fields.size() < 9) {
            throw new IllegalArgumentException("not the machine's line of /proc/stat: " + line);
        }
        long total = 0;
        // user, nice, system, idle, iowait, irq, softirq, steal: guest and guest_nice are counted in user.
        for (String field : fields.subList(1, 9)) {
            total += Long.parseLong(field);
        }
        return new CpuTimes(total, Long.parseLong(fields.get(8)));
    }

    /** The percentage of CPU time stolen between {@code earlier} and this; 0 if no time passed. */
    public double stolenPercentSince(CpuTimes earlier) {
        long elapsed = total - earlier.total;
        return elapsed <= 0 ? 0 : 100.0 * (steal - earlier.steal) / elapsed;
    }
}
