package dev.socketchat.netty;

import dev.socketchat.client.ChatClient;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ModelSetting;
import dev.socketchat.server.ServerModels;
import dev.socketchat.server.ServerOptions;
import dev.socketchat.server.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What only this lesson has: a transport to choose, the start line that names it, and event-loop
 * groups that end with the server. The contract suite checks the protocol itself, on the default
 * transport and on NIO.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NettyServerTest {

    private final ByteArrayOutputStream consoleBytes = new ByteArrayOutputStream();
    private final ServerConsole console = new ServerConsole(new PrintStream(consoleBytes, true, StandardCharsets.UTF_8),
            true, "netty");
    private final List<ChatClient> clients = new ArrayList<>();
    private NettyServer server;

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
    void isRegisteredUnderItsModelNameAndReadsTransportAndLoops() {
        assertThat(ServerModels.named("netty")).hasValueSatisfying(model -> {
            assertThat(model.lesson()).isEqualTo(8);
            assertThat(model.settings()).containsExactlyInAnyOrder(ModelSetting.TRANSPORT, ModelSetting.LOOPS);
        });
    }

    @Test
    void autoRunsOnARealTransportAndTheStartLineNamesIt() throws IOException {
        start(options());

        Transport chosen = server.transport().transport();
        assertThat(chosen).isNotEqualTo(Transport.AUTO);
        assertThat(console()).startsWith("[server] netty listening on " + host())
                .contains("(" + chosen.cliName() + " transport, ");
        assertThat(connect().receive()).startsWith("* welcome guest-1");
    }

    @Test
    void nioRunsWhenAskedForWithTheLoopsAskedFor() throws IOException {
        start(options().with(ModelSetting.TRANSPORT, Transport.NIO).with(ModelSetting.LOOPS, 3));

        assertThat(server.transport().transport()).isEqualTo(Transport.NIO);
        assertThat(console()).contains("(nio transport, 3 event loops)");
        ChatClient alice = connect();
        assertThat(alice.receive()).startsWith("* welcome guest-1");
        ChatClient bob = connect(); // on the next loop: round robin
        assertThat(bob.receive()).startsWith("* welcome guest-2");
        assertThat(alice.receive()).isEqualTo("* guest-2 joined");
        alice.send("hi");
        assertThat(alice.receive()).isEqualTo("[guest-1] hi");
        assertThat(bob.receive()).isEqualTo("[guest-1] hi");
    }

    @Test
    void stopEndsEveryThreadOfBothGroups() throws IOException {
        start(options().with(ModelSetting.LOOPS, 2));
        // Netty starts a loop's thread on its first task: two clients, round robin, start both loops.
        for (int i = 1; i <= 2; i++) {
            assertThat(connect().receive()).as("client %d", i).startsWith("* welcome guest-" + i);
        }
        assertThat(nettyThreads()).hasSize(3); // netty-accept and two netty-loop threads

        server.stop();

        assertThat(nettyThreads()).isEmpty();
        assertThat(console()).endsWith("[server] netty stopped" + System.lineSeparator());
    }

    private static ServerOptions options() {
        return ServerOptions.defaults().withPort(0).withQuiet(true)
                // These tests send bursts far beyond any person's rate on purpose; the rate limit has
                // checks of its own in the contract suite (FairShareChecks).
                .withMaxBurst(Integer.MAX_VALUE);
    }

    private void start(ServerOptions options) throws IOException {
        server = new NettyServer(options, console);
        server.start();
    }

    private ChatClient connect() throws IOException {
        ChatClient client = ChatClient.connect(server.address());
        clients.add(client);
        return client;
    }

    private String host() {
        return ServerOptions.DEFAULT_HOST + ":" + server.address().getPort();
    }

    private String console() {
        return consoleBytes.toString(StandardCharsets.UTF_8);
    }

    private static List<String> nettyThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("netty-accept") || name.startsWith("netty-loop"))
                .toList();
    }
}
