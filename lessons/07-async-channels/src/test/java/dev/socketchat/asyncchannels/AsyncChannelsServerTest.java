package dev.socketchat.asyncchannels;

import dev.socketchat.client.ChatClient;
import dev.socketchat.protocol.Frame;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ModelSetting;
import dev.socketchat.server.ServerModels;
import dev.socketchat.server.ServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What only the proactor shows: reads and writes continued from completion handlers, one write in
 * flight per connection under concurrent broadcasts, a pool of a chosen size, deadlines kept by one
 * timer, and a handler's exception kept to its own client. The contract suite checks the protocol.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AsyncChannelsServerTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final List<ChatClient> clients = new ArrayList<>();
    private AsyncChannelsServer server;

    @AfterEach
    void tearDown() throws IOException {
        for (ChatClient client : clients) {
            client.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void isRegisteredUnderItsModelNameAndReadsTheThreadsSetting() {
        assertThat(ServerModels.named("async-channels")).hasValueSatisfying(model -> {
            assertThat(model.lesson()).isEqualTo(7);
            assertThat(model.settings()).containsExactly(ModelSetting.THREADS);
            assertThat(model.concurrentClientLimit(options())).isEmpty();
        });
    }

    @Test
    void reassemblesAFrameThatArrivesOneByteAtATime() throws IOException {
        start(options());
        ChatClient client = connect();
        assertThat(client.receive()).startsWith("* welcome guest-1");

        for (byte b : wire(Frame.of("hello, one byte at a time"))) {
            client.sendRaw(new byte[] {b}); // the client sets TCP_NODELAY: each byte leaves on its own
        }

        assertThat(client.receive()).isEqualTo("[guest-1] hello, one byte at a time");
    }

    @Test
    void decodesManyFramesThatArriveInOneWriteThroughASmallReadBuffer() throws IOException {
        start(options());
        ChatClient client = connect();
        client.receive();
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        for (int i = 0; i < 500; i++) {
            burst.writeBytes(wire(Frame.of("message " + i)));
        }
        assertThat(burst.size()).isGreaterThan(2 * AsyncConnection.BUSY_READ_BUFFER);

        client.sendRaw(burst.toByteArray());

        for (int i = 0; i < 500; i++) {
            assertThat(client.receive()).isEqualTo("[guest-1] message " + i);
        }
    }

    @Test
    void writesALargeBroadcastToManyClientsIntact() throws IOException {
        start(options().withNotices(false));
        List<ChatClient> room = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ChatClient client = connect();
            client.receive();
            room.add(client);
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 700_000; i++) {
            text.append(i).append(' ');
        }

        room.getFirst().send(text.toString());

        // Read one client after the other: the others' writes stay partial meanwhile, and each is
        // continued from its completion handler once its client reads.
        for (ChatClient client : room) {
            assertThat(client.receive()).isEqualTo("[guest-1] " + text);
        }
    }

    /**
     * The one-write-at-a-time rule under load. Six senders broadcast 300 messages each at once to 12
     * clients, on a pool of 4 threads: 21,600 deliveries, enough that a frame very often reaches an
     * outbox while that connection's write is still in flight on another thread. A second
     * {@code write} in that moment would throw {@code WritePendingException}, which the server
     * reports on its console as an internal error and answers by closing that client: so every
     * client gets every frame, once, in the one order of the room, and the console reports nothing.
     * (Starting writes past the {@link WriteGate}, this test fails on the first missing frame.)
     */
    @Test
    void keepsOneWriteInFlightPerConnectionUnderABurstOfBroadcasts() throws Exception {
        int members = 12;
        int senders = 6;
        int messages = 300;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        server = new AsyncChannelsServer(options().withNotices(false).with(ModelSetting.THREADS, 4),
                new ServerConsole(new PrintStream(console, true, StandardCharsets.UTF_8), true));
        server.start();
        List<ChatClient> room = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            ChatClient client = connect();
            client.receive();
            room.add(client);
        }
        ExecutorService pool = Executors.newFixedThreadPool(members + senders);
        try {
            List<CompletableFuture<List<String>>> received = new ArrayList<>();
            for (ChatClient client : room) {
                received.add(CompletableFuture.supplyAsync(() -> receive(client, senders * messages), pool));
            }
            for (int s = 0; s < senders; s++) {
                ChatClient sender = room.get(s);
                int id = s;
                pool.submit(() -> {
                    for (int m = 0; m < messages; m++) {
                        sender.send("from " + id + " #" + m);
                    }
                    return null;
                });
            }

            List<String> order = received.getFirst().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            for (CompletableFuture<List<String>> frames : received) {
                assertThat(frames.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(order);
            }
            for (int s = 0; s < senders; s++) {
                String prefix = "[guest-" + (s + 1) + "] from " + s + " #";
                assertThat(order.stream().filter(frame -> frame.startsWith(prefix)))
                        .containsExactlyElementsOf(numbered(prefix, messages));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(console.toString(StandardCharsets.UTF_8)).as("the server's console").doesNotContain("[error]");
    }

    @Test
    void runsOnAPoolOfTheGivenSizeWhateverTheNumberOfClients() throws IOException {
        start(options().withNotices(false).with(ModelSetting.THREADS, 3));
        for (int i = 0; i < 50; i++) {
            ChatClient client = connect();
            client.receive();
            client.send("!ping " + i);
            assertThat(client.receive()).isEqualTo("!pong " + i);
        }

        assertThat(serverThreads()).map(Thread::getName).containsExactlyInAnyOrder(
                "async-channels-1", "async-channels-2", "async-channels-3", "async-channels-timer-1");
    }

    @Test
    void anExceptionInAHandlerClosesOnlyThatClientAndTheServerGoesOn() throws IOException {
        // The console is called by the room, inside the read handler: here it breaks on one message.
        PrintStream breaksOnBoom = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                if (new String(bytes, offset, length, StandardCharsets.UTF_8).contains("] boom")) {
                    throw new IllegalStateException("the console broke");
                }
            }
        }, true, StandardCharsets.UTF_8);
        server = new AsyncChannelsServer(options(), new ServerConsole(breaksOnBoom, false));
        server.start();
        ChatClient unlucky = connect();
        ChatClient bystander = connect();
        unlucky.receive();
        bystander.receive();
        assertThat(unlucky.receive()).isEqualTo("* guest-2 joined");

        unlucky.send("boom");

        assertThat(bystander.receive(PATIENCE)).isEqualTo("* guest-1 left");
        assertThat(unlucky.receive(PATIENCE)).isNull();
        bystander.send("!ping still here");
        assertThat(bystander.receive(PATIENCE)).isEqualTo("!pong still here");
    }

    @Test
    void closesAClientThatSendsNothingForTheIdleTimeout() throws IOException {
        start(options().withIdleTimeout(Duration.ofMillis(300)));
        ChatClient client = connect();
        assertThat(client.receive()).startsWith("* welcome");

        assertThat(client.receive(PATIENCE)).isEqualTo("!error idle timeout");
        assertThat(client.receive(PATIENCE)).isNull();
    }

    @Test
    void closesAClientThatStartsAFrameAndDoesNotFinishIt() throws IOException {
        start(options().withFrameTimeout(Duration.ofMillis(300)));
        ChatClient client = connect();
        client.receive();

        client.sendRaw("12   ".getBytes(StandardCharsets.US_ASCII));

        assertThat(client.receive(PATIENCE)).isEqualTo("!error frame timeout");
        assertThat(client.receive(PATIENCE)).isNull();
    }

    @Test
    void stopsGracefullyAndLeavesNoThreadBehind() throws IOException {
        start(options().withNotices(false));
        List<ChatClient> room = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ChatClient client = connect();
            client.receive();
            room.add(client);
        }
        List<Thread> threads = serverThreads();
        assertThat(threads).isNotEmpty();

        server.stop();

        // A pool reports itself terminated a moment before its last thread ends: stop() joins them.
        assertThat(threads).as("server threads alive the instant stop() returned").noneMatch(Thread::isAlive);
        for (ChatClient client : room) {
            assertThat(client.receive(PATIENCE)).isEqualTo("* server shutting down");
            assertThat(client.receive(PATIENCE)).isNull();
        }
    }

    private static List<String> receive(ChatClient client, int frames) {
        List<String> received = new ArrayList<>(frames);
        try {
            for (int i = 0; i < frames; i++) {
                String frame = client.receive(PATIENCE);
                assertThat(frame).as("frame %d of %d", i, frames).isNotNull();
                received.add(frame);
            }
        } catch (IOException e) {
            throw new AssertionError("receiving failed after " + received.size() + " frames", e);
        }
        return received;
    }

    private static List<String> numbered(String prefix, int count) {
        List<String> frames = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            frames.add(prefix + i);
        }
        return frames;
    }

    private static ServerOptions options() {
        return ServerOptions.defaults().withPort(0).withQuiet(true)
                // These tests send bursts far beyond any person's rate on purpose; the rate limit has
                // checks of its own in the contract suite (FairShareChecks).
                .withMaxBurst(Integer.MAX_VALUE);
    }

    private void start(ServerOptions options) throws IOException {
        server = new AsyncChannelsServer(options, ServerConsole.silent());
        server.start();
    }

    private ChatClient connect() throws IOException {
        ChatClient client = ChatClient.connect(server.address());
        clients.add(client);
        return client;
    }

    private static byte[] wire(Frame frame) {
        byte[] bytes = new byte[frame.wireLength()];
        frame.buffer().get(bytes);
        return bytes;
    }

    private static List<Thread> serverThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("async-channels-")).toList();
    }
}
