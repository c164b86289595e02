package dev.socketchat.bench;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the load generator and the server under test off each other's CPUs, where Linux's
 * {@code taskset} allows: the load generator (this JVM and the JMH forks it starts, which inherit
 * its affinity) on CPU 0, every server process on the others.
 *
 * <p>Without it, on a 2-core machine the scheduler moves both sides across both cores as it sees
 * fit, and two runs in a row can split the cores differently: a variant's score then depends on
 * where the scheduler put things. Pinned, each side always has the same CPUs.
 *
 * <p>The server side is passed to the JMH forks as the system property {@value #SERVER_CPUS}, which
 * {@link ServerProcess} reads.
 */
public final class CpuPinning {

    /** The system property that tells {@link ServerProcess} the server's CPUs, for example {@code 1} or {@code 1-7}. */
    public static final String SERVER_CPUS = "bench.server.cpus";

    private CpuPinning() {
    }

    /**
     * Pins this JVM's every thread to CPU 0 and returns the server's CPU list ("1" or "1-7"), or
     * empty, with nothing changed, where that is not possible: not Linux, no {@code taskset}, a
     * single CPU, or {@code taskset} refused.
     */
    public static Optional<String> pinLoadGenerator() {
        int cpus = Runtime.getRuntime().availableProcessors();
        if (cpus < 2 || !System.getProperty("os.name").startsWith("Linux") || taskset().isEmpty()) {
            return Optional.empty();
        }
        try {
            Process process = new ProcessBuilder(taskset().get(), "-a", "-cp", "0",
                    Long.toString(ProcessHandle.current().pid()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        return Optional.of(cpus == 2 ? "1" : "1-" + (cpus - 1));
    }

    /** The prefix that starts a server on {@code cpus}, or nothing. */
    static List<String> serverPrefix() {
        String cpus = System.getProperty(SERVER_CPUS, "");
        if (cpus.isEmpty() || taskset().isEmpty()) {
            return List.of();
        }
        return List.of(taskset().get(), "-c", cpus);
    }

    /** How the run was pinned, for its metadata. */
    public static String describe(Optional<String> serverCpus) {
        return serverCpus.map(cpus -> "load generator on CPU 0, server on CPU " + cpus + " (taskset)")
                .orElse("not pinned: taskset is not available here, or there is one CPU");
    }

    private static Optional<String> taskset() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            File candidate = new File(dir, "taskset");
            if (candidate.canExecute()) {
                return Optional.of(candidate.getPath());
            }
        }
        return Optional.empty();
    }
}
