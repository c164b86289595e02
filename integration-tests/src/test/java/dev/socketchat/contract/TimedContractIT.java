package dev.socketchat.contract;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.stream.Stream;

import static dev.socketchat.contract.ContractSuiteIT.everyVariant;

/**
 * The rest of the contract suite: the behaviours held to a clock (timeouts, grace periods, a
 * shutdown under load) or that put load on the machine (a flood, 500 clients), run exactly as
 * {@link ContractSuiteIT} runs its own. A class of its own so that failsafe runs it in a second JVM
 * beside that one: most of both is waiting on sockets, and the two together take half the time.
 * It never runs beside {@link ExhaustionIT} ({@link MachineLock}). Its tests' names and reports
 * read as the rest of the contract's.
 */
@DisplayName("contract: limits, attacks, fair share, shutdown, load")
class TimedContractIT {

    /** These checks hold servers to a clock: not while ExhaustionIT floods one in the other JVM. */
    @BeforeAll
    static void takeTheMachine() throws IOException {
        MachineLock.acquire();
    }

    /** Every server has stopped: the threads a library keeps for the whole JVM must now retire too. */
    @AfterAll
    static void librariesThreadsRetire() throws IOException {
        try {
            InProcessServer.awaitRetirees();
        } finally {
            MachineLock.release();
        }
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
