package dev.socketchat.cli;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the client knows of the room from the frames it has seen: its own current name, for the
 * prompt, and who else is there, for completing names. It learns names from the welcome, from
 * join, leave and rename notices, from {@code !who} replies and from whoever speaks; nothing is
 * asked of the server for it.
 *
 * <p>The receiving thread updates it while the line editor reads it on the keyboard thread: the
 * name is volatile and the members a concurrent set, so each read sees a whole, recent state.
 */
final class RoomView {

    private static final String NAME = "([A-Za-z0-9_-]{1,32})";
    private static final Pattern VALID_NAME = Pattern.compile(NAME);
    private static final Pattern WELCOME = Pattern.compile("\\* welcome " + NAME + " \\(.*");
    private static final Pattern JOINED = Pattern.compile("\\* " + NAME + " joined");
    private static final Pattern LEFT = Pattern.compile("\\* " + NAME + " left( .*)?");
    private static final Pattern RENAMED = Pattern.compile("\\* " + NAME + " is now " + NAME);
    private static final Pattern SPOKE = Pattern.compile("\\[" + NAME + "] .*", Pattern.DOTALL);

    private volatile String me;
    // Names are unique ignoring case, so the set is too.
    private final Set<String> members = new ConcurrentSkipListSet<>(String.CASE_INSENSITIVE_ORDER);

    /** Our current name; null until the welcome. */
    String me() {
        return me;
    }

    /** Everyone known to be in the room, ourselves included, in alphabetical order. */
    List<String> members() {
        return List.copyOf(members);
    }

    /**
     * Learns what {@code payload} says about the room.
     *
     * @return whether our own name changed
     */
    boolean learn(String payload) {
        Matcher m;
        if ((m = WELCOME.matcher(payload)).matches()) {
            me = m.group(1);
            members.add(me);
            return true;
        }
        if ((m = RENAMED.matcher(payload)).matches()) {
            members.remove(m.group(1));
            members.add(m.group(2));
            if (m.group(1).equalsIgnoreCase(me)) {
                me = m.group(2);
                return true;
            }
        } else if ((m = JOINED.matcher(payload)).matches() || (m = SPOKE.matcher(payload)).matches()) {
            members.add(m.group(1));
        } else if ((m = LEFT.matcher(payload)).matches()) {
            members.remove(m.group(1));
        } else if (payload.startsWith("!who ")) {
            members.clear();
            for (String name : payload.substring("!who ".length()).split(",")) {
                if (VALID_NAME.matcher(name).matches()) {
                    members.add(name);
                }
            }
        }
        return false;
    }
}
