package dev.socketchat.room;

import dev.socketchat.protocol.Frame;
import dev.socketchat.protocol.ProtocolException;
import dev.socketchat.server.ServerOptions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * The one chat room: who is in it, what their names are, and what each of them receives, in which
 * order (PROTOCOL.md §3 to §6). It performs no I/O and starts no threads: a server hands it the
 * payloads its clients send, and the room puts frames into the members' {@link Outbox}es.
 *
 * <h2>Order</h2>
 * Every room frame (chat messages and notices) is put into every outbox while one lock is held, so
 * all members receive room frames in one total order, and a client's messages keep the order in
 * which its connection delivered them. Offering to an outbox never blocks, so the lock is only ever
 * held for in-memory work.
 *
 * <h2>Slow consumers</h2>
 * When an outbox refuses a frame, its member has fallen more than the outbound limit behind. The
 * room drops that member on the spot (the outbox is aborted and the connection closed) and tells
 * the others {@code * <name> left (too slow)}; nobody waits for it.
 *
 * <h2>Thread safety</h2>
 * Every public method may be called from any thread.
 */
public final class ChatRoom {

    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final String NAME_RULE = "a name is 1 to 32 of A-Z a-z 0-9 _ -";

    private final int maxClients;
    private final boolean notices;
    private final ServerConsole console;

    // Guards the members, their names and the order of every frame the room sends.
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Long, Member> members = new LinkedHashMap<>();
    private final Map<String, Member> membersByName = new HashMap<>();
    private long nextMemberId = 1;
    private long nextGuestNumber = 1;
    private boolean shutDown;

    public ChatRoom(ServerOptions options, ServerConsole console) {
        this.maxClients = options.maxClients();
        this.notices = options.notices();
        this.console = console;
    }

