package dev.socketchat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What Linux says about a process in {@code /proc/<pid>/status}: its resident memory and its
 * thread count, the two costs the capacity benchmark reports.
 *
 * <pre>
 * VmRSS:     48732 kB
 * Threads:   23
 * </pre>
 *
 * @param residentKiB {@code VmRSS}: memory the process holds in RAM, in KiB
 * @param threads     {@code Threads}: every thread of the process, the JVM's own included
 */
public record ProcStatus(long residentKiB, int threads) {

    /** Reads the status of process {@code pid}. */
    public static ProcStatus of(long pid) throws IOException {
        return parse(Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")));
    }

    static ProcStatus parse(List<String> lines) {
        long rss = -1;
        int threads = -1;
        for (String line : lines) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(value(line, "VmRSS:").replace("kB", "").strip());
            } else if (line.startsWith("Threads:")) {
                threads = Integer.parseInt(value(line, "Threads:"));
            }
        }
        if (rss < 0 || threads < 0) {
            throw new IllegalArgumentException("no VmRSS or Threads line in " + lines);
        }
        return new ProcStatus(rss, threads);
    }

    private static String value(String line, String key) {
        return line.substring(key.length()).strip();
    }

    /** Resident memory in MiB. */
    public double residentMiB() {
        return residentKiB / 1024.0;
    }
}
