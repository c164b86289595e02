package dev.socketchat.asyncchannels;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Who may start the next write on one connection. {@link java.nio.channels.AsynchronousSocketChannel}
 * allows one write in flight and throws {@link java.nio.channels.WritePendingException} at a second
 * one, but frames reach a connection's outbox from any thread at any time. This flag, without a
 * lock, makes exactly one thread the writer until the outbox is empty:
 *
 * <pre>
 *  a frame reaches an empty outbox ─► tryStart() ─ true ─► this thread starts the write chain
 *                                                 └ false ─► a write is in flight; its handler takes the frame
 *  the write chain finds the outbox empty ─► stopUnless(more) ─ true ─► it goes on writing
 *                                                              └ false ─► done; the next tryStart() wins
 * </pre>
 *
 * <p>Stopping clears the flag and only then looks at the outbox again. A frame offered just before
 * the flag was cleared found it set and left itself to the writer, which must not walk away from it;
 * a frame offered just after found it clear and made its own thread the writer. Looking first and
 * clearing second would lose the frame that comes in between, until the next one arrived.
 */
final class WriteGate {

    private final AtomicBoolean writing = new AtomicBoolean();

    /** Makes the caller the writer if nobody is; false if a write is in flight or about to be. */
    boolean tryStart() {
        return writing.compareAndSet(false, true);
    }

    /**
     * The writer found nothing more to write: it stops, unless more came meanwhile and nobody else
     * has become the writer since.
     *
     * @param moreCame whether the outbox has something again (frames, or a close)
     * @return whether the caller is still the writer and must write on
     */
    boolean stopUnless(BooleanSupplier moreCame) {
        writing.set(false);
        return moreCame.getAsBoolean() && writing.compareAndSet(false, true);
    }
}
