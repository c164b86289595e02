package dev.socketchat.bench;

import javax.management.JMException;
import javax.management.ObjectName;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * Brings the server's JVM, in its own process, to the state a long-running server is in, so that
 * the capacity benchmark's resident memory counts what the clients hold and not what connecting
 * them left behind.
 *
 * <p>Connecting thousands of clients to a fresh JVM leaves three things in its resident memory
 * that no client holds, and that differ from model to model: the pages of the young generation
 * first touched by the garbage each connection made (a long-running server has touched them all
 * long ago, and the serial collector, which the JVM picks on one CPU, never gives them back); the
 * compiler's scratch memory, which the C library keeps after the JIT frees it; and the garbage
 * itself. Measured by hand for Netty, those made more than half of a slope of 5 KiB per client, and
 * all of it went away once the server had settled. So, with the same steps for every model:
 * <ol>
 *   <li>wait until the JIT has compiled nothing for a second (at most ten);</li>
 *   <li>allocate garbage until a collection has run, so every page of the young generation has
 *       been touched, at every level alike;</li>
 *   <li>collect everything ({@link System#gc()}), so what is live sits in the old generation;</li>
 *   <li>hand the C library's free memory back to the system ({@code System.trim_native_heap},
 *       the diagnostic command behind {@code jcmd <pid> System.trim_native_heap}).</li>
 * </ol>
 */
final class SteadyState {

    private static final long QUIET_MILLIS = 1_000;
    private static final long MAX_WAIT_MILLIS = 10_000;
    /** Small enough to be allocated in the young generation by every collector (G1 sends large arrays to the old). */
    private static final int GARBAGE_CHUNK = 64 * 1024;
    /** A bound on step 2, should no collection ever come: far more than any young generation here. */
    private static final long MAX_GARBAGE = 8L << 30;

    @SuppressWarnings("unused") // written so the allocations are not optimised away
    private static volatile byte[] sink;

    private SteadyState() {
    }

    static void reach() throws InterruptedException {
        awaitQuietCompiler();
        touchYoungGeneration();
        System.gc();
        trimNativeHeap();
    }

    private static void awaitQuietCompiler() throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long deadline = System.currentTimeMillis() + MAX_WAIT_MILLIS;
        long seen = jit.getTotalCompilationTime();
        long quietSince = System.currentTimeMillis();
        while (System.currentTimeMillis() - quietSince < QUIET_MILLIS && System.currentTimeMillis() < deadline) {
            Thread.sleep(100); // polling a counter the JVM offers no event for
            long now = jit.getTotalCompilationTime();
            if (now != seen) {
                seen = now;
                quietSince = System.currentTimeMillis();
            }
        }
    }

    private static void touchYoungGeneration() {
        long before = collections();
        for (long allocated = 0; collections() == before && allocated < MAX_GARBAGE; allocated += GARBAGE_CHUNK) {
            sink = new byte[GARBAGE_CHUNK];
        }
        sink = null;
    }

    private static long collections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    /** Where the JDK or the C library cannot trim (not glibc), the command says so and changes nothing. */
    private static void trimNativeHeap() {
        try {
            ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "systemTrimNativeHeap",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (JMException e) {
            // An older JDK without the command: the figures then include the C library's free memory.
        }
    }
}
