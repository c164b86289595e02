package dev.socketchat.bench;

import dev.socketchat.client.ChatClient;
import dev.socketchat.client.LoopbackSources;
import dev.socketchat.protocol.Frame;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerModels;
import dev.socketchat.server.ServerOptions;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one flooder does to everyone else's round trips (issue 26), model by model: the numbers in
 * the lesson READMEs' "sharing the server" sentences come from this harness.
 *
 * <p>Method: for each model, a fresh server in this JVM, and {@value #CHATTERS} chatters connected
 * from 127.0.0.2, on platform threads of their own so that they never wait for the carriers of a
 * server on virtual threads (each sends a message a second, at a random phase, and times the round trip until
 * its own copy comes back, while reading everyone's). Once all are connected, the flooder too,
 * and after {@link #WARM_UP} more, the round trips of
 * {@link #WINDOW} are kept, and their p50 and p99 printed, in three runs: no flood; a flood under
 * the default rate; the same flood with the rate limit lifted (the server before issue 26). The
 * flooder, from 127.0.0.1, writes {@value #FLOOD_FRAMES} frames as fast as the server takes them,
 * a hundred to a write, and reads what it is sent so that it is never dropped as too slow.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.socketchat.bench.FloodHarness [model ...]}
 */
public final class FloodHarness {

    static final int CHATTERS = 100;
    static final int FLOOD_FRAMES = 100_000;
    static final Duration WARM_UP = Duration.ofSeconds(3);
    static final Duration WINDOW = Duration.ofSeconds(10);
    /** How long after the window a chatter still waits for its own messages; one not back by then is counted late. */
    static final Duration DRAIN = Duration.ofSeconds(15);
    private static final List<String> MODELS = List.of("thread-per-client", "thread-pool", "nio-selector",
            "virtual-threads", "multi-reactor", "async-channels", "netty");

    /** In this order, so that no run follows the unlimited flood's garbage and closing connections. */
    private enum Run { QUIET, FLOOD_LIMITED, FLOOD_UNLIMITED }

    private FloodHarness() {
    }

    public static void main(String[] args) throws Exception {
        List<String> models = args.length > 0 ? Arrays.asList(args) : MODELS;
        System.out.println("model | run | p50 ms | p99 ms | round trips | not back within " + DRAIN.toSeconds()
                + " s | flood frames relayed to the flooder in the window");
        for (String name : models) {
            ServerModel model = ServerModels.named(name).orElseThrow(() -> new IllegalArgumentException(name));
            for (Run run : Run.values()) {
                System.gc(); // the run before left garbage of its own: collect it before this one starts
                System.out.println(measure(model, run));
            }
        }
    }

    private static String measure(ServerModel model, Run run) throws Exception {
        ServerOptions options = ServerOptions.defaults().withPort(0).withQuiet(true).withNotices(false)
                .withMaxClientsPerAddress(CHATTERS + 1);
        if (run == Run.FLOOD_UNLIMITED) {
            options = options.withMaxRate(Integer.MAX_VALUE).withMaxBurst(Integer.MAX_VALUE);
        }
        options = model.optionsToServe(CHATTERS + 1, options);
        ChatServer server = model.create(options, ServerConsole.silent());
        server.start();
        List<Thread> threads = new ArrayList<>();
        List<ChatClient> clients = new ArrayList<>();
        ConcurrentLinkedQueue<Long> roundTrips = new ConcurrentLinkedQueue<>();
        AtomicLong sentInWindow = new AtomicLong();
        AtomicLong floodRelayed = new AtomicLong();
        try {
            InetSocketAddress address = server.address();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < CHATTERS; i++) {
                Socket socket = new Socket();
                socket.bind(new InetSocketAddress(LoopbackSources.sourceAddress(0), 0));
                ChatClient chatter = ChatClient.connect(address, socket, ChatClient.DEFAULT_MAX_INBOUND);
                clients.add(chatter);
                names.add(chatter.receive().split(" ")[2]);
            }
            ChatClient flooder = run == Run.QUIET ? null : ChatClient.connect(address);
            if (flooder != null) {
                clients.add(flooder);
            }
            // The warm-up counts from the moment everyone is connected: on a loaded machine connecting
            // 100 clients can take longer than the warm-up, and a window timed from before would then
            // catch the flooder's first burst (the whole of --max-burst, to every chatter) as well.
            long windowStart = System.nanoTime() + WARM_UP.toNanos();
            long windowEnd = windowStart + WINDOW.toNanos();
            for (int i = 0; i < CHATTERS; i++) {
                ChatClient chatter = clients.get(i);
                String own = "[" + names.get(i) + "] t";
                AtomicLong sent = new AtomicLong();
                threads.add(Thread.ofPlatform().start(() -> read(chatter, own, sent, roundTrips, windowStart, windowEnd)));
                threads.add(Thread.ofPlatform().start(() -> chat(chatter, sent, sentInWindow, windowStart, windowEnd)));
            }
            if (flooder != null) {
                threads.add(Thread.ofPlatform().start(() -> flood(flooder)));
                threads.add(Thread.ofPlatform().start(() -> countFlood(flooder, floodRelayed, windowStart, windowEnd)));
            }
            for (Thread thread : threads.subList(0, 2 * CHATTERS)) {
                thread.join();
            }
        } finally {
            for (ChatClient client : clients) {
                client.close();
            }
            server.stop();
            for (Thread thread : threads) {
                thread.join();
            }
        }
        long[] sorted = roundTrips.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format(Locale.ROOT, "%s | %s | %.1f | %.1f | %d | %d | %d", model.name(),
                run.name().toLowerCase(Locale.ROOT).replace('_', ' '), percentile(sorted, 0.50),
                percentile(sorted, 0.99), sorted.length, sentInWindow.get() - sorted.length, floodRelayed.get());
    }

    /** A message a second, at a random phase, until the window ends; each carries its send time. */
    private static void chat(ChatClient chatter, AtomicLong sent, AtomicLong sentInWindow, long windowStart,
                             long windowEnd) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1000));
            long now;
            while ((now = System.nanoTime()) < windowEnd) {
                sent.incrementAndGet();
                if (now >= windowStart) {
                    sentInWindow.incrementAndGet();
                }
                chatter.send("t" + now);
                Thread.sleep(1000);
            }
        } catch (IOException | InterruptedException e) {
            // closed at the end of the run
        }
    }

    /**
     * Reads everything, timing the chatter's own messages, until all it sent are back after the
     * window, or {@link #DRAIN} after it.
     */
    private static void read(ChatClient chatter, String own, AtomicLong sent, ConcurrentLinkedQueue<Long> roundTrips,
                             long windowStart, long windowEnd) {
        long back = 0;
        long giveUp = windowEnd + DRAIN.toNanos();
        try {
            while (System.nanoTime() < giveUp && (System.nanoTime() < windowEnd || back < sent.get())) {
                String frame;
                try {
                    frame = chatter.receive(Duration.ofMillis(200));
                } catch (SocketTimeoutException e) {
                    continue;
                }
                if (frame == null) {
                    return;
                }
                long now = System.nanoTime();
                if (frame.startsWith(own)) {
                    back++;
                    long sentAt = Long.parseLong(frame.substring(own.length()));
                    if (sentAt >= windowStart && sentAt < windowEnd) {
                        roundTrips.add(now - sentAt);
                    }
                }
            }
        } catch (IOException e) {
            // closed at the end of the run
        }
    }

    private static void flood(ChatClient flooder) {
        ByteBuffer wire = Frame.of("flood ".repeat(8)).buffer();
        byte[] frame = new byte[wire.remaining()];
        wire.get(frame);
        byte[] hundred = new byte[frame.length * 100];
        for (int i = 0; i < 100; i++) {
            System.arraycopy(frame, 0, hundred, i * frame.length, frame.length);
        }
        try {
            OutputStream out = flooder.socket().getOutputStream();
            for (int sent = 0; sent < FLOOD_FRAMES; sent += 100) {
                out.write(hundred);
            }
        } catch (IOException e) {
            // closed at the end of the run
        }
    }

    private static void countFlood(ChatClient flooder, AtomicLong relayed, long windowStart, long windowEnd) {
        try {
            String frame;
            while ((frame = flooder.receive()) != null) {
                long now = System.nanoTime();
                if (frame.endsWith("flood ") && now >= windowStart && now < windowEnd) {
                    relayed.incrementAndGet();
                }
            }
        } catch (IOException e) {
            // closed at the end of the run
        }
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
