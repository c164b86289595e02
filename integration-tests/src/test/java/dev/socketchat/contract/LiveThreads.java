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

    /**
     * Netty's {@code GlobalEventExecutor}: one thread for the whole JVM, named
     * {@code globalEventExecutor-<pool>-<n>}. Netty starts it whenever some task is handed to it; an
     * event loop group hands it one when its last loop has ended (the group's termination future
     * notifies its listeners there), so every Netty server starts it in {@code stop()}, and it may
     * still be running, idle, at the instant {@code stop()} returns. It ends itself once it has had
     * no task for a second.
     */
    private static final Pattern RETIRES_ON_ITS_OWN = Pattern.compile("globalEventExecutor-\\d+-\\d+");

    private LiveThreads() {
    }

    /**
     * Whether a thread of this name is exempt from "gone the instant {@code stop()} returns": a
     * thread of a library's own, shared by the whole JVM, that the server cannot end or join, and
     * that ends on its own within a bound. Such a thread must still be gone once that bound has
     * passed (see {@link InProcessServer#awaitRetirees()}). The only one is Netty's global executor, above.
     */
    static boolean retiresOnItsOwn(String name) {
        return RETIRES_ON_ITS_OWN.matcher(name).matches();
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
