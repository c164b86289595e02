package dev.socketchat.contract;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The one exemption from "no thread outlives its server" at the instant stop() returns is Netty's global executor. */
class LiveThreadsTest {

    @Test
    void onlyNettysGlobalExecutorRetiresOnItsOwn() {
        assertThat(LiveThreads.retiresOnItsOwn("globalEventExecutor-2-71")).isTrue();
        assertThat(LiveThreads.retiresOnItsOwn("netty-loop-1-1")).isFalse();
        assertThat(LiveThreads.retiresOnItsOwn("async-channels-3")).isFalse();
        assertThat(LiveThreads.retiresOnItsOwn("my globalEventExecutor-2-71")).as("a name that only contains it").isFalse();
    }
}
