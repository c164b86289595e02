package dev.socketchat.bench;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ServerCostsTest {

    @Test
    void workIsDividedByTheMessagesOfTheSameWindow() {
        assertThat(ServerCosts.perMessage(600_000, 100_000)).hasValue(6.0);
        assertThat(ServerCosts.perMessage(12, 0)).as("no message, no ratio: never 0 or infinity").isEmpty();
    }

    @Test
    void aReadingIsMatchedWithTheMidpointOfTheMessageCountsAroundIt() {
        // The driver goes on counting while a source is read: 1,000 before, 1,040 after.
        AtomicLong messages = new AtomicLong(1_000);
        ServerCosts.Reading<String> reading = ServerCosts.Reading.between(() -> {
            messages.addAndGet(40);
            return "counters";
        }, messages::get);

        assertThat(reading.value()).isEqualTo("counters");
        assertThat(reading.messages()).isEqualTo(1_020.0);
    }

    @Test
    void aCountingCostRunCountsInsideTheServerInEveryOtherMeasuredIterationFromTheFirst() {
        assertThat(java.util.stream.IntStream.range(0, 4).mapToObj(i -> ServerCosts.countsInside(true, i)))
                .containsExactly(true, false, true, false);
        assertThat(java.util.stream.IntStream.range(0, 4).mapToObj(i -> ServerCosts.countsInside(false, i)))
                .containsOnly(true);
    }
}