    /**
     * Admits a new connection. The member gets its guest name and {@code * welcome <name> (<n> online)}
     * as its first frame; everyone else gets {@code * <name> joined}.
     *
     * @param outbox where the member's frames go
     * @param peer   the client's address, for the console
     * @return the new member; empty if the room is full or shutting down, in which case the outbox
     *         has received {@code !error <reason>} and a close
     */
    public Optional<Member> join(Outbox outbox, String peer) {
        lock.lock();
        try {
            if (shutDown || members.size() >= maxClients) {
                String reason = shutDown ? "server shutting down" : "server full";
                outbox.offer(Frame.of("!error " + reason));
                outbox.close();
                console.refused(peer, reason);
                return Optional.empty();
            }
            Member member = new Member(nextMemberId++, nextGuestNameLocked(), peer, outbox);
            members.put(member.id(), member);
            membersByName.put(key(member.name()), member);
            console.connected(member);
            outbox.offer(Frame.of("* welcome " + member.name() + " (" + members.size() + " online)"));
            if (notices) {
                broadcastLocked(Frame.of("* " + member.name() + " joined"), member);
            }
            return Optional.of(member);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Handles one payload a member sent: a chat message, a command, or an empty keepalive.
     * Does nothing if the member is no longer in the room.
     */
    public void receive(Member member, String payload) {
        if (payload.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            if (!member.isPresent()) {
                return;
            }
            if (payload.charAt(0) == '!') {
                commandLocked(member, payload);
            } else {
                console.message(member.name(), payload);
                broadcastLocked(Frame.of("[" + member.name() + "] " + payload), null);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The member's connection ended (end of stream, reset, I/O error): it leaves and everyone else
     * is told. Safe to call more than once and after any other way of leaving; only the first counts.
     *
     * @param reason why, for the console; empty for an ordinary leave
     */
    public void leave(Member member, String reason) {
        lock.lock();
        try {
            removeLocked(member, reason, null);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The member broke the protocol: it receives {@code !error <reason>} (best effort, behind what is
     * already queued for it), its connection is closed once that is written, and it leaves.
     */
    public void fault(Member member, ProtocolException fault) {
        lock.lock();
        try {
            removeLocked(member, fault.reason(), Frame.of("!error " + fault.reason()));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts the shutdown of PROTOCOL.md §7: every member receives {@code * server shutting down},
     * every outbox is closed (written out, then closed), and no one else may join. The server then
     * gives the outboxes the grace period to drain before it closes what is left.
     */
    public void shutdown() {
        lock.lock();
        try {
            if (shutDown) {
                return;
            }
            shutDown = true;
            Frame notice = Frame.of("* server shutting down");
            for (Member member : members.values()) {
                member.markGone();
                if (member.outbox().offer(notice)) {
                    member.outbox().close();
                } else {
                    member.outbox().abort();
                }
            }
            members.clear();
            membersByName.clear();
        } finally {
            lock.unlock();
        }
    }

    /** How many members are in the room now. */
    public int size() {
        lock.lock();
        try {
            return members.size();
        } finally {
            lock.unlock();
        }
    }

    /** The members' names, in the order they joined. */
    public List<String> names() {
        lock.lock();
        try {
            return members.values().stream().map(Member::name).toList();
        } finally {
            lock.unlock();
        }
    }

    private void commandLocked(Member member, String payload) {
        int space = payload.indexOf(' ');
        String word = space < 0 ? payload.substring(1) : payload.substring(1, space);
        String argument = space < 0 ? null : payload.substring(space + 1);
        switch (word.toLowerCase(Locale.ROOT)) {
            case "disconnect" -> removeLocked(member, "", null);
            case "nick" -> renameLocked(member, argument);
            case "who" -> replyLocked(member, "!who " + String.join(",", members.values().stream()
                    .map(Member::name).toList()));
            case "ping" -> replyLocked(member, argument == null ? "!pong" : "!pong " + argument);
            default -> replyLocked(member, "!error unknown command: " + word);
        }
    }

    private void renameLocked(Member member, String newName) {
        if (newName == null || !VALID_NAME.matcher(newName).matches()) {
            replyLocked(member, "!error invalid name: " + NAME_RULE);
            return;
        }
        Member holder = membersByName.get(key(newName));
        if (holder != null && holder != member) {
            replyLocked(member, "!error name taken: " + newName);
            return;
        }
        String oldName = member.name();
        membersByName.remove(key(oldName));
        membersByName.put(key(newName), member);
        member.rename(newName);
        console.renamed(oldName, newName);
        broadcastLocked(Frame.of("* " + oldName + " is now " + newName), null);
    }

    private void replyLocked(Member member, String payload) {
        if (!member.outbox().offer(Frame.of(payload))) {
            dropSlowLocked(List.of(member));
        }
    }

    /** Removes a present member, closes its outbox after {@code lastWords}, and announces the leave. */
    private void removeLocked(Member member, String reason, Frame lastWords) {
        if (!forgetLocked(member)) {
            return;
        }
        if (lastWords != null) {
            member.outbox().offer(lastWords);
        }
        member.outbox().close();
        console.disconnected(member.name(), reason);
        if (notices) {
            broadcastLocked(Frame.of("* " + member.name() + " left"), null);
        }
    }

    /** Offers one frame, encoded once, to every member but {@code except}; drops whoever refuses it. */
    private void broadcastLocked(Frame frame, Member except) {
        dropSlowLocked(offerToAllLocked(frame, except));
    }

    /** Offers the same frame to every member but {@code except}; returns those that refused it. */
    private List<Member> offerToAllLocked(Frame frame, Member except) {
        List<Member> slow = new ArrayList<>(0);
        for (Member member : members.values()) {
            if (member != except && !member.outbox().offer(frame)) {
                slow.add(member);
            }
        }
        return slow;
    }

    /**
     * Drops slow members. Announcing a drop is itself a broadcast that may find more slow members,
     * so this works through a list rather than recursing: a cascade through thousands of members
     * must not overflow the stack.
     */
    private void dropSlowLocked(List<Member> initiallySlow) {
        List<Member> slow = initiallySlow;
        while (!slow.isEmpty()) {
            List<Member> dropped = new ArrayList<>();
            for (Member member : slow) {
                if (forgetLocked(member)) {
                    member.outbox().abort();
                    console.disconnected(member.name(), "too slow");
                    dropped.add(member);
                }
            }
            slow = new ArrayList<>(0);
            if (notices) {
                for (Member member : dropped) {
                    slow.addAll(offerToAllLocked(Frame.of("* " + member.name() + " left (too slow)"), null));
                }
            }
        }
    }

    /** Takes a member out of the room; false if it was already gone. */
    private boolean forgetLocked(Member member) {
        if (members.remove(member.id()) == null) {
            return false;
        }
        membersByName.remove(key(member.name()));
        member.markGone();
        return true;
    }

    private String nextGuestNameLocked() {
        String name;
        do {
            name = "guest-" + nextGuestNumber++;
        } while (membersByName.containsKey(key(name)));
        return name;
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
