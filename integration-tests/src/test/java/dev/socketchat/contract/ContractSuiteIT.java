package dev.socketchat.contract;

import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * The contract suite: every behaviour of {@link Contract}, against every registered variant, each
 * on a fresh server in this JVM, over real sockets on a free loopback port. The behaviours that wait
 * for a server's timer are in {@link TimeoutContractIT}, those held to a tight clock or that load the
 * machine in {@link TimedContractIT}; failsafe runs each in a JVM of its own beside this one.
 *
 * <p>Each test is named "{@code <variant>: <behaviour>}". A variant that cannot serve as many
 * clients at once as a behaviour needs skips it, and the report says why; {@link SkipSummary}
 * prints every skip per variant at the end of the run.
 */
@DisplayName("contract")
class ContractSuiteIT {

    /** Every server has stopped: the threads a library keeps for the whole JVM must now retire too. */
    @AfterAll
    static void librariesThreadsRetire() {
        InProcessServer.awaitRetirees();
    }

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

    /**
     * {@link Contract#MODEL_LIMIT}, with the model's own limit set to exactly the clients the check
     * keeps connected. A model whose only limit is max clients is covered by {@link #limits()}.
     */
    @TestFactory
    @DisplayName("the model's own limit")
    Stream<DynamicTest> modelLimit() {
        Behaviour behaviour = Contract.MODEL_LIMIT;
        return Variant.all().stream().map(variant -> dynamicTest(testName(variant, behaviour),
                () -> run(variant, behaviour, variant.limitedTo(behaviour.clients(), Contract.baseOptions()))));
    }

    /**
     * docs/protocol.md §9: the console shows every relayed message, and nothing a client sends can forge
     * a line of the server's own or act on the operator's terminal.
     */
    @TestFactory
    @DisplayName("console")
    Stream<DynamicTest> console() {
        String behaviour = "the console prints each relayed message as one line, control characters visible";
        return Variant.all().stream().map(variant -> dynamicTest(variant.name() + ": " + behaviour, () -> {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            ServerConsole console = new ServerConsole(new PrintStream(printed, true, StandardCharsets.UTF_8), false);
            try (InProcessServer server = InProcessServer.start(variant.model(),
                    Contract.baseOptions().withQuiet(false), console)) {
                ConsoleChecks.clientsCannotWriteToTheConsole(server, () -> printed.toString(StandardCharsets.UTF_8));
            } catch (Exception | AssertionError e) {
                throw new AssertionError(variant.name() + ": " + behaviour + ": " + e.getMessage(), e);
            }
        }));
    }

    /** One test per behaviour and variant, behaviour by behaviour. */
    static Stream<DynamicTest> everyVariant(List<Behaviour> behaviours) {
        // Read when the tests are made, not when the class loads: ./chat test runs one model per launch.
        List<Variant> variants = Variant.all();
        return behaviours.stream().flatMap(behaviour -> variants.stream().map(variant ->
                dynamicTest(testName(variant, behaviour), () -> run(variant, behaviour,
                        variant.fit(behaviour.options().apply(Contract.baseOptions()), behaviour.clients())))));
    }

    /** "{@code <variant>: <behaviour>}", marked where a model broken on purpose is expected to fail it. */
    static String testName(Variant variant, Behaviour behaviour) {
        return variant.name() + ": " + behaviour.name()
                + (variant.isExpectedToFail(behaviour) ? " (fails, as it should)" : "");
    }

    /**
     * Runs one check on a fresh server. A behaviour that the variant is {@linkplain ExpectedFailures
     * expected to fail} must fail: passing it means the contract no longer catches that hazard. The
     * threads are checked after every test all the same, when the server is closed. A behaviour that
     * needs the machine {@linkplain Behaviour#runAlone() to itself} waits for the {@link MachineLock}.
     */
    static void run(Variant variant, Behaviour behaviour, ServerOptions options) throws Exception {
        if (behaviour.alone()) {
            MachineLock.holding(() -> runOnAFreshServer(variant, behaviour, options));
        } else {
            runOnAFreshServer(variant, behaviour, options);
        }
    }

    private static void runOnAFreshServer(Variant variant, Behaviour behaviour, ServerOptions options) throws Exception {
        boolean expectedToFail = variant.isExpectedToFail(behaviour);
        boolean failed = false;
        try (InProcessServer server = InProcessServer.start(variant.model(), options)) {
            try {
                if (expectedToFail) {
                    TestClient.withPatience(TestClient.WAIT_FOR_EXPECTED_FAILURE, behaviour.check(), server);
                } else {
                    behaviour.check().run(server);
                }
            } catch (Exception | AssertionError e) {
                if (!expectedToFail) {
                    throw e;
                }
                failed = true;
            }
        } catch (Exception | AssertionError e) {
            // Reports show the method behind a dynamic test; the message says which test it was.
            throw new AssertionError(variant.name() + ": " + behaviour.name() + ": " + e.getMessage(), e);
        }
        if (expectedToFail && !failed) {
            throw new AssertionError(variant.name() + " is broken on purpose (" + variant.hazard()
                    + ") and should fail \"" + behaviour.name() + "\", but passed it: the contract no longer shows"
                    + " the hazard. Make the check catch it again, or change ExpectedFailures if the model changed.");
        }
    }
}
