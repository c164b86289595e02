package dev.socketchat.nio;

import dev.socketchat.client.ChatClient;
import dev.socketchat.protocol.Frame;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ServerModels;
import dev.socketchat.server.ServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * What only the event loop shows: partial reads and writes, one thread for everyone, deadlines kept
 * by the loop, and coalesced writes. The contract suite checks the protocol itself.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NioSelectorServerTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final List<ChatClient> clients = new ArrayList<>();
    private NioSelectorServer server;

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
    void isRegisteredUnderItsModelName() {
        assertThat(ServerModels.named("nio-selector"))
                .hasValueSatisfying(model -> assertThat(model.lesson()).isEqualTo(4));
    }

    @Test
    void reassemblesAFrameThatArrivesOneByteAtATime() throws IOException {
        start(options());
        ChatClient client = connect();
        assertThat(client.receive()).startsWith("* welcome guest-1");

        byte[] wire = wire(Frame.of("hello, one byte at a time"));
        for (byte b : wire) {
            client.sendRaw(new byte[] {b}); // the client sets TCP_NODELAY: each byte leaves on its own
        }

        assertThat(client.receive()).isEqualTo("[guest-1] hello, one byte at a time");
    }

    @Test
    void decodesManyFramesThatArriveInOneWrite() throws IOException {
        start(options());
        ChatClient client = connect();
        client.receive();
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        for (int i = 0; i < 500; i++) {
            burst.writeBytes(wire(Frame.of("message " + i)));
        }

        client.sendRaw(burst.toByteArray());

        for (int i = 0; i < 500; i++) {
            assertThat(client.receive()).isEqualTo("[guest-1] message " + i);
        }
    }

    @Test
    void reassemblesAFrameLargerThanTheLoopsScratchBuffer() throws IOException {
        start(options());
        ChatClient client = connect();
        client.receive();
        String text = "x".repeat(3 * ChannelConnection.SCRATCH_BUFFER + 17);

        client.sendRaw(wire(Frame.of(text)));

        assertThat(client.receive()).isEqualTo("[guest-1] " + text);
    }

    /**
     * Every connection reads into the loop's one scratch buffer: the unfinished frame one client leaves
     * there must be its own copy by the time another client's bytes are read into the same buffer.
     */
    @Test
    void keepsTwoClientsUnfinishedFramesApart() throws IOException {
        start(options());
        ChatClient alice = connect();
        alice.receive();
        ChatClient bob = connect();
        bob.receive();
        alice.receive(); // bob's arrival
        byte[] fromAlice = wire(Frame.of("alice's line, in two halves"));
        byte[] fromBob = wire(Frame.of("bob's line, in two halves too"));

        alice.sendRaw(Arrays.copyOfRange(fromAlice, 0, 40));
        bob.sendRaw(Arrays.copyOfRange(fromBob, 0, 70));
        alice.sendRaw(Arrays.copyOfRange(fromAlice, 40, fromAlice.length));
        bob.sendRaw(Arrays.copyOfRange(fromBob, 70, fromBob.length));

        assertThat(List.of(alice.receive(), alice.receive())).containsExactlyInAnyOrder(
                "[guest-1] alice's line, in two halves", "[guest-2] bob's line, in two halves too");
    }

    @Test
    void dropsAClientThatNeverReadsWhileTheOthersKeepFlowing() throws IOException {
        start(options().withOutboundLimit(64 * 1024));
        Socket tinyWindow = new Socket();
        tinyWindow.setReceiveBufferSize(4096);
        ChatClient stalled = ChatClient.connect(server.address(), tinyWindow, ChatClient.DEFAULT_MAX_INBOUND);
        clients.add(stalled);
        ChatClient sender = connect();
        ChatClient reader = connect();
        assertThat(sender.receive()).startsWith("* welcome guest-2");
        assertThat(sender.receive()).isEqualTo("* guest-3 joined");
        assertThat(reader.receive()).startsWith("* welcome guest-3");
        String text = "x".repeat(1000);
        String dropNotice = "* guest-1 left (too slow)";

        // Lockstep, so that the two live clients are never behind; megabytes flow past the stalled one.
        List<String> seenBySender = new ArrayList<>();
        List<String> seenByReader = new ArrayList<>();
        for (int i = 0; i < 5000 && !seenBySender.contains(dropNotice); i++) {
            sender.send(text + i);
            seenBySender.addAll(receiveUntil(sender, "[guest-2] " + text + i));
            seenByReader.addAll(receiveUntil(reader, "[guest-2] " + text + i));
        }
        sender.send("still here");
        seenByReader.addAll(receiveUntil(reader, "[guest-2] still here"));

        assertThat(seenBySender).containsExactly(dropNotice);
        assertThat(seenByReader).containsExactly(dropNotice);
        assertThat(endsInClose(stalled)).as("the stalled client's connection was closed").isTrue();
    }

    @Test
    void dropsAClientWhoseOwnRepliesPileUpAndServesTheRest() throws IOException {
        start(options().withOutboundLimit(16 * 1024));
        Socket tinyWindow = new Socket();
        tinyWindow.setReceiveBufferSize(4096);
        ChatClient flooder = ChatClient.connect(server.address(), tinyWindow, ChatClient.DEFAULT_MAX_INBOUND);
        clients.add(flooder);
        ChatClient bystander = connect();
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        for (int i = 0; i < 200_000; i++) {
            burst.writeBytes(wire(Frame.of("!ping " + i)));
        }

        try {
            // Never reads its 14 MB of pongs, more than any socket buffers hold: the room drops it while
            // the loop is handling its own pings.
            flooder.sendRaw(burst.toByteArray());
        } catch (IOException e) {
            // The server closed the connection before it had read everything: expected.
        }

        assertThat(receiveUntil(bystander, "* guest-1 left (too slow)")).containsExactly("* welcome guest-2 (2 online)");
        bystander.send("!ping after");
        assertThat(bystander.receive(PATIENCE)).isEqualTo("!pong after");
        assertThat(endsInClose(flooder)).isTrue();
    }

    /** Receives frames up to {@code expected}; returns the frames that came before it. */
    private static List<String> receiveUntil(ChatClient client, String expected) throws IOException {
        List<String> before = new ArrayList<>();
        String frame;
        while (!expected.equals(frame = client.receive(PATIENCE))) {
            assertThat(frame).as("a frame before " + expected.substring(0, 20) + "...").isNotNull();
            before.add(frame);
        }
        return before;
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

        // Read one client after the other: the loop keeps writing to all of them meanwhile, a part at a time.
        for (ChatClient client : room) {
            assertThat(client.receive()).isEqualTo("[guest-1] " + text);
        }
    }

    @Test
    void servesEveryClientFromOneThread() throws IOException {
        Set<Thread> before = liveThreads();
        start(options().withNotices(false));
        for (int i = 0; i < 50; i++) {
            ChatClient client = connect();
            client.receive();
            client.send("!ping " + i);
            assertThat(client.receive()).isEqualTo("!pong " + i);
        }

        Set<Thread> started = liveThreads();
        started.removeAll(before);

        assertThat(started).extracting(Thread::getName).containsExactly("selector-loop");
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
        Set<Thread> before = liveThreads();
        start(options().withNotices(false));
        List<ChatClient> room = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ChatClient client = connect();
            client.receive();
            room.add(client);
        }

        server.stop();

        for (ChatClient client : room) {
            assertThat(client.receive(PATIENCE)).isEqualTo("* server shutting down");
            assertThat(client.receive(PATIENCE)).isNull();
        }
        Set<Thread> left = liveThreads();
        left.removeAll(before);
        assertThat(left).isEmpty();
    }

    @Test
    void coalescesFramesQueuedForAClientIntoFewWrites() throws IOException {
        int frames = 200;
        start(options());

        long writes = loopWriteCallsForPingBurst(frames);

        // One read brings many pings, and their pongs leave together at the end of the turn.
        assertThat(writes).isLessThanOrEqualTo(frames / 10);
    }

    @Test
    void writesEachFrameOnItsOwnWhenAWriteTakesOneFrame() throws IOException {
        int frames = 200;
        server = withFramesPerWrite(1);
        server.start();

        long writes = loopWriteCallsForPingBurst(frames);

        assertThat(writes).isGreaterThanOrEqualTo(frames);
    }

    @Test
    void refusesToStartWhenAWriteWouldTakeNoFrame() {
        server = withFramesPerWrite(0);

        assertThatThrownBy(server::start).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("framesPerWrite must be 1 to 1024, not 0");
        assertThat(server.address()).as("never bound").isNull();
    }

    /** The lesson's server gathering at most {@code framesPerWrite} frames into one write call. */
    private static NioSelectorServer withFramesPerWrite(int framesPerWrite) {
        return new NioSelectorServer(options(), ServerConsole.silent()) {
            @Override
            protected int framesPerWrite() {
                return framesPerWrite;
            }
        };
    }

    /**
     * Sends {@code frames} pings in one burst and counts the write-type system calls the loop's
     * thread makes meanwhile, as the kernel counts them ({@link ThreadIo}).
     */
    private long loopWriteCallsForPingBurst(int frames) throws IOException {
        ChatClient client = connect();
        client.receive();
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        for (int i = 0; i < frames; i++) {
            burst.writeBytes(wire(Frame.of("!ping " + i)));
        }
        ThreadIo loop = ThreadIo.of("selector-loop");
        long before = loop.writeCalls();

        client.sendRaw(burst.toByteArray());
        for (int i = 0; i < frames; i++) {
            assertThat(client.receive()).isEqualTo("!pong " + i);
        }

        return loop.writeCalls() - before;
    }

    private static ServerOptions options() {
        return ServerOptions.defaults().withPort(0).withQuiet(true)
                // These tests send bursts far beyond any person's rate on purpose; the rate limit has
                // checks of its own in the contract suite (FairShareChecks).
                .withMaxBurst(Integer.MAX_VALUE);
    }

    private void start(ServerOptions options) throws IOException {
        server = new NioSelectorServer(options, ServerConsole.silent());
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

    /** Reads whatever the client still has buffered; true once the server's close reaches it. */
    private static boolean endsInClose(ChatClient client) {
        try {
            while (client.receive(PATIENCE) != null) {
                // Frames written before the drop: of no interest.
            }
            return true;
        } catch (SocketTimeoutException e) {
            fail("the connection stayed open");
            return false;
        } catch (IOException e) {
            return true; // reset, or the stream ended inside a frame: closed all the same
        }
    }

    private static Set<Thread> liveThreads() {
        Set<Thread> threads = new HashSet<>(Thread.getAllStackTraces().keySet());
        threads.removeIf(thread -> !thread.isAlive());
        return threads;
    }
}
