package dev.socketchat.cli;

import dev.socketchat.load.Proc;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The costs line of {@code --stats}: rates over the interval and figures per relayed message. */
class ServerStatsTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void costsAreRatesOverTheIntervalAndPerMessage() {
        // Over 2 s: 60 ticks of CPU (0.6 s: 30% of a core), 200 switches over two threads, one of them
        // new, 400 reads, 200 writes, 4 MiB allocated, 200 messages relayed.
        ServerStats.Sample earlier = new ServerStats.Sample(5 * SECOND,
                Optional.of(new Proc.Counters(100, OptionalLong.of(10), OptionalLong.of(5), Map.of(1L, 10L))),
                OptionalLong.of(1_000), 50);
        ServerStats.Sample later = new ServerStats.Sample(7 * SECOND,
                Optional.of(new Proc.Counters(160, OptionalLong.of(410), OptionalLong.of(205), Map.of(1L, 110L, 2L, 100L))),
                OptionalLong.of(1_000 + (4 << 20)), 250);

        assertThat(ServerStats.costs(earlier, later)).isEqualTo("[costs] cpu 30%  switches 100/s  reads 200/s  writes 100/s  "
                + "alloc 2.0 MiB/s  messages 100/s  per message: cpu 3,000.0 µs  switches 1.00  reads 2.00  writes 1.00  alloc 20,972 B");
    }

    @Test
    void aFigureThatCannotBeCountedIsNotApplicableNotZero() {
        // Off Linux: no /proc; the allocation count is the JVM's and still there.
        ServerStats.Sample earlier = new ServerStats.Sample(0, Optional.empty(), OptionalLong.of(0), 0);
        ServerStats.Sample later = new ServerStats.Sample(SECOND, Optional.empty(), OptionalLong.of(1 << 20), 10);

        assertThat(ServerStats.costs(earlier, later)).isEqualTo("[costs] cpu n/a  switches n/a/s  reads n/a/s  writes n/a/s  "
                + "alloc 1.0 MiB/s  messages 10/s  per message: cpu n/a µs  switches n/a  reads n/a  writes n/a  alloc 104,858 B");
    }

    @Test
    void withoutMessagesThereIsNoCostPerMessage() {
        Proc.Counters counters = new Proc.Counters(7, OptionalLong.of(1), OptionalLong.of(1), Map.of());
        ServerStats.Sample earlier = new ServerStats.Sample(0, Optional.of(counters), OptionalLong.of(0), 3);
        ServerStats.Sample later = new ServerStats.Sample(SECOND, Optional.of(counters), OptionalLong.of(0), 3);

        assertThat(ServerStats.costs(earlier, later)).endsWith("messages 0/s  per message: – (no message)");
    }
}
