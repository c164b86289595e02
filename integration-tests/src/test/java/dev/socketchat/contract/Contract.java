package dev.socketchat.contract;

import dev.socketchat.server.ServerOptions;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.socketchat.contract.Behaviour.of;

/**
 * The contract: every behaviour of docs/protocol.md that a client can observe, by section, each with the
 * number of clients it keeps connected at once. Each is written with as few clients as it needs to
 * be observed, so that a model serving few clients at a time is held to everything it can show.
 */
final class Contract {

    static final Behaviour RELAY = of("a chat message is relayed to everyone, the sender included", 3,
            RoomChecks::messageIsRelayedToEveryoneSenderIncluded);
    static final Behaviour NICK = of("!nick renames, and everyone is told", 2,
            RoomChecks::nickRenamesAndEveryoneIsTold);
    static final Behaviour PING = of("!ping is answered with !pong and the token echoed byte for byte", 1,
            RoomChecks::pingIsAnsweredWithTheTokenEchoed);
    static final Behaviour DISCONNECT = of(
            "!Disconnect in any letter case delivers everything queued, then ends the stream", 1,
            RoomChecks::disconnectInAnyLetterCaseDeliversEverythingQueuedFirst);
    static final Behaviour BAD_HEADER = faultBehaviour("bad header", FaultChecks.BAD_HEADERS.getFirst());

    static final List<Behaviour> FRAMING = List.of(
            of("a frame sent one byte at a time arrives whole", 1, FramingChecks::frameSentOneByteAtATime),
            of("many frames in one write are each handled, in order", 1, FramingChecks::manyFramesInOneWrite),
            of("an empty keepalive frame is never relayed nor answered", 1,
                    FramingChecks::keepaliveIsNeverRelayedNorAnswered),
            of("multi-byte UTF-8 is counted in bytes", 1, FramingChecks::multiByteUtf8IsCountedInBytes),
            of("a payload of exactly the maximum size is accepted", 1,
                    FramingChecks::payloadOfExactlyTheMaximumIsAccepted),
            of("a payload one byte over the maximum is refused from its header", 1,
                    FramingChecks::payloadOneByteOverTheMaximumIsRefused));

    static final List<Behaviour> ROOM = List.of(
            RELAY,
            NICK,
            of("!nick refuses a name taken by another, ignoring case", 2,
                    RoomChecks::nickRefusesATakenNameIgnoringCase),
            of("!nick refuses an invalid name and keeps the old one", 1, RoomChecks::nickRefusesAnInvalidName),
            of("a client can never appear under another's name", 2, RoomChecks::noClientCanAppearUnderAnothersName),
            of("!who lists every name in the room", 2, RoomChecks::whoListsEveryName),
            PING,
            of("an unknown command gets !error and the connection stays open", 1,
                    RoomChecks::unknownCommandIsRefusedAndTheConnectionStays),
            of("command replies and refusals reach the asker only", 2, RoomChecks::repliesReachTheAskerOnly),
            DISCONNECT,
            of("a client that leaves is announced to the others", 2, RoomChecks::leavingIsAnnouncedOnceToTheOthers));

    static final List<Behaviour> ORDER = List.of(
            of(OrderChecks.ORDER_CLIENTS + " clients sending at once all see one order, each sender's kept",
                    OrderChecks.ORDER_CLIENTS, OrderChecks::concurrentSendersAllSeeOneOrder));

    static final List<Behaviour> FAULTS = Stream.of(
                    FaultChecks.BAD_HEADERS.stream().map(fault -> faultBehaviour("bad header", fault)),
                    FaultChecks.BAD_UTF8.stream().map(fault -> faultBehaviour("bad UTF-8", fault)),
                    FaultChecks.VANISHING.stream().map(fault -> faultBehaviour(null, fault)),
                    Stream.of(of("every fault ends only its own connection; the others carry on", 3,
                            FaultChecks::othersCarryOnThroughEveryFault)))
            .flatMap(Function.identity())
            .toList();

    static final Behaviour SLOW_CONSUMER_DROPPED = of("slow consumer does not stall the room, and is dropped", 3,
            SlowConsumerChecks::slowConsumerDoesNotStallTheRoomAndIsDropped)
            .with(options -> options.withOutboundLimit(256 * 1024));

