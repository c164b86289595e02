package dev.socketchat.virtualthreads;

import dev.socketchat.client.ChatClient;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ChatServer;
import dev.socketchat.server.ServerOptions;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** What only this lesson shows: lesson 02's server, run on virtual threads, holds clients without a platform thread each. */
class VirtualThreadsServerTest {

    /** Long enough for a loaded two-core machine. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final List<ChatClient> clients = new ArrayList<>();
    private ChatServer server;

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
    void theThreadsThatServeAClientAreVirtual() throws IOException {
        Set<Thread> printingThreads = ConcurrentHashMap.newKeySet();
        OutputStream recordingOutput = new OutputStream() {
            @Override
            public void write(int b) {
                printingThreads.add(Thread.currentThread());
            }
        };
        start(ServerOptions.defaults().withPort(0), new ServerConsole(new PrintStream(recordingOutput, true), false));
        printingThreads.clear(); // "listening on" came from the thread that called start()

        // The console prints "[+] guest-1 connected" and "[guest-1] hello" on the client's reader thread.
        ChatClient client = connect();
        assertThat(client.receive(PATIENCE)).startsWith("* welcome ");
        client.send("hello");
        assertThat(client.receive(PATIENCE)).isEqualTo("[guest-1] hello");

        assertThat(printingThreads).isNotEmpty().allMatch(Thread::isVirtual);
    }

    @Test
    void aThousandClientsAreHeldWithoutAPlatformThreadEach() throws IOException {
        int clientCount = 1_000;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // All from 127.0.0.1: the per-address share is lifted out of this test's way.
        start(ServerOptions.defaults().withPort(0).withNotices(false).withMaxClientsPerAddress(clientCount),
                ServerConsole.silent());
        int platformThreadsBefore = threads.getThreadCount();

        for (int i = 0; i < clientCount; i++) {
            assertThat(connect().receive(PATIENCE)).startsWith("* welcome ");
        }
        clients.getFirst().send("hello, everyone");
        for (ChatClient client : clients) {
            assertThat(client.receive(PATIENCE)).isEqualTo("[guest-1] hello, everyone");
        }

        // Lesson 02 would have started 2,000 platform threads by now. Virtual threads run on a few
        // carriers (one per core) and a few JDK helper threads; the slack is for those, not per client.
        assertThat(threads.getThreadCount() - platformThreadsBefore).isLessThan(50);
    }

    @Test
    void noCarrierIsPinnedWhileClientsTalk() throws Exception {
        // The JDK initialises its I/O poller once per JVM, the first time a virtual thread blocks on a
        // socket, and a thread that waits for that initialisation is pinned. That is the JDK's
        // one-off, not the server's: get it done before recording. The same three clients as below,
        // so that every class their paths load is loaded here: a verify run once caught a writer
        // pinned in "Contended monitor enter" inside HeapByteBuffer.asReadOnlyBuffer, with three
        // writers running it at once for the first time, after a warm-up with one client.
        start(ServerOptions.defaults().withPort(0), ServerConsole.silent());
        talk(List.of(connect(), connect(), connect()));
        server.stop();

        List<RecordedEvent> pinned = new CopyOnWriteArrayList<>();
        try (RecordingStream recording = new RecordingStream()) {
            // Every park or blocking call of a virtual thread that could not unmount, however short.
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            recording.onEvent("jdk.VirtualThreadPinned", pinned::add);
            recording.startAsync();

            start(ServerOptions.defaults().withPort(0), ServerConsole.silent());
            talk(List.of(connect(), connect(), connect()));
            server.stop();

            // Returns once every event recorded so far has been delivered to onEvent.
            recording.stop();
        }

        assertThat(pinned).as("pinned virtual threads, with stack traces").isEmpty();
    }

    /**
     * Every blocking path of a connection: accept, reads, writes, waits for frames, a command, a
     * chat message to everyone, and leaving with the lingering close.
     */
    private static void talk(List<ChatClient> talkers) throws IOException {
        for (ChatClient talker : talkers) {
            talker.send("!ping");
            assertThat(receiveUntil(talker, "!pong")).isTrue();
        }
        talkers.getFirst().send("hello");
        for (ChatClient talker : talkers) {
            assertThat(receiveUntil(talker, "[guest-1] hello")).isTrue();
        }
        for (ChatClient talker : talkers) {
            talker.disconnect();
            assertThat(receiveUntil(talker, null)).as("end of stream after leaving").isTrue();
            talker.close();
        }
    }

    private void start(ServerOptions options, ServerConsole console) throws IOException {
        server = new VirtualThreadsModel().create(options, console);
        server.start();
    }

    private ChatClient connect() throws IOException {
        ChatClient client = ChatClient.connect(server.address());
        clients.add(client);
        return client;
    }

    /**
     * Reads frames until one equals {@code expected}, or until the end of stream if it is null.
     *
     * @return false if the stream ends before the frame was seen
     */
    private static boolean receiveUntil(ChatClient client, String expected) throws IOException {
        String frame;
        while ((frame = client.receive(PATIENCE)) != null) {
            if (frame.equals(expected)) {
                return true;
            }
        }
        return expected == null;
    }
}
