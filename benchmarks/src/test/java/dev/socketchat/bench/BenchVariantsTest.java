package dev.socketchat.bench;

import dev.socketchat.server.ServerModel;
import dev.socketchat.server.ServerModels;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the benchmarks measure: every working model, never one broken on purpose. */
class BenchVariantsTest {

    @Test
    void modelsBrokenOnPurposeAreRegisteredButNeverBenchmarked() {
        assertThat(ServerModels.brokenOnPurpose()).as("models broken on purpose on the class path").isNotEmpty();

        assertThat(BenchVariants.all()).extracting(ServerModel::name)
                .containsAll(ServerModels.all().stream().map(ServerModel::name).toList())
                .doesNotContainAnyElementsOf(ServerModels.brokenOnPurpose().stream().map(ServerModel::name).toList());
        assertThat(BenchVariants.named("naive-pool")).isEmpty();
    }

    @Test
    void multiReactorIsMeasuredAtOneAndTwoLoopsBesideItsDefault() {
        assertThat(BenchVariants.all()).extracting(ServerModel::name)
                .containsSubsequence("nio-selector", "multi-reactor", "multi-reactor-loops-1", "multi-reactor-loops-2");
    }

    @Test
    void nettyIsMeasuredBesideItsSharedBufferBroadcast() {
        assertThat(BenchVariants.experiments()).extracting(ServerModel::name).contains("netty-shared-duplicates");
        assertThat(BenchVariants.all()).extracting(ServerModel::name)
                .containsSubsequence("netty", "netty-shared-duplicates");
    }
}
