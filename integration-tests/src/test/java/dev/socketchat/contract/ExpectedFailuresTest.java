package dev.socketchat.contract;

import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerModels;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The list of expected failures stays in step with the models broken on purpose. */
class ExpectedFailuresTest {

    @Test
    void everyModelBrokenOnPurposeListsWhatItFailsAndNoWorkingModelIsListed() {
        List<String> broken = ServerModels.brokenOnPurpose().stream().map(ServerModel::name).toList();

        assertThat(broken).as("models broken on purpose").isNotEmpty();
        assertThat(ExpectedFailures.BY_MODEL.keySet()).containsExactlyInAnyOrderElementsOf(broken);
        ExpectedFailures.BY_MODEL.forEach((model, behaviours) ->
                assertThat(behaviours).as("what %s must fail", model).isNotEmpty());
    }

    @Test
    void aBrokenModelIsNeitherListedByDefaultNorAmongTheModelsMeantToWork() {
        assertThat(ServerModels.all()).extracting(ServerModel::name)
                .doesNotContainAnyElementsOf(ExpectedFailures.BY_MODEL.keySet());
        assertThat(ServerModels.named("naive-pool")).as("found by name, to be run").isPresent();
    }
}
