package dev.socketchat.contract;

import dev.socketchat.server.ServerOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * The contract suite: every behaviour of {@link Contract}, against every registered variant, each
 * on a fresh server in this JVM, over real sockets on a free loopback port.
 *
 * <p>Each test is named "{@code <variant>: <behaviour>}". A variant that cannot serve as many
 * clients at once as a behaviour needs skips it, and the report says why; {@link SkipSummary}
 * prints every skip per variant at the end of the run.
 */
@DisplayName("contract")
class ContractSuiteIT {

    private static final List<Variant> VARIANTS = Variant.all();

    @TestFactory
    @DisplayName("framing")
    Stream<DynamicTest> framing() {
        return everyVariant(Contract.FRAMING);
    }

    @TestFactory
    @DisplayName("the room")
    Stream<DynamicTest> room() {
        return everyVariant(Contract.ROOM);
    }

    @TestFactory
    @DisplayName("order")
    Stream<DynamicTest> order() {
        return everyVariant(Contract.ORDER);
    }

    @TestFactory
    @DisplayName("faults")
    Stream<DynamicTest> faults() {
        return everyVariant(Contract.FAULTS);
    }

    @TestFactory
    @DisplayName("slow consumer")
    Stream<DynamicTest> slowConsumer() {
        return everyVariant(Contract.SLOW_CONSUMER);
    }

    @TestFactory
    @DisplayName("limits")
    Stream<DynamicTest> limits() {
        return everyVariant(Contract.LIMITS);
    }

    @TestFactory
    @DisplayName("shutdown")
    Stream<DynamicTest> shutdown() {
        return everyVariant(Contract.SHUTDOWN);
    }

    @TestFactory
    @DisplayName("load")
    Stream<DynamicTest> load() {
        return everyVariant(Contract.LOAD);
    }

    /**
     * PROTOCOL.md §6 for a model's own limit, such as a full pool: the client it cannot serve is told
     * at once, never left waiting in a queue. A model whose only limit is max clients is covered by
     * {@link #limits()}.
     */
    @TestFactory
    @DisplayName("the model's own limit")
    Stream<DynamicTest> modelLimit() {
        String behaviour = "a client beyond the model's own limit gets !error server full at once";
        return VARIANTS.stream().map(variant -> dynamicTest(variant.name() + ": " + behaviour, () -> {
            ServerOptions options = variant.limitedTo(2, Contract.baseOptions());
            try (InProcessServer server = InProcessServer.start(variant.model(), options)) {
                LimitChecks.clientOverTheModelsLimitIsRefusedAtOnce(server);
            } catch (Exception | AssertionError e) {
                throw new AssertionError(variant.name() + ": " + behaviour + ": " + e.getMessage(), e);
            }
        }));
    }

    /** One test per behaviour and variant, behaviour by behaviour. */
    private static Stream<DynamicTest> everyVariant(List<Behaviour> behaviours) {
        return behaviours.stream().flatMap(behaviour -> VARIANTS.stream().map(variant ->
                dynamicTest(variant.name() + ": " + behaviour.name(), () -> run(variant, behaviour))));
    }

    private static void run(Variant variant, Behaviour behaviour) throws Exception {
        ServerOptions options = variant.fit(behaviour.options().apply(Contract.baseOptions()), behaviour.clients());
        try (InProcessServer server = InProcessServer.start(variant.model(), options)) {
            behaviour.check().run(server);
        } catch (Exception | AssertionError e) {
            // Reports show the method behind a dynamic test; the message says which test it was.
            throw new AssertionError(variant.name() + ": " + behaviour.name() + ": " + e.getMessage(), e);
        }
    }
}
