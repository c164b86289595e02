package dev.socketchat.room;

import dev.socketchat.protocol.Frame;
import dev.socketchat.protocol.MalformedHeaderException;
import dev.socketchat.server.ServerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

class ChatRoomTest {

    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);
    private static final String NAME_RULE = "!error invalid name: a name is 1 to 32 of A-Z a-z 0-9 _ -";

    private ChatRoom room = new ChatRoom(ServerOptions.defaults(), ServerConsole.silent());

    // --- joining ---------------------------------------------------------------------------------

    @Test
    void welcomesEachNewClientFirstWithItsGuestNameAndTheNumberOnline() {
        Outbox first = outbox();
        Outbox second = outbox();

        join(first);
        join(second);

        assertThat(received(first).getFirst()).isEqualTo("* welcome guest-1 (1 online)");
        assertThat(received(second)).containsExactly("* welcome guest-2 (2 online)");
    }

    @Test
    void announcesAJoinToEveryoneElseButNotToTheNewcomer() {
        Outbox alice = outbox();
        Outbox bob = outbox();
        join(alice);

        join(bob);

        assertThat(received(alice)).containsExactly("* welcome guest-1 (1 online)", "* guest-2 joined");
        assertThat(received(bob)).noneMatch(payload -> payload.endsWith("joined"));
    }

    @Test
    void announcesNoJoinsOrLeavesWhenNoticesAreOff() {
        room = new ChatRoom(ServerOptions.defaults().withNotices(false), ServerConsole.silent());
        Outbox alice = outbox();
        Outbox bob = outbox();
        join(alice);

        Member b = join(bob);
        room.leave(b, "");

        assertThat(received(alice)).containsExactly("* welcome guest-1 (1 online)");
    }

    @Test
    void neverGivesANewGuestANameSomeoneHasTaken() {
        Outbox alice = outbox();
        Member a = join(alice);
        room.receive(a, "!nick GUEST-2");

        Member next = join(outbox());

        assertThat(next.name()).isEqualTo("guest-3");
    }

    @Test
    void refusesAnAddressPastItsShareAndAdmitsOtherAddresses() {
        room = new ChatRoom(ServerOptions.defaults().withMaxClientsPerAddress(2), ServerConsole.silent());
        join(outbox());
        join(outbox());
        Outbox third = outbox();

        Optional<Member> refused = room.join(third, new InetSocketAddress("127.0.0.1", 40003));
        Optional<Member> elsewhere = room.join(outbox(), new InetSocketAddress("127.0.0.2", 40000));

        assertThat(refused).isEmpty();
        InOrder order = inOrder(third);
        order.verify(third).offer(payload("!error too many connections from your address"));
        order.verify(third).close();
        assertThat(elsewhere).isPresent();
        assertThat(room.size()).isEqualTo(3);
    }

    @Test
    void givesAnAddressItsSeatBackOnceForEveryWayOfLeaving() {
        room = new ChatRoom(ServerOptions.defaults().withMaxClientsPerAddress(1), ServerConsole.silent());
        Member leaver = join(outbox());
        room.leave(leaver, "");
        room.leave(leaver, "connection lost"); // a second way of leaving must not free a second seat
        Member faulty = join(outbox());
        room.fault(faulty, new MalformedHeaderException("bad"));
        Member quitter = join(outbox());
        room.receive(quitter, "!Disconnect");
        join(outbox());

        Optional<Member> second = room.join(outbox(), PEER);

        assertThat(second).as("one seat, taken by the last joiner").isEmpty();
    }

    @Test
    void countsAnAddressExactlyUnderConcurrentJoinsAndLeaves() throws Exception {
        // 8 threads x 2,000 join-and-leave rounds from one address make lost updates likely if the
        // count were kept outside the room's lock; every seat must be free again at the end.
        int limit = 8;
        room = new ChatRoom(ServerOptions.defaults().withMaxClientsPerAddress(limit).withNotices(false),
                ServerConsole.silent());
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < limit; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                awaitUninterruptibly(start);
                for (int round = 0; round < 2_000; round++) {
                    room.join(outbox(), PEER).ifPresent(member -> room.leave(member, ""));
                }
            }));
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }

        for (int seat = 0; seat < limit; seat++) {
            assertThat(room.join(outbox(), PEER)).as("seat %d", seat).isPresent();
        }
        assertThat(room.join(outbox(), PEER)).as("one past the share").isEmpty();
    }

    @Test
    void tellsASenderOverItsRateToSlowDownOnceAndHowLongToStopReading() {
        room = new ChatRoom(ServerOptions.defaults().withMaxRate(1).withMaxBurst(3), ServerConsole.silent());
        Outbox flooder = outbox();
        Member member = join(flooder);

        List<Long> pauses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pauses.add(room.receive(member, "flood " + i));
        }

        assertThat(pauses.subList(0, 2)).containsOnly(0L);
        assertThat(pauses.subList(2, 5)).allMatch(pause -> pause > 0);
        assertThat(pauses.get(4)).as("each frame over the rate lengthens the pause").isGreaterThan(pauses.get(3));
        assertThat(received(flooder)).filteredOn(payload -> payload.startsWith("!error"))
                .containsExactly("!error slow down");
        assertThat(received(flooder)).as("every frame read is relayed").contains("[guest-1] flood 4");
    }

    @Test
    void refusesAClientPastTheMaximumWithServerFullAndAClose() {
        room = new ChatRoom(ServerOptions.defaults().withMaxClients(2), ServerConsole.silent());
        Outbox alice = outbox();
        Outbox bob = outbox();
        join(alice);
        join(bob);
        clearInvocations(alice, bob);
        Outbox third = outbox();

        Optional<Member> refused = room.join(third, PEER);

        assertThat(refused).isEmpty();
        InOrder order = inOrder(third);
        order.verify(third).offer(payload("!error server full"));
        order.verify(third).close();
        verifyNoMoreInteractions(third);
        verifyNoInteractions(alice, bob);
        assertThat(room.size()).isEqualTo(2);
    }

    // --- chat and order --------------------------------------------------------------------------

    @Test
    void relaysChatToEveryoneIncludingTheSenderUnderTheSendersName() {
        Outbox alice = outbox();
        Outbox bob = outbox();
        Member a = join(alice);
        join(bob);

        room.receive(a, "hello, room");

        assertThat(received(alice).getLast()).isEqualTo("[guest-1] hello, room");
        assertThat(received(bob).getLast()).isEqualTo("[guest-1] hello, room");
    }

    @Test
    void encodesABroadcastOnceAndHandsEveryoneTheSameFrame() {
        Outbox alice = outbox();
        Outbox bob = outbox();
        Member a = join(alice);
        join(bob);

        room.receive(a, "once");

        assertThat(lastFrame(alice)).isSameAs(lastFrame(bob));
    }

    @Test
    void neverLetsAClientSpeakUnderAnotherName() {
        Outbox alice = outbox();
        Outbox bob = outbox();
        Member a = join(alice);
        join(bob);

        room.receive(a, "[guest-2] I owe guest-1 money");

        assertThat(received(bob).getLast()).isEqualTo("[guest-1] [guest-2] I owe guest-1 money");
    }

    @Test
    void givesEveryMemberTheRoomFramesInOneOrder() {
        Outbox alice = outbox();
        Outbox bob = outbox();
        Outbox carol = outbox();
        Member a = join(alice);
        Member b = join(bob);
        join(carol);
        clearInvocations(alice, bob, carol);

        room.receive(a, "one");
        room.receive(b, "two");
        room.receive(a, "!nick alice");
        room.receive(b, "three");
        room.receive(a, "four");

        List<String> expected = List.of("[guest-1] one", "[guest-2] two", "* guest-1 is now alice",
                "[guest-2] three", "[alice] four");
        for (Outbox outbox : List.of(alice, bob, carol)) {
            InOrder order = inOrder(outbox);
            for (String payload : expected) {
                order.verify(outbox).offer(payload(payload));
            }
            verifyNoMoreInteractions(outbox);
        }
    }

    @Test
    void givesEveryMemberTheSameOrderWhileManyThreadsTalkAtOnce() throws Exception {
        int senders = 4;
        int messagesEach = 250;
        // Each sender sends more than a burst at once: its rate must not be what this test sees.
        room = new ChatRoom(ServerOptions.defaults().withMaxBurst(messagesEach + 1), ServerConsole.silent());
        List<Outbox> outboxes = IntStream.range(0, senders).mapToObj(i -> outbox()).toList();
        List<Member> members = outboxes.stream().map(this::join).toList();
        outboxes.forEach(outbox -> clearInvocations(outbox));
        CountDownLatch start = new CountDownLatch(1);

        try (ExecutorService threads = Executors.newFixedThreadPool(senders)) {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (Member member : members) {
                done.add(CompletableFuture.runAsync(() -> {
                    awaitUninterruptibly(start);
                    for (int i = 0; i < messagesEach; i++) {
                        room.receive(member, "message " + i);
                    }
                }, threads));
            }
            start.countDown();
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }

        List<String> reference = received(outboxes.getFirst());
        assertThat(reference).hasSize(senders * messagesEach);
        for (Outbox outbox : outboxes) {
            assertThat(received(outbox)).isEqualTo(reference);
        }
        for (Member member : members) {
            List<String> own = reference.stream().filter(p -> p.startsWith("[" + member.name() + "] ")).toList();
            assertThat(own).as("messages of %s in the order sent", member.name())
                    .isEqualTo(IntStream.range(0, messagesEach)
                            .mapToObj(i -> "[" + member.name() + "] message " + i).toList());
        }
    }

    @Test
    void ignoresKeepalives() {
        Outbox alice = outbox();
        Outbox bob = outbox();
        Member a = join(alice);
        join(bob);
        clearInvocations(alice, bob);

        room.receive(a, "");

        verifyNoInteractions(alice, bob);
    }

    // --- commands --------------------------------------------------------------------------------

    @Test
    void announcesASuccessfulRenameToEveryoneAndUsesTheNewName() {
        Outbox alice = outbox();
        Outbox bob = outbox();
        Member a = join(alice);
        join(bob);

        room.receive(a, "!nick alice");
        room.receive(a, "hi");

        assertThat(a.name()).isEqualTo("alice");
        assertThat(received(bob)).endsWith("* guest-1 is now alice", "[alice] hi");
        assertThat(received(alice)).endsWith("* guest-1 is now alice", "[alice] hi");
        assertThat(room.names()).containsExactly("alice", "guest-2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"!nick", "!nick ", "!nick two words", "!nick Zoë", "!nick bang!", "!nick a.b",
        "!nick 123456789012345678901234567890123"})
    void refusesAnInvalidNameToTheSenderOnlyAndKeepsItsName(String command) {
        Outbox alice = outbox();
        Outbox bob = outbox();
        Member a = join(alice);
        join(bob);
        clearInvocations(alice, bob);

        room.receive(a, command);

        verify(alice).offer(payload(NAME_RULE));
        verifyNoInteractions(bob);
        assertThat(a.name()).isEqualTo("guest-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "Z", "under_score", "dash-ed", "0", "12345678901234567890123456789012"})
    void acceptsAnyNameOfOneToThirtyTwoAllowedCharacters(String name) {
        Member a = join(outbox());

        room.receive(a, "!nick " + name);

        assertThat(a.name()).isEqualTo(name);
    }

    @Test
    void refusesANameThatIsTakenIgnoringCase() {
        Outbox alice = outbox();
        Outbox bob = outbox();
        Member a = join(alice);
        Member b = join(bob);
        room.receive(a, "!nick alice");
        clearInvocations(alice, bob);

        room.receive(b, "!nick ALICE");

        verify(bob).offer(payload("!error name taken: ALICE"));
        verifyNoInteractions(alice);
        assertThat(b.name()).isEqualTo("guest-2");
        assertThat(a.name()).isEqualTo("alice");
    }

    @Test
    void letsAMemberChangeTheCaseOfItsOwnName() {
        Outbox alice = outbox();
        Member a = join(alice);
        room.receive(a, "!nick alice");

        room.receive(a, "!nick Alice");

        assertThat(a.name()).isEqualTo("Alice");
        assertThat(received(alice).getLast()).isEqualTo("* alice is now Alice");
    }

    @Test
    void freesANameForOthersOnceItsHolderRenames() {
        Member a = join(outbox());
        Member b = join(outbox());
        room.receive(a, "!nick alice");

        room.receive(b, "!nick guest-1");

        assertThat(b.name()).isEqualTo("guest-1");
    }

    @Test
    void stillAnnouncesRenamesWhenNoticesAreOff() {
        room = new ChatRoom(ServerOptions.defaults().withNotices(false), ServerConsole.silent());
        Outbox bob = outbox();
        Member a = join(outbox());
        join(bob);

        room.receive(a, "!nick alice");

        assertThat(received(bob).getLast()).isEqualTo("* guest-1 is now alice");
    }

    @Test
    void answersWhoWithEveryNameInJoinOrderToTheAskerOnly() {
        Outbox alice = outbox();
        Outbox bob = outbox();
        Member a = join(alice);
        Member b = join(bob);
        room.receive(b, "!nick bob");
        clearInvocations(alice, bob);

        room.receive(a, "!who");

        verify(alice).offer(payload("!who guest-1,bob"));
        verifyNoMoreInteractions(alice);
        verifyNoInteractions(bob);
    }

    @Test
    void answersPingWithPongToTheAskerOnly() {
        Outbox alice = outbox();
        Outbox bob = outbox();
        Member a = join(alice);
        join(bob);
        clearInvocations(alice, bob);

        room.receive(a, "!ping");

        verify(alice).offer(payload("!pong"));
        verifyNoInteractions(bob);
    }

    @Test
    void echoesAPingTokenByteForByte() {
        Outbox alice = outbox();
        Member a = join(alice);
        String token = " two  spaces, tab\t, ünïcödé 😀 and !nick inside";

        room.receive(a, "!ping " + token);

        byte[] expected = ("!pong " + token).getBytes(StandardCharsets.UTF_8);
        assertThat(lastFrame(alice).payload().getBytes(StandardCharsets.UTF_8)).containsExactly(expected);
    }

    @Test
    void answersAnUnknownCommandWithAnErrorAndKeepsTheConnection() {
        Outbox alice = outbox();
        Outbox bob = outbox();
        Member a = join(alice);
        join(bob);
        clearInvocations(alice, bob);

        room.receive(a, "!dance wildly");

        verify(alice).offer(payload("!error unknown command: dance"));
        verifyNoMoreInteractions(alice);
        verifyNoInteractions(bob);
        assertThat(a.isPresent()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"!Disconnect", "!disconnect", "!DISCONNECT", "!dIsCoNnEcT", "!Disconnect now"})
    void readsTheDisconnectCommandWordIgnoringCase(String command) {
        Outbox alice = outbox();
        Member a = join(alice);

        room.receive(a, command);

        verify(alice).close();
        assertThat(a.isPresent()).isFalse();
    }

    @Test
    void readsEveryCommandWordIgnoringCase() {
        Outbox alice = outbox();
        Member a = join(alice);

        room.receive(a, "!WHO");
        room.receive(a, "!Ping x");
        room.receive(a, "!NICK alice");

        assertThat(received(alice)).endsWith("!who guest-1", "!pong x", "* guest-1 is now alice");
    }

    // --- leaving ---------------------------------------------------------------------------------

    @Test
    void disconnectClosesOnlyTheLeaversOutboxAndTellsTheOthers() {
        Outbox alice = outbox();
        Outbox bob = outbox();
        Member a = join(alice);
        join(bob);

        room.receive(a, "!Disconnect");

        verify(alice).close();
        verify(bob, never()).close();
        assertThat(received(bob).getLast()).isEqualTo("* guest-1 left");
        assertThat(received(alice)).doesNotContain("* guest-1 left");
        assertThat(room.names()).containsExactly("guest-2");
    }

    @Test
    void ignoresWhatALeftMemberStillSends() {
        Outbox alice = outbox();
        Outbox bob = outbox();
        Member a = join(alice);
        join(bob);
        room.leave(a, "");
        clearInvocations(alice, bob);

        room.receive(a, "too late");

        verifyNoInteractions(alice, bob);
    }

    @Test
    void announcesALeaveOnlyOnceHoweverOftenItIsReported() {
        Outbox alice = outbox();
        Outbox bob = outbox();
        Member a = join(alice);
        join(bob);

        room.receive(a, "!Disconnect");
        room.leave(a, "");
        room.leave(a, "connection lost");
        room.fault(a, new MalformedHeaderException("no length digits"));

        assertThat(received(bob)).containsOnlyOnce("* guest-1 left");
        verify(alice, times(1)).close();
        verify(alice, never()).offer(argThat(frame -> frame.payload().startsWith("!error")));
    }

    @Test
    void sendsAFaultyClientTheReasonThenClosesAndTellsTheOthers() {
        Outbox alice = outbox();
        Outbox bob = outbox();
        Member a = join(alice);
        join(bob);

        room.fault(a, new MalformedHeaderException("no length digits"));

        InOrder order = inOrder(alice);
        order.verify(alice).offer(payload("!error malformed header: no length digits"));
        order.verify(alice).close();
        assertThat(a.isPresent()).isFalse();
        assertThat(received(bob).getLast()).isEqualTo("* guest-1 left");
        verify(bob, never()).close();
    }

    // --- slow consumers --------------------------------------------------------------------------

    @Test
    void dropsAMemberWhoseOutboxRefusesAFrameAndTellsTheOthers() {
        Outbox alice = outbox();
        Outbox slow = outbox();
        Outbox carol = outbox();
        Member a = join(alice);
        Member s = join(slow);
        join(carol);
        doReturn(false).when(slow).offer(any());

        room.receive(a, "hi");

        verify(slow).abort();
        verify(slow, never()).close();
        assertThat(s.isPresent()).isFalse();
        for (Outbox other : List.of(alice, carol)) {
            assertThat(received(other)).endsWith("[guest-1] hi", "* guest-2 left (too slow)");
            verify(other, never()).abort();
            verify(other, never()).close();
        }
        assertThat(room.names()).containsExactly("guest-1", "guest-3");
    }

    @Test
    void dropsAMemberWhoseOutboxRefusesAReply() {
        Outbox alice = outbox();
        Outbox slow = outbox();
        join(alice);
        Member s = join(slow);
        doReturn(false).when(slow).offer(any());

        room.receive(s, "!who");

        verify(slow).abort();
        assertThat(received(alice).getLast()).isEqualTo("* guest-2 left (too slow)");
    }

    @Test
    void dropsACascadeOfSlowMembersEachOnceAndTellsTheSurvivorsAboutEach() {
        Outbox alice = outbox();
        Outbox bob = outbox();
        Outbox carol = outbox();
        Outbox dave = outbox();
        Member a = join(alice);
        join(bob);
        join(carol);
        join(dave);
        // bob refuses everything; carol chokes on the notice about bob, dave on the one about carol.
        doReturn(false).when(bob).offer(any());
        refuse(carol, payload -> payload.equals("* guest-2 left (too slow)"));
        refuse(dave, payload -> payload.equals("* guest-3 left (too slow)"));

        room.receive(a, "hi");

        assertThat(received(alice)).endsWith("[guest-1] hi", "* guest-2 left (too slow)",
                "* guest-3 left (too slow)", "* guest-4 left (too slow)");
        for (Outbox dropped : List.of(bob, carol, dave)) {
            verify(dropped, times(1)).abort();
        }
        verify(alice, never()).abort();
        assertThat(room.names()).containsExactly("guest-1");
    }

    @Test
    void dropsSlowMembersSilentlyWhenNoticesAreOff() {
        room = new ChatRoom(ServerOptions.defaults().withNotices(false), ServerConsole.silent());
        Outbox alice = outbox();
        Outbox slow = outbox();
        Member a = join(alice);
        join(slow);
        doReturn(false).when(slow).offer(any());

        room.receive(a, "hi");

        verify(slow).abort();
        assertThat(received(alice)).containsExactly("* welcome guest-1 (1 online)", "[guest-1] hi");
    }

    // --- shutdown --------------------------------------------------------------------------------

    @Test
    void shutdownSendsEveryoneTheNoticeThenClosesEveryOutbox() {
        Outbox alice = outbox();
        Outbox bob = outbox();
        Member a = join(alice);
        Member b = join(bob);

        room.shutdown();

        for (Outbox outbox : List.of(alice, bob)) {
            InOrder order = inOrder(outbox);
            order.verify(outbox).offer(payload("* server shutting down"));
            order.verify(outbox).close();
        }
        assertThat(a.isPresent()).isFalse();
        assertThat(b.isPresent()).isFalse();
        assertThat(room.size()).isZero();
    }

    @Test
    void shutdownAbortsAnOutboxThatRefusesTheNotice() {
        Outbox alice = outbox();
        Outbox slow = outbox();
        join(alice);
        join(slow);
        doReturn(false).when(slow).offer(any());

        room.shutdown();

        verify(slow).abort();
        verify(slow, never()).close();
        verify(alice).close();
    }

    @Test
    void refusesJoinsAfterShutdownAndShutsDownOnlyOnce() {
        Outbox alice = outbox();
        join(alice);
        room.shutdown();
        room.shutdown();
        Outbox late = outbox();

        Optional<Member> refused = room.join(late, PEER);

        assertThat(refused).isEmpty();
        InOrder order = inOrder(late);
        order.verify(late).offer(payload("!error server shutting down"));
        order.verify(late).close();
        assertThat(received(alice)).containsOnlyOnce("* server shutting down");
        verify(alice, times(1)).close();
    }

    /**
     * A join and a message already waiting for the room's lock when the shutdown begins are refused
     * and dropped, not served: the shutdown must not wait behind their broadcasts. The lock is held
     * by a broadcast to an outbox that blocks until released; the test waits until the joining,
     * sending and stopping threads are all parked on the lock, in that order, before it lets go.
     */
    @Test
    void joinsAndMessagesWaitingForTheLockWhenTheShutdownBeginsAreRefusedAndDropped() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Outbox blocking = outbox();
        doAnswer(invocation -> {
            if (invocation.<Frame>getArgument(0).payload().equals("[guest-2] hold the lock")) {
                holding.countDown();
                awaitUninterruptibly(release);
            }
            return true;
        }).when(blocking).offer(any());
        join(blocking);
        Outbox sender = outbox();
        Member senderMember = join(sender);
        Outbox waitingJoin = outbox();

        Thread holder = Thread.ofPlatform().start(() -> room.receive(senderMember, "hold the lock"));
        holding.await();
        CompletableFuture<Optional<Member>> joined = new CompletableFuture<>();
        Thread joiner = Thread.ofPlatform().start(() -> joined.complete(room.join(waitingJoin, PEER)));
        awaitParked(joiner);
        Thread messenger = Thread.ofPlatform().start(() -> room.receive(senderMember, "too late"));
        awaitParked(messenger);
        Thread stopper = Thread.ofPlatform().start(room::shutdown);
        awaitParked(stopper);
        release.countDown();
        for (Thread thread : List.of(holder, joiner, messenger, stopper)) {
            thread.join();
        }

        assertThat(joined.get()).as("the join that waited").isEmpty();
        assertThat(received(waitingJoin)).containsExactly("!error server shutting down");
        assertThat(received(sender)).doesNotContain("[guest-2] too late").endsWith("* server shutting down");
        assertThat(received(blocking)).doesNotContain("* guest-3 joined");
    }

    /** Waits until {@code thread} is parked, as a thread waiting for a lock is (joins wait in timed slices). */
    private static void awaitParked(Thread thread) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING);
    }

    // --- helpers ---------------------------------------------------------------------------------

    /** An outbox that accepts every frame, as one with room to spare does. */
    private static Outbox outbox() {
        Outbox outbox = mock(Outbox.class);
        when(outbox.offer(any())).thenReturn(true);
        return outbox;
    }

    private static void refuse(Outbox outbox, Predicate<String> refused) {
        doAnswer(invocation -> !refused.test(invocation.<Frame>getArgument(0).payload())).when(outbox).offer(any());
    }

    private Member join(Outbox outbox) {
        return room.join(outbox, PEER).orElseThrow();
    }

    /** Every payload offered to {@code outbox}, in order, accepted or not. */
    private static List<String> received(Outbox outbox) {
        return offered(outbox).stream().map(Frame::payload).toList();
    }

    private static Frame lastFrame(Outbox outbox) {
        return offered(outbox).getLast();
    }

    private static List<Frame> offered(Outbox outbox) {
        ArgumentCaptor<Frame> frames = ArgumentCaptor.forClass(Frame.class);
        verify(outbox, atLeast(0)).offer(frames.capture());
        return frames.getAllValues();
    }

    private static Frame payload(String payload) {
        return argThat(frame -> frame != null && frame.payload().equals(payload));
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
