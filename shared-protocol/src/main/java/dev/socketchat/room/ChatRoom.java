package dev.socketchat.room;

import dev.socketchat.protocol.Frame;
import dev.socketchat.protocol.ProtocolException;
import dev.socketchat.server.ServerOptions;
import dev.socketchat.server.Sockets;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * The one chat room: who is in it, what their names are, and what each of them receives, in which
 * order (docs/protocol.md §3 to §7). It performs no I/O and starts no threads: a server hands it the
 * payloads its clients send, and the room puts frames into the members' {@link Outbox}es.
 *
 * <h2>Order</h2>
 * The room puts each room frame into every member's outbox while its one lock is held, so all
 * members receive room frames in one order, and a client's messages keep the order in which its
 * connection delivered them. Offering to an outbox never blocks, so the lock is only ever held for
 * in-memory work.
 *
 * <p>For a server on its own that lock is all the order there is: a message goes from the server's
 * thread straight into the outboxes, and the room keeps the names itself. A room shared by several
 * servers ({@link ServerOptions#cluster()}, docs/protocol.md §10) hands the order and the names to a
 * {@link RoomLog} instead: each change goes to the log, and comes back as a {@link RoomEvent} in the
 * broker's one order, which the room then delivers under the same lock.
 *
 * <h2>Slow consumers</h2>
 * When an outbox refuses a frame, its member has fallen more than the outbound limit behind. The
 * room drops that member on the spot (the outbox is aborted and the connection closed) and tells
 * the others {@code * <name> left (too slow)}; nobody waits for it.
 *
 * <h2>A fair share</h2>
 * No address may hold more than its share of the seats, and no client may send faster than its
 * rate (docs/protocol.md §7). The room counts connections by address under its lock, so that
 * connections accepted at once on many threads are counted as exactly as one at a time, and gives
 * every member a {@link TokenBucket}; {@link #receive} says how long the server is to stop reading
 * from a member that has spent its tokens, and each model stops reading in its own way.
 *
 * <h2>Shutdown is not queued behind the room's work</h2>
 * A burst of joins or a flood of messages can keep many threads waiting for the room's lock, each
 * with a broadcast to every member to do. {@link #shutdown()} first raises a flag that every method
 * reads before it does anything costly, with the lock or without it, so that from the moment a
 * server begins to stop, the joins and messages still waiting are refused or dropped in a few
 * steps each and the shutdown takes the lock without waiting for their broadcasts.
 *
 * <p>A few steps each is still too many for a burst of joins: a thousand joiners queued for the lock
 * before the flag went up would each take it in turn, and the shutdown would wait behind all of
 * them (twice: to enter, and to be welcomed and announced). On virtual threads every hand-over of
 * the lock also waits for the next thread to be scheduled on a carrier, and such a queue was
 * measured holding a shutdown back for six seconds. So joins and deliveries wait for the lock in
 * short slices and give up their place as soon as the flag is up ({@link #lockUnlessClosing()}).
 *
 * <h2>Thread safety</h2>
 * Every public method may be called from any thread.
 */
public final class ChatRoom {

    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    public static final String NAME_RULE = "a name is 1 to 32 of A-Z a-z 0-9 _ -";
    // How often a joiner waiting for the lock looks whether the room has begun to close.
    private static final long JOIN_WAIT_SLICE_MILLIS = 10;
    /** How long a client may keep sending over its rate, held back all the while, before it is disconnected. */
    public static final Duration FLOOD_BOUND = Duration.ofSeconds(60);

    private final int maxClients;
    private final int maxClientsPerAddress;
    private final int maxRate;
    private final int maxBurst;
    private final boolean notices;
    private final ServerConsole console;
    // Null for a server on its own: the room's lock orders it. Otherwise the broker that orders a shared room.
    private final RoomLog log;

    // Guards this server's members and the order in which their outboxes receive frames.
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Long, Member> members = new LinkedHashMap<>();
    private final Map<Long, Member> joining = new HashMap<>();
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    private final ArrayDeque<Member> droppedUnannounced = new ArrayDeque<>();
    // For a server on its own: the names given out, ignoring case, so that no two members share one.
    private final Set<String> takenNames = new HashSet<>();
    private long nextGuestNumber = 1;
    private boolean announcingDrops;
    private long nextMemberId = 1;
    private boolean shutDown;
    // Raised by shutdown() before it waits for the lock; read with and without the lock.
    private volatile boolean closing;

    /** Whether {@code !nick name} would pass the naming rule ({@link #NAME_RULE}); whether it is free is the room's to say. */
    public static boolean isValidName(String name) {
        return name != null && VALID_NAME.matcher(name).matches();
    }

    /**
     * A room of this server alone, or, if the options name a {@linkplain ServerOptions#cluster() cluster},
     * one shared through the log that {@link RoomLogs#open} finds for it.
     */
    public ChatRoom(ServerOptions options, ServerConsole console) {
        this(options, console, RoomLogs.open(options, console).orElse(null));
    }

    /** A room whose order and names {@code log} decides, or, if it is null, the room's own lock. */
    ChatRoom(ServerOptions options, ServerConsole console, RoomLog log) {
        this.maxClients = options.maxClients();
        this.maxClientsPerAddress = options.maxClientsPerAddress();
        this.maxRate = options.maxRate();
        this.maxBurst = options.maxBurst();
        this.notices = options.notices();
        this.console = console;
        this.log = log;
        if (log != null) {
            log.start(this::deliver);
        }
    }

    /**
     * Admits a new connection. The member gets its guest name and {@code * welcome <name> (<n> online)}
     * as its first frame; everyone else gets {@code * <name> joined}.
     *
     * @param outbox where the member's frames go
     * @param remote the client's address: its share of the seats is counted by it, and the console shows it
     * @return the new member; empty if the room is full, its address has its share, or the room is
     *         shutting down or unavailable, in which case the outbox has received
     *         {@code !error <reason>} and a close
     */
    public Optional<Member> join(Outbox outbox, SocketAddress remote) {
        String peer = Sockets.describe(remote);
        InetAddress address = remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
        if (closing) {
            // The outbox is no member's yet: refusing it needs no lock, so it waits for no one.
            refuse(outbox, peer, "server shutting down");
            return Optional.empty();
        }
        Member member;
        if (!lockUnlessClosing()) {
            refuse(outbox, peer, "server shutting down");
            return Optional.empty();
        }
        try {
            if (closing || members.size() + joining.size() >= maxClients) {
                refuse(outbox, peer, closing ? "server shutting down" : "server full");
                return Optional.empty();
            }
            if (address != null && perAddress.getOrDefault(address, 0) >= maxClientsPerAddress) {
                refuse(outbox, peer, "too many connections from your address");
                return Optional.empty();
            }
            member = new Member(nextMemberId++, "", peer, address, outbox,
                    new TokenBucket(maxRate, maxBurst, FLOOD_BOUND, System::nanoTime));
            joining.put(member.id(), member);
            if (address != null) {
                perAddress.merge(address, 1, Integer::sum);
            }
            if (log == null) {
                publishLocked(RoomEvent.joined(member.id(), guestNameLocked(), members.size() + 1));
            }
        } finally {
            lock.unlock();
        }
        try {
            if (log != null) {
                log.join(member.id()); // the welcome is in the outbox when this returns
            }
        } catch (RoomUnavailableException e) {
            lock.lock();
            try {
                if (forgetLocked(member)) {
                    refuse(outbox, peer, "room unavailable");
                }
            } finally {
                lock.unlock();
            }
        }
        return member.isPresent() ? Optional.of(member) : Optional.empty();
    }

    /**
     * Handles one payload a member sent: a chat message, a command, or an empty keepalive, each paid
     * for with a token of the member's rate. Does nothing if the member is no longer in the room, or
     * once the server is shutting down.
     *
     * <p>A member that has spent its tokens is sent {@code !error slow down}, once until its bucket is
     * full again; one that has been held back for longer than {@link #FLOOD_BOUND} is disconnected.
     *
     * @return how many nanoseconds the server must not read from this member; 0 to read on
     */
    public long receive(Member member, String payload) {
        if (closing || !member.isPresent()) {
            return 0;
        }
        TokenBucket.Verdict verdict = member.bucket().take();
        if (verdict.disconnect()) {
            remove(member, "kept sending too fast", null);
            return 0;
        }
        if (payload.isEmpty()) {
            // A keepalive: nothing to relay or answer, but a flood of them costs reads all the same.
        } else if (payload.charAt(0) == '!') {
            command(member, payload);
        } else {
            say(member, payload);
        }
        if (verdict.warn()) {
            reply(member, "!error slow down");
        }
        return verdict.pauseNanos();
    }

    /**
     * The member's connection ended (end of stream, reset, I/O error): it leaves and everyone else
     * is told. Safe to call more than once and after any other way of leaving; only the first counts.
     *
     * @param reason why, for the console; empty for an ordinary leave
     */
    public void leave(Member member, String reason) {
        remove(member, reason, null);
    }

    /**
     * The member broke the protocol: it receives {@code !error <reason>} (best effort, behind what is
     * already queued for it), its connection is closed once that is written, and it leaves.
     */
    public void fault(Member member, ProtocolException fault) {
        remove(member, fault.reason(), Frame.of("!error " + fault.reason()));
    }

    /**
     * Starts the shutdown of docs/protocol.md §8: every member receives {@code * server shutting down},
     * every outbox is closed (written out, then closed), and no one else may join. The server then
     * gives the outboxes the grace period to drain before it closes what is left.
     *
     * <p>From the first instruction on, joins are refused with {@code !error server shutting down}
     * and messages are no longer relayed, even by threads that are already waiting for a lock.
     */
    public void shutdown() {
        closing = true;
        lock.lock();
        try {
            if (shutDown) {
                return;
            }
            shutDown = true;
            Frame notice = Frame.of("* server shutting down");
            List<Member> everyone = new ArrayList<>(members.values());
            everyone.addAll(joining.values());
            for (Member member : everyone) {
                member.markGone();
                if (member.outbox().offer(notice)) {
                    member.outbox().close();
                } else {
                    member.outbox().abort();
                }
            }
            members.clear();
            joining.clear();
            perAddress.clear();
            takenNames.clear();
        } finally {
            lock.unlock();
        }
        if (log != null) {
            log.close();
        }
    }

    /** How many of this server's members are in the room now. */
    public int size() {
        lock.lock();
        try {
            return members.size();
        } finally {
            lock.unlock();
        }
    }

    /** This server's members' names, in the order they joined. */
    public List<String> names() {
        lock.lock();
        try {
            return members.values().stream().map(Member::name).toList();
        } finally {
            lock.unlock();
        }
    }

    private void command(Member member, String payload) {
        int space = payload.indexOf(' ');
        String word = space < 0 ? payload.substring(1) : payload.substring(1, space);
        String argument = space < 0 ? null : payload.substring(space + 1);
        try {
            switch (word.toLowerCase(Locale.ROOT)) {
                case "disconnect" -> remove(member, "", null);
                case "nick" -> rename(member, argument);
                case "who" -> reply(member, "!who " + String.join(",", log == null ? names() : log.names()));
                case "ping" -> reply(member, argument == null ? "!pong" : "!pong " + argument);
                default -> reply(member, "!error unknown command: " + word);
            }
        } catch (RoomUnavailableException e) {
            reply(member, "!error room unavailable");
        }
    }

    private void rename(Member member, String newName) throws RoomUnavailableException {
        if (!isValidName(newName)) {
            reply(member, "!error invalid name: " + NAME_RULE);
        } else if (!(log == null ? renameHere(member, newName) : log.rename(member.id(), newName))) {
            reply(member, "!error name taken: " + newName);
        }
    }

    private void say(Member member, String text) {
        if (log != null) {
            try {
                log.say(member.id(), text);
            } catch (RoomUnavailableException e) {
                reply(member, "!error room unavailable");
            }
            return;
        }
        if (!lockUnlessClosing()) {
            return; // the shutdown drops what is still waiting; a broadcast now would only delay it
        }
        try {
            if (member.isPresent()) {
                publishLocked(RoomEvent.said(member.id(), member.name(), text));
            }
        } finally {
            lock.unlock();
        }
    }

    /** A server on its own renames under its lock; false if another member holds the name, ignoring case. */
    private boolean renameHere(Member member, String newName) {
        lock.lock();
        try {
            if (!member.isPresent()) {
                return true; // it left meanwhile: nothing to refuse
            }
            String oldName = member.name();
            if (!key(oldName).equals(key(newName)) && takenNames.contains(key(newName))) {
                return false;
            }
            takenNames.remove(key(oldName));
            takenNames.add(key(newName));
            publishLocked(RoomEvent.renamed(member.id(), oldName, newName));
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void reply(Member member, String payload) {
        lock.lock();
        try {
            if (member.isPresent() && !member.outbox().offer(Frame.of(payload))) {
                dropSlowLocked(List.of(member));
            }
        } finally {
            lock.unlock();
        }
        announceDrops();
    }

    /**
     * Takes the lock, or returns false without it once the room is closing: the place of a join or
     * of an event to deliver in the lock's queue must not hold the shutdown back. Waiting in slices
     * costs a wakeup per slice only while the lock is contended.
     */
    private boolean lockUnlessClosing() {
        boolean interrupted = false;
        try {
            while (!closing) {
                try {
                    if (lock.tryLock(JOIN_WAIT_SLICE_MILLIS, TimeUnit.MILLISECONDS)) {
                        return true;
                    }
                } catch (InterruptedException e) {
                    interrupted = true; // the join goes on, as lock() would; the flag is restored below
                }
            }
            return false;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Removes a present member, closes its outbox after {@code lastWords}, and announces the leave. */
    private void remove(Member member, String reason, Frame lastWords) {
        lock.lock();
        try {
            if (!forgetLocked(member)) {
                return;
            }
            if (lastWords != null) {
                member.outbox().offer(lastWords);
            }
            member.outbox().close();
            console.disconnected(member.name(), reason);
            if (log == null) {
                publishLocked(RoomEvent.left(member.id(), member.name(), ""));
                return;
            }
        } finally {
            lock.unlock();
        }
        log.leave(member.id(), "");
    }

    /** A server on its own: gives the next {@code guest-<k>} name no member holds, ignoring case. */
    private String guestNameLocked() {
        String name;
        do {
            name = "guest-" + nextGuestNumber++;
        } while (!takenNames.add(key(name)));
        return name;
    }

    /**
     * A server on its own: delivers one event at once, under the lock the caller holds, then
     * announces the members its broadcast dropped. Once the room is closing there is no one left to
     * tell; the shutdown tells everyone.
     */
    private void publishLocked(RoomEvent event) {
        if (closing) {
            return;
        }
        deliverLocked(event);
        announceDropsLocked();
    }

    /**
     * A server on its own: announces the slow members dropped so far, one after the other. An
     * announcement is itself a broadcast that may drop more members, which join the queue rather than
     * a deeper call, so a cascade through thousands of members cannot overflow the stack.
     */
    private void announceDropsLocked() {
        Member dropped;
        while ((dropped = droppedUnannounced.poll()) != null) {
            deliverLocked(RoomEvent.left(dropped.id(), dropped.name(), "too slow"));
        }
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** Puts one event from a shared room's log into the outboxes of this server's members. */
    private void deliver(RoomEvent event) {
        if (!lockUnlessClosing()) {
            return; // shutdown() tells everyone, joiners included; a broadcast now would only delay it
        }
        try {
            if (!shutDown) {
                deliverLocked(event);
            }
        } finally {
            lock.unlock();
        }
        announceDrops();
    }

    /** Puts one event's frame into the outboxes of this server's members, in the room's one order. */
    private void deliverLocked(RoomEvent event) {
        switch (event.kind()) {
            case JOINED -> {
                Member joiner = joining.remove(event.member());
                if (joiner != null) {
                    welcomeLocked(joiner, event);
                }
                if (notices) {
                    broadcastLocked(Frame.of("* " + event.name() + " joined"), joiner);
                }
            }
            case SAID -> {
                console.message(event.name(), event.detail());
                broadcastLocked(Frame.of("[" + event.name() + "] " + event.detail()), null);
            }
            case RENAMED -> {
                Member renamed = members.get(event.member());
                if (renamed != null) {
                    renamed.rename(event.detail());
                    console.renamed(event.name(), event.detail());
                }
                broadcastLocked(Frame.of("* " + event.name() + " is now " + event.detail()), null);
            }
            case LEFT -> {
                String because = event.detail().isEmpty() ? "" : " (" + event.detail() + ")";
                Member ended = members.get(event.member());
                if (ended != null) {
                    endLocked(ended, event.detail(), because);
                }
                if (notices) {
                    broadcastLocked(Frame.of("* " + event.name() + " left" + because), null);
                }
            }
            case MISSED -> broadcastLocked(Frame.of("* some messages were missed"
                    + (event.detail().isEmpty() ? "" : " (" + event.detail() + ")")), null);
            case UNAVAILABLE -> broadcastLocked(Frame.of("* room unavailable (" + event.detail() + ")"), null);
            case AVAILABLE -> broadcastLocked(Frame.of("* room available again"), null);
        }
    }

    private void welcomeLocked(Member joiner, RoomEvent joined) {
        joiner.rename(joined.name());
        members.put(joiner.id(), joiner);
        console.connected(joiner);
        if (!joiner.outbox().offer(Frame.of("* welcome " + joined.name() + " (" + joined.online() + " online)"))) {
            dropSlowLocked(List.of(joiner));
        }
    }

    /**
     * A leave of this server's member that this server did not ask for: a broker ended it, as when the
     * other servers took this one for dead (docs/protocol.md §10). The member is told why and
     * disconnected, so that it is never in the room on this server while the room says it left.
     */
    private void endLocked(Member member, String reason, String because) {
        forgetLocked(member);
        member.outbox().offer(Frame.of("!error you left the room" + because + "; reconnect to join again"));
        member.outbox().close();
        console.disconnected(member.name(), reason);
    }

    /** Needs no lock: the outbox is no member's, so nothing else offers to it. */
    private void refuse(Outbox outbox, String peer, String reason) {
        outbox.offer(Frame.of("!error " + reason));
        outbox.close();
        console.refused(peer, reason);
    }

    /** Offers one frame, encoded once, to every member but {@code except}; drops whoever refuses it. */
    private void broadcastLocked(Frame frame, Member except) {
        List<Member> slow = new ArrayList<>(0);
        for (Member member : members.values()) {
            if (member != except && !member.outbox().offer(frame)) {
                slow.add(member);
            }
        }
        dropSlowLocked(slow);
    }

    /**
     * Drops slow members on the spot and queues their leaves: announcing one is a broadcast of its
     * own, which must not begin in the middle of another. {@link #announceDropsLocked} announces them
     * for a server on its own; for a shared room, {@link #announceDrops} has the log announce them
     * once the lock is released, since the room never calls the log while holding it.
     */
    private void dropSlowLocked(List<Member> slow) {
        for (Member member : slow) {
            if (forgetLocked(member)) {
                member.outbox().abort();
                console.disconnected(member.name(), "too slow");
                droppedUnannounced.add(member);
            }
        }
    }

    /**
     * Announces the slow members dropped so far. For a shared room, announcing a drop goes through
     * the log, whose event comes back into {@link #deliver} and may find more slow members; one
     * thread at a time works through the queue, so no leave is announced twice.
     */
    private void announceDrops() {
        lock.lock();
        try {
            if (log == null) {
                announceDropsLocked();
                return;
            }
            if (announcingDrops || droppedUnannounced.isEmpty()) {
                return; // nothing to do, or a caller further up (this thread or another) is at it
            }
            announcingDrops = true;
        } finally {
            lock.unlock();
        }
        while (true) {
            Member next;
            lock.lock();
            try {
                next = droppedUnannounced.poll();
                if (next == null) {
                    announcingDrops = false;
                    return;
                }
            } finally {
                lock.unlock();
            }
            log.leave(next.id(), "too slow");
        }
    }

    /** Takes a member out of the room; false if it was already gone. */
    private boolean forgetLocked(Member member) {
        if (members.remove(member.id()) == null && joining.remove(member.id()) == null) {
            return false;
        }
        member.markGone();
        takenNames.remove(key(member.name())); // a server on its own frees the name; a shared room's log does
        if (member.address() != null) {
            perAddress.computeIfPresent(member.address(), (address, count) -> count == 1 ? null : count - 1);
        }
        return true;
    }
}
