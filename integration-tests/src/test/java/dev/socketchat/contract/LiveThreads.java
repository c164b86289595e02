package dev.socketchat.contract;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The threads alive in this JVM, platform and virtual, by id and name.
 *
 * <p>{@link Thread#getAllStackTraces()} lists platform threads only, so a server built on virtual
 * threads could leave some behind unseen. The JSON thread dump of {@link HotSpotDiagnosticMXBean}
 * lists virtual threads too.
 *
 * <p>The JDK's own infrastructure is left out: the carrier threads of the virtual-thread scheduler
 * and the JDK's system threads (such as the poller that parks virtual threads on sockets). The JDK
 * starts them on first use of a feature, by whoever uses it, and keeps or retires them on its own
 * schedule; no application code can start one.
 */
final class LiveThreads {

    // The dump lists each thread as {"tid": "…", "time": "…", "name": "…", …}.
    private static final Pattern THREAD = Pattern.compile(
            "\"tid\":\\s*\"(\\d+)\",\\s*\"time\":\\s*\"[^\"]*\",\\s*\"name\":\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private LiveThreads() {
    }

    /** Every live thread but the JDK's own: id to name. */
    static Map<Long, String> now() {
        Map<Long, String> threads = new HashMap<>();
        Matcher matcher = THREAD.matcher(dump());
        while (matcher.find()) {
            threads.put(Long.parseLong(matcher.group(1)), matcher.group(2));
        }
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (isJdkInfrastructure(thread)) {
                threads.remove(thread.threadId());
            }
        }
        return threads;
    }

    /** Every live platform thread but the JDK's own, as objects that can be asked later whether they still run. */
    static List<Thread> platform() {
        return Thread.getAllStackTraces().keySet().stream().filter(thread -> !isJdkInfrastructure(thread)).toList();
    }

    private static boolean isJdkInfrastructure(Thread thread) {
        ThreadGroup group = thread.getThreadGroup();
        return group != null && group.getName().equals("CarrierThreads")
                || thread.getClass().getName().equals("jdk.internal.misc.InnocuousThread");
    }

    /** The threads in {@code now} that were not in {@code before}. */
    static Map<Long, String> startedSince(Map<Long, String> before, Map<Long, String> now) {
        Map<Long, String> started = new HashMap<>(now);
        started.keySet().removeAll(before.keySet());
        return started;
    }

    private static String dump() {
        try {
            Path directory = Files.createTempDirectory("threads");
            // The bean refuses to overwrite a file, so it writes into a fresh one.
            Path file = directory.resolve("dump.json");
            try {
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                        .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
                return Files.readString(file);
            } finally {
                Files.deleteIfExists(file);
                Files.delete(directory);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take a thread dump", e);
        }
    }
}