    static final List<Behaviour> SLOW_CONSUMER = List.of(SLOW_CONSUMER_DROPPED);

    /**
     * Not {@linkplain Behaviour#runAlone() alone}: each waits for a server's timer and allows for a
     * loaded machine many times over (keepalives go out ten times per idle timeout; an answer may
     * take {@link TestClient#WAIT}), so they run beside the checks that have the machine to themselves.
     */
    static final List<Behaviour> LIMITS = List.of(
            of("a frame not finished within the frame timeout gets !error frame timeout (slowloris)", 1,
                    LimitChecks::unfinishedFrameTimesOut)
                    .with(options -> options.withFrameTimeout(LimitChecks.FRAME_TIMEOUT)),
            of("a silent client gets !error idle timeout", 1, LimitChecks::silentClientTimesOut)
                    .with(options -> options.withIdleTimeout(LimitChecks.IDLE_TIMEOUT)),
            of("keepalive frames keep a lone client past several idle timeouts", 1,
                    LimitChecks::keepalivesKeepALoneClientPastSeveralIdleTimeouts)
                    .with(options -> options.withIdleTimeout(LimitChecks.IDLE_TIMEOUT)),
            of("keepalive frames keep a client past the idle timeout", 2,
                    LimitChecks::keepalivesKeepAClientPastTheIdleTimeout)
                    .with(options -> options.withIdleTimeout(LimitChecks.IDLE_TIMEOUT)),
            of("a client over max clients gets !error server full at once", LimitChecks.MAX_CLIENTS + 1,
                    LimitChecks::clientOverTheLimitIsRefusedAtOnce)
                    .with(options -> options.withMaxClients(LimitChecks.MAX_CLIENTS)));

    static final Behaviour INTERRUPTED_STOP_WAITS_FOR_QUEUED_FRAMES = of(
            "stop() called from an interrupted thread still gives queued frames the grace period", 2,
            InterruptedStopChecks::stopFromAnInterruptedThreadStillWaitsForQueuedFrames)
            .with(options -> options.withGrace(InterruptedStopChecks.GRACE)
                    .withOutboundLimit(InterruptedStopChecks.OUTBOUND_LIMIT))
            .runAlone();

    static final List<Behaviour> ATTACKS = List.of(
            of("a client that leaves and keeps sending is closed within grace + linger of leaving", 1,
                    AttackChecks::leaverThatKeepsSendingIsClosedWithinTheLinger)
                    .with(options -> options.withGrace(AttackChecks.GRACE))
                    .runAlone(),
            of("a flood of refused clients that keep sending never makes the server hold more than "
                            + "2 x max clients connections; a newcomer is welcomed after", AttackChecks.FLOOD_MAX_CLIENTS,
                    AttackChecks::refusedFloodNeverHoldsMoreThanTheBudget)
                    .with(options -> options.withMaxClients(AttackChecks.FLOOD_MAX_CLIENTS)
                            .withGrace(AttackChecks.GRACE))
                    .runAlone());

    /** The default share against issue 26's attack: the members, one more, and one from another address. */
    static final Behaviour IDLE_FROM_ONE_ADDRESS = of(FairShareChecks.IDLE_FROM_ONE_ADDRESS
                    + " idle connections from 127.0.0.1 hold at most its share; the next gets !error too many "
                    + "connections from your address, 127.0.0.2 is welcomed",
            ServerOptions.DEFAULT_MAX_CLIENTS_PER_ADDRESS + 2, FairShareChecks::idleConnectionsFromOneAddressLeaveOthersASeat)
            .with(options -> options.withGrace(AttackChecks.GRACE))
            .runAlone();

