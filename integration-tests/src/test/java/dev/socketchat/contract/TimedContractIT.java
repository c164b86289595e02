package dev.socketchat.contract;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static dev.socketchat.contract.ContractSuiteIT.everyVariant;

/**
 * The rest of the contract suite: the behaviours held to a clock (timeouts, grace periods, a
 * shutdown under load) or that put load on the machine (a flood, 500 clients), run exactly as
 * {@link ContractSuiteIT} runs its own. A class of its own so that failsafe runs it in a second JVM
 * beside that one: most of both is waiting on sockets, and the two together take half the time.
 * The checks with a tight clock or a heavy load take the machine to themselves one at a time
 * ({@link Behaviour#runAlone()}, {@link MachineLock}); the rest, timeouts with wide margins, run beside
 * anything. Its tests' names and reports read as the rest of the contract's.
 */
@DisplayName("contract: limits, attacks, fair share, shutdown, load")
class TimedContractIT {

    /** Every server has stopped: the threads a library keeps for the whole JVM must now retire too. */
    @AfterAll
    static void librariesThreadsRetire() {
        InProcessServer.awaitRetirees();
    }

    @TestFactory
    @DisplayName("limits")
    Stream<DynamicTest> limits() {
        return everyVariant(Contract.LIMITS);
    }

    @TestFactory
    @DisplayName("attacks")
    Stream<DynamicTest> attacks() {
        return everyVariant(Contract.ATTACKS);
    }

    @TestFactory
    @DisplayName("fair share")
    Stream<DynamicTest> fairShare() {
        return everyVariant(Contract.FAIR_SHARE);
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
}
