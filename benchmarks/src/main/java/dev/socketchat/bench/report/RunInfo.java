package dev.socketchat.bench.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a run was, kept as {@code run.json} next to JMH's results: when and where it ran, on which
 * JDK, with which settings, which variants, and which combinations were not run and why. The runners
 * ({@code ./chat bench} and {@code ./chat bench cluster}) write it and {@link Report} reads it, so
 * charts and tables always carry the machine they were measured on.
 *
 * @param date        when the run started, ISO-8601 local time with offset
 * @param profile     {@code quick} or {@code full}
 * @param settings    forks, iterations and times, as one line
 * @param machine     CPU model, cores, memory, OS
 * @param jdk         vendor, version and VM of the JDK that ran both sides
 * @param variants    every variant measured, in lesson order
 * @param workloads   the workloads run
 * @param skipped     combinations not run, with the reason
 * @param wallSeconds how long the whole run took
 * @param pinning     which CPUs the load generator and the server ran on; null in runs made before it was kept
 * @param counters    where the server's costs per message were counted from (perf or {@code /proc} alone);
 *                    null in runs that counted none
 */
public record RunInfo(String date, String profile, String settings, Machine machine, String jdk, List<Variant> variants,
                      List<String> workloads, List<Skip> skipped, long wallSeconds, String pinning, String counters) {

    /** The file name in a run's directory. */
    public static final String FILE = "run.json";

    /** A measured variant. */
    public record Variant(String name, int lesson, String summary) {
    }

    /** A combination the runner did not run: the model cannot serve that many clients at once. */
    public record Skip(String workload, String variant, int clients, String reason) {
    }

    /**
     * The machine the run measured on.
     *
     * @param cpu       the CPU model from {@code /proc/cpuinfo}
     * @param cores     processors available to the JVM
     * @param memoryMiB physical memory
     * @param os        name, version and architecture
     */
    public record Machine(String cpu, int cores, long memoryMiB, String os) {

        /** The machine this JVM runs on. */
        public static Machine current() {
            return new Machine(readCpuModel(), Runtime.getRuntime().availableProcessors(), readMemoryMiB(),
                    System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                            + System.getProperty("os.arch"));
        }

        private static String readCpuModel() {
            return procLine("/proc/cpuinfo", "model name").orElse("unknown CPU");
        }

        private static long readMemoryMiB() {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return os.getTotalMemorySize() / (1024 * 1024);
            }
            return -1;
        }

        private static Optional<String> procLine(String file, String key) {
            try {
                return Files.readAllLines(Path.of(file)).stream()
                        .filter(line -> line.startsWith(key))
                        .map(line -> line.substring(line.indexOf(':') + 1).strip())
                        .findFirst();
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        @Override
        public String toString() {
            return cpu + ", " + cores + " cores, " + String.format("%,d", memoryMiB) + " MiB RAM, " + os;
        }
    }

    /** Vendor, version and VM of the JDK this JVM runs on. */
    public static String currentJdk() {
        return System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vm.name") + ")";
    }

    /** Reads the {@value #FILE} of the run in {@code dir}. */
    public static RunInfo read(Path dir) throws IOException {
        return gson().fromJson(Files.readString(dir.resolve(FILE), StandardCharsets.UTF_8), RunInfo.class);
    }

    /** Writes this as the {@value #FILE} of the run in {@code dir}. */
    public void write(Path dir) throws IOException {
        Files.writeString(dir.resolve(FILE), gson().toJson(this), StandardCharsets.UTF_8);
    }

    /** How a run's JSON files are written: indented for diffs, with {@code <} and {@code >} as they are. */
    public static Gson gson() {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    }
}