    /**
     * The 10,000 connections load the machine: alone. So is the flooder, whose server must read it
     * without a pause: a stall as long as the burst takes to grow back (200 ms) ends its hold, and
     * the next read starts another, with a second {@code !error slow down} (seen beside a flood). The
     * racers need no clock: they run beside anything. Neither check is about shutdown, so each stops
     * its server with a short grace: the flooder's server would otherwise give the copies it still
     * holds for the flooder the default 5 s after the flooder has gone.
     */
    static final List<Behaviour> FAIR_SHARE = List.of(
            IDLE_FROM_ONE_ADDRESS,
            of("connections from one address accepted at once are counted exactly; a seat given back is taken again",
                    FairShareChecks.SHARE + 1, FairShareChecks::concurrentAcceptsAreCountedExactly)
                    .with(options -> options.withMaxClientsPerAddress(FairShareChecks.SHARE)),
            of("a flooder is held to its rate by TCP, told !error slow down once, and stays connected", 1,
                    FairShareChecks::aFlooderIsHeldToItsRateAndToldOnce)
                    .with(options -> options.withMaxRate(FairShareChecks.RATE).withMaxBurst(FairShareChecks.BURST)
                            .withGrace(AttackChecks.GRACE))
                    .runAlone());

    static final List<Behaviour> SHUTDOWN = List.of(
            of("graceful shutdown: a client gets the notice, then end of stream, within the grace period", 1,
                    server -> ShutdownChecks.shutdownReachesEveryClient(server, 1)).runAlone(),
            of("graceful shutdown reaches every client", 3,
                    server -> ShutdownChecks.shutdownReachesEveryClient(server, 3)).runAlone(),
            of("stop() called from an interrupted thread still shuts down gracefully and leaves no thread", 1,
                    InterruptedStopChecks::stopFromAnInterruptedThreadLeavesNoThread)
                    .with(options -> options.withGrace(InterruptedStopChecks.GRACE))
                    .runAlone(),
            INTERRUPTED_STOP_WAITS_FOR_QUEUED_FRAMES,

            of("shutdown under load: " + ShutdownChecks.LOAD_CLIENTS + " clients joining, flooding and not "
                            + "reading; stop() returns within grace + " + ShutdownChecks.SHUTDOWN_MARGIN.toSeconds() + " s",
                    2, ShutdownChecks::shutdownUnderLoadEndsWithinTheGracePeriod)
                    // All from 127.0.0.1: the per-address share is lifted out of the way of the load.
                    .with(options -> options.withGrace(AttackChecks.GRACE)
                            .withMaxClientsPerAddress(ShutdownChecks.LOAD_CLIENTS))
                    .runAlone());

    static final List<Behaviour> LOAD = List.of(
            of(OrderChecks.LOAD_CLIENTS + " concurrent clients: every message reaches every client",
                    OrderChecks.LOAD_CLIENTS, OrderChecks::everyMessageReachesEveryOneOfManyClients)
                    // Join notices would add a quarter of a million frames that prove nothing more.
                    // All from 127.0.0.1: the per-address share is lifted out of the way of the load.
                    .with(options -> options.withNotices(false).withMaxClientsPerAddress(OrderChecks.LOAD_CLIENTS))
                    .runAlone());

    /**
     * docs/protocol.md §7 for a model's own limit, such as a full pool: the client it cannot serve is
     * told at once, never left waiting in a queue. Run with the model's limit set to its client
     * count, not raised above it (see {@link ContractSuiteIT#modelLimit()}).
     */
    static final Behaviour MODEL_LIMIT = of("a client beyond the model's own limit gets !error server full at once", 2,
            LimitChecks::clientOverTheModelsLimitIsRefusedAtOnce);

    /** The core that the container run repeats against the packaged server: it needs default options only. */
    static final List<Behaviour> CORE = List.of(RELAY, NICK, PING, BAD_HEADER, DISCONNECT);

    private Contract() {
    }

    /** The options every in-process check starts from: docs/protocol.md's defaults, on a free loopback port, quiet. */
    static ServerOptions baseOptions() {
        return ServerOptions.defaults().withPort(0).withQuiet(true);
    }

    /** "bad header (a plus sign): !error, then the connection closes; the server carries on" */
    private static Behaviour faultBehaviour(String kind, FaultChecks.Fault fault) {
        String what = kind == null ? fault.name() : kind + " (" + fault.name() + ")";
        String outcome = fault.answered() ? ": !error, then the connection closes; the server carries on"
                : ": the server carries on";
        return of(what + outcome, 1, server -> FaultChecks.closesOnlyTheOffender(server, fault));
    }
}
