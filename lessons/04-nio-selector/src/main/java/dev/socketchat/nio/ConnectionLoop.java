package dev.socketchat.nio;

/**
 * What a {@link ChannelConnection} needs from the event loop that owns it: the turn's time, a sweep
 * of deadlines, a way onto the loop's thread, a write at the end of the turn, and to be forgotten
 * once closed, and nothing else: the connection's code shows what it asks of the {@link SelectorLoop}
 * without the loop's own workings.
 *
 * <p>Every method but {@link #onLoop} is called on the loop's thread only.
 */
interface ConnectionLoop {

    /** The time of the current turn, in the loop's clock (nanoseconds, small and positive). */
    long now();

    /** Makes sure the loop looks at its connections' deadlines no later than {@code deadline}. */
    void scheduleSweep(long deadline);

    /**
     * Runs {@code callback} now if called on the loop's thread, or else on the loop's thread soon.
     * Called from any thread, the room's lock possibly held: it must never block.
     */
    void onLoop(Runnable callback);

    /** Has {@code connection} write what it has queued at the end of this turn. */
    void queueFlush(ChannelConnection connection);

    /** {@code connection} closed: the loop forgets it. */
    void forget(ChannelConnection connection);
}
