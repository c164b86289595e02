package dev.socketchat.server;

/**
 * Deadlines as the event-driven lessons keep them: {@code long} nanoseconds on a clock of their own
 * that starts at zero with the server or the loop, so that times are small positive numbers and a
 * deadline is a plain comparison, with no {@code Instant} to allocate on every read.
 */
public final class Deadlines {

    /**
     * The deadline of something that has none, later than any time of such a clock; as a start time
     * (of a frame, of a leave), "not begun".
     */
    public static final long NEVER = Long.MAX_VALUE;

    private Deadlines() {
    }
}
