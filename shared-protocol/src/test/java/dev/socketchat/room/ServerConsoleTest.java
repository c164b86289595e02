package dev.socketchat.room;

import dev.socketchat.server.ServerOptions;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.when;

class ServerConsoleTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private ServerConsole console(boolean quiet) {
        return new ServerConsole(new PrintStream(printed, true, StandardCharsets.UTF_8), quiet);
    }

    @Test
    void printsEveryConnectionMessageRenameAndDisconnectionAsTheRoomSeesThem() {
        ChatRoom room = new ChatRoom(ServerOptions.defaults().withMaxClients(1), console(false));
        Member alice = room.join(acceptingOutbox(), new InetSocketAddress("127.0.0.1", 40001)).orElseThrow();

        room.receive(alice, "hello");
        room.receive(alice, "!nick alice");
        room.join(acceptingOutbox(), new InetSocketAddress("127.0.0.1", 40002));
        room.leave(alice, "connection reset");

        assertThat(lines()).containsExactly(
                "[+] guest-1 connected from 127.0.0.1:40001",
                "[guest-1] hello",
                "[~] guest-1 is now alice",
                "[!] refused 127.0.0.1:40002: server full",
                "[-] alice disconnected (connection reset)");
    }

    @Test
    void printsOnlyStatusAndErrorsWhenQuiet() {
        ServerConsole console = console(true);
        ChatRoom room = new ChatRoom(ServerOptions.defaults(), console);
        Member alice = room.join(acceptingOutbox(), new InetSocketAddress("127.0.0.1", 40001)).orElseThrow();

        console.status("listening on 127.0.0.1:5050");
        room.receive(alice, "hello");
        room.leave(alice, "");
        console.error("accept failed: too many open files");

        assertThat(lines()).containsExactly("[server] listening on 127.0.0.1:5050",
                "[error] accept failed: too many open files");
    }

    @Test
    void printsAnOrdinaryDisconnectionWithoutAReason() {
        console(false).disconnected("bob", "");

        assertThat(lines()).containsExactly("[-] bob disconnected");
    }

    @Test
    void aRelayedMessageIsOneVisibleLineWhateverItsControlCharacters() {
        ChatRoom room = new ChatRoom(ServerOptions.defaults(), console(false));
        Member mallory = room.join(acceptingOutbox(), new InetSocketAddress("127.0.0.1", 40001)).orElseThrow();

        room.receive(mallory, "hi\n[+] admin connected from 10.0.0.1:22");
        room.receive(mallory, "\u001B[2J\u001B[Hall your base");

        assertThat(lines()).containsExactly(
                "[+] guest-1 connected from 127.0.0.1:40001",
                "[guest-1] hi^J[+] admin connected from 10.0.0.1:22",
                "[guest-1] ^[[2J^[[Hall your base");
        assertThat(printed.toString(StandardCharsets.UTF_8)).doesNotContain("\u001B");
    }

    private String[] lines() {
        return printed.toString(StandardCharsets.UTF_8).lines().toArray(String[]::new);
    }

    private static Outbox acceptingOutbox() {
        Outbox outbox = Mockito.mock(Outbox.class);
        when(outbox.offer(any())).thenReturn(true);
        return outbox;
    }
}
