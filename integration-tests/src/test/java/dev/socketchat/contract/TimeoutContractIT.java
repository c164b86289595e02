package dev.socketchat.contract;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static dev.socketchat.contract.ContractSuiteIT.everyVariant;

/**
 * The behaviours that wait for a server's timer: the frame and idle timeouts, keepalives, and max
 * clients, run exactly as {@link ContractSuiteIT} runs its own.
 * Nearly all of their time is waiting, with margins that a loaded machine does not eat, so none of
 * them takes the {@link MachineLock}. A class of its own so that failsafe runs it in a JVM of its own
 * beside {@link TimedContractIT}: each class runs its checks one after another. Its tests' names and
 * reports read as the rest of the contract's.
 */
@DisplayName("contract: limits")
class TimeoutContractIT {

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
}
