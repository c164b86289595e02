package dev.socketchat.contract;

import dev.socketchat.server.ServerModel;

import java.util.Map;
import java.util.Set;

/**
 * The one list of what each model {@linkplain ServerModel#brokenOnPurpose() broken on purpose} is
 * expected to fail. The suite runs a broken model against the whole contract like any other and
 * holds it to this list both ways: a behaviour listed here must fail (or the contract no longer
 * catches the hazard), and every other behaviour must pass (or the model is broken in more ways than
 * it means to show). docs/lessons.md shows the same list as a table, with what a client sees.
 *
 * <p>A new behaviour that a broken model also fails is one more constant on that model's line; a
 * new broken model is one more line. {@code ExpectedFailuresTest} checks that every registered
 * broken model has a line and every line a registered broken model.
 */
final class ExpectedFailures {

    /** Model name to the behaviours it must fail. */
    static final Map<String, Set<Behaviour>> BY_MODEL = Map.of(
            // Lesson 03 fixes it: the client beyond the pool is queued, connected and unanswered.
            "naive-pool", Set.of(Contract.MODEL_LIMIT),
            // Lesson 02 fixes it: one client that stops reading holds the room's lock in a blocking write.
            "write-on-sender", Set.of(Contract.SLOW_CONSUMER_DROPPED, Contract.INTERRUPTED_STOP_WAITS_FOR_QUEUED_FRAMES));

    private ExpectedFailures() {
    }

    /** The behaviours {@code model} must fail: none for a model meant to work. */
    static Set<Behaviour> of(ServerModel model) {
        return BY_MODEL.getOrDefault(model.name(), Set.of());
    }
}
