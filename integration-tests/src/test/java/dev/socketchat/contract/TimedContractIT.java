package dev.socketchat.contract;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static dev.socketchat.contract.ContractSuiteIT.everyVariant;

/**
 * The behaviours held to a tight clock (grace periods, a shutdown under load) or that put load on
 * the machine (a flood of refused clients, 10,000 connections, 500 clients), run exactly as
 * {@link ContractSuiteIT} runs its own. Most of them take the machine to themselves one check at a
 * time ({@link Behaviour#runAlone()}, {@link MachineLock}). A class of its own, as
 * {@link TimeoutContractIT} is, so that failsafe runs each in a JVM of its own beside the others:
 * one class runs its checks one after another, and most of every check is waiting. Its tests' names
 * and reports read as the rest of the contract's.
 */
@DisplayName("contract: attacks, fair share, shutdown, load")
class TimedContractIT {

    /** Every server has stopped: the threads a library keeps for the whole JVM must now retire too. */
    @AfterAll
    static void librariesThreadsRetire() {
        InProcessServer.awaitRetirees();
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
