package dev.socketchat.bench;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class IterationStartTest {

    /** The driver delivers 5,000 messages while the window opens: none of them is the iteration's. */
    @Test
    void theIterationCountsFromAfterItsCostWindowOpened() {
        AtomicLong delivered = new AtomicLong(1_000);

        IterationStart start = IterationStart.open(() -> {
            delivered.addAndGet(5_000);
            return Optional.empty();
        }, delivered::get);

        assertThat(start.completed()).isEqualTo(6_000);
        assertThat(start.costs()).isEmpty();
    }
}
