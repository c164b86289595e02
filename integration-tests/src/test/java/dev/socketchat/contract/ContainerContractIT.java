package dev.socketchat.contract;

import dev.socketchat.server.ServerOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * The core of the contract ({@link Contract#CORE}) against the packaged server in a container, for
 * every variant: the same checks as {@link ContractSuiteIT}, reaching the server through Docker's
 * port mapping instead of in-process loopback.
 *
 * <p>Without Docker the whole class is reported as skipped, not failed. See this module's README
 * for how to run it where Docker is available.
 */
@Testcontainers(disabledWithoutDocker = true)
@DisplayName("contract in a container")
class ContainerContractIT {

    @TestFactory
    @DisplayName("core")
    Stream<DynamicTest> coreOfTheContract() {
        // Models broken on purpose are held to their expected failures in process, by ContractSuiteIT.
        List<Variant> working = Variant.all().stream().filter(variant -> variant.hazard().isEmpty()).toList();
        return Contract.CORE.stream().flatMap(behaviour -> working.stream().map(variant ->
                dynamicTest(variant.name() + " (container): " + behaviour.name(), () -> run(variant, behaviour))));
    }

    private static void run(Variant variant, Behaviour behaviour) throws Exception {
        ServerOptions options = variant.fit(ContainerServer.defaultOptions(), behaviour.clients());
        try (ContainerServer server = ContainerServer.start(variant.model().name(), options)) {
            behaviour.check().run(server);
        } catch (Exception | AssertionError e) {
            throw new AssertionError(variant.name() + " (container): " + behaviour.name() + ": " + e.getMessage(), e);
        }
    }
}
