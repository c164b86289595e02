package dev.socketchat.room;

import dev.socketchat.protocol.Frame;
import dev.socketchat.server.ServerOptions;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * A room shared by several servers takes its order and names from its {@link RoomLog}: what this
 * server's members send goes to the log, and only what the log hands back reaches the outboxes.
 * {@link ChatRoomTest} covers the room of a server on its own, which needs no log.
 */
class SharedRoomTest {

    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);

    private final RecordingLog log = new RecordingLog();
    private final ChatRoom room = new ChatRoom(ServerOptions.defaults(), ServerConsole.silent(), log);

    @Test
    void sendsAMessageToTheLogAndDeliversItOnlyWhenTheLogHandsItBack() {
        Outbox alice = outbox();
        Member a = join(alice);

        room.receive(a, "hi");

        assertThat(log.calls).containsExactly("join 1", "say 1 hi");
        assertThat(received(alice)).containsExactly("* welcome guest-1 (1 online)");

        log.handBack(RoomEvent.said(a.id(), "guest-1", "hi"));

        assertThat(received(alice)).endsWith("[guest-1] hi");
    }

    @Test
    void deliversAnotherServersEventsToEveryMemberHere() {
        Outbox alice = outbox();
        join(alice);

        log.handBack(RoomEvent.joined(0, "guest-7", 2));
        log.handBack(RoomEvent.said(0, "guest-7", "from afar"));
        log.handBack(RoomEvent.missed(3));
        log.handBack(RoomEvent.unavailable("broker lost"));
        log.handBack(RoomEvent.available());

        assertThat(received(alice)).containsExactly("* welcome guest-1 (1 online)", "* guest-7 joined",
                "[guest-7] from afar", "* some messages were missed (3)", "* room unavailable (broker lost)",
                "* room available again");
    }

    @Test
    void disconnectsAMemberHereWhoseLeaveAnotherServerAnnounced() {
        Outbox alice = outbox();
        Outbox bob = outbox();
        Member a = join(alice);
        join(bob);

        log.handBack(RoomEvent.left(a.id(), "guest-1", "server lost"));

        assertThat(a.isPresent()).isFalse();
        assertThat(received(alice)).endsWith("!error you left the room (server lost); reconnect to join again");
        verify(alice).close();
        assertThat(received(bob)).endsWith("* guest-1 left (server lost)");
    }

    @Test
    void asksTheLogForNamesAndRenamesAndAnswersWhoWithTheWholeRoom() {
        Member a = join(outbox());
        log.names.add("guest-7");

        room.receive(a, "!nick alice");
        room.receive(a, "!who");

        assertThat(log.calls).contains("rename 1 alice");
        assertThat(received(a.outbox())).endsWith("!who guest-1,guest-7");
    }

    @Test
    void refusesAJoinWhenTheLogCannotCarryTheRoom() {
        log.unavailable = true;
        Outbox outbox = outbox();

        assertThat(room.join(outbox, PEER)).isEmpty();

        assertThat(received(outbox)).containsExactly("!error room unavailable");
        verify(outbox).close();
    }

    private Member join(Outbox outbox) {
        return room.join(outbox, PEER).orElseThrow();
    }

    private static Outbox outbox() {
        Outbox outbox = mock(Outbox.class);
        when(outbox.offer(any())).thenReturn(true);
        return outbox;
    }

    private static List<String> received(Outbox outbox) {
        ArgumentCaptor<Frame> frames = ArgumentCaptor.forClass(Frame.class);
        verify(outbox, atLeast(0)).offer(frames.capture());
        return frames.getAllValues().stream().map(Frame::payload).toList();
    }

    /**
     * A log that records what the room asks of it and hands back only a join at once (the contract
     * says a join returns once its welcome is delivered); everything else the test hands back itself,
     * as a broker's reader would, on its own schedule.
     */
    private static final class RecordingLog implements RoomLog {
        final List<String> calls = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        boolean unavailable;
        private Consumer<RoomEvent> consumer;

        void handBack(RoomEvent event) {
            consumer.accept(event);
        }

        @Override
        public void start(Consumer<RoomEvent> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void join(long member) throws RoomUnavailableException {
            if (unavailable) {
                throw new RoomUnavailableException("broker lost", null);
            }
            calls.add("join " + member);
            String name = "guest-" + member;
            names.add(name);
            consumer.accept(RoomEvent.joined(member, name, names.size()));
        }

        @Override
        public void say(long member, String text) {
            calls.add("say " + member + " " + text);
        }

        @Override
        public boolean rename(long member, String newName) {
            calls.add("rename " + member + " " + newName);
            return true;
        }

        @Override
        public void leave(long member, String reason) {
            calls.add("leave " + member + " " + reason);
        }

        @Override
        public List<String> names() {
            return List.copyOf(names);
        }

        @Override
        public void close() {
        }
    }
}
