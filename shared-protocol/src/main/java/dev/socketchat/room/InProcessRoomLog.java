package dev.socketchat.room;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The room of one server: one lock puts every event in the one order, and hands it to the room at
 * once, on the caller's thread, while still holding the lock. Two events therefore never
 * interleave, which is all a total order needs inside one process (docs/architecture.md).
 */
final class InProcessRoomLog implements RoomLog {

    // Guards the names and the order of the events; held while the room delivers each one.
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Long, String> names = new LinkedHashMap<>();
    private final Map<String, Long> holders = new HashMap<>();
    private long nextGuestNumber = 1;
    private Consumer<RoomEvent> consumer;

    @Override
    public void start(Consumer<RoomEvent> consumer) {
        this.consumer = consumer;
    }

    @Override
    public void join(long member) {
        lock.lock();
        try {
            String name;
            do {
                name = "guest-" + nextGuestNumber++;
            } while (holders.containsKey(key(name)));
            names.put(member, name);
            holders.put(key(name), member);
            consumer.accept(RoomEvent.joined(member, name, names.size()));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void say(long member, String text) {
        lock.lock();
        try {
            String name = names.get(member);
            if (name != null) {
                consumer.accept(RoomEvent.said(member, name, text));
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean rename(long member, String newName) {
        lock.lock();
        try {
            Long holder = holders.get(key(newName));
            String oldName = names.get(member);
            if (holder != null && holder != member || oldName == null) {
                return oldName == null;
            }
            holders.remove(key(oldName));
            holders.put(key(newName), member);
            names.put(member, newName);
            consumer.accept(RoomEvent.renamed(member, oldName, newName));
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void leave(long member, String reason) {
        lock.lock();
        try {
            String name = names.remove(member);
            if (name != null) {
                holders.remove(key(name));
                consumer.accept(RoomEvent.left(member, name, reason));
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<String> names() {
        lock.lock();
        try {
            return List.copyOf(names.values());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            names.clear();
            holders.clear();
        } finally {
            lock.unlock();
        }
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
