package dev.socketchat.asyncchannels;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** The gate's two moves, each at the moment where a wrong order would lose a frame or start two writes. */
class WriteGateTest {

    @Test
    void ofThreadsThatOfferAtOnceExactlyOneBecomesTheWriter() throws Exception {
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            // 2,000 rounds of four threads released together by a barrier: contention on every round.
            for (int round = 0; round < 2_000; round++) {
                WriteGate gate = new WriteGate();
                CyclicBarrier together = new CyclicBarrier(threads);
                List<Future<Boolean>> started = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    started.add(pool.submit(() -> {
                        together.await();
                        return gate.tryStart();
                    }));
                }
                int writers = 0;
                for (Future<Boolean> one : started) {
                    writers += one.get() ? 1 : 0;
                }
                assertThat(writers).as("writers in round %d", round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFrameOfferedWhileAWriteIsInFlightIsLeftToTheWriter() {
        WriteGate gate = new WriteGate();
        assertThat(gate.tryStart()).isTrue();

        assertThat(gate.tryStart()).as("a second write would throw WritePendingException").isFalse();
        assertThat(gate.stopUnless(() -> true)).as("the writer takes the frame that was left").isTrue();
    }

    @Test
    void aFrameOfferedAsTheWriterStopsIsWrittenByExactlyOneOfThem() {
        WriteGate gate = new WriteGate();
        gate.tryStart();
        AtomicBoolean offererWrites = new AtomicBoolean();

        // The offer lands after the flag was cleared and before the writer looks again.
        boolean writerWritesOn = gate.stopUnless(() -> {
            offererWrites.set(gate.tryStart());
            return true;
        });

        assertThat(offererWrites).isTrue();
        assertThat(writerWritesOn).isFalse();
    }

    @Test
    void aWriterWithNothingMoreStopsAndTheNextOfferStartsAgain() {
        WriteGate gate = new WriteGate();
        gate.tryStart();

        assertThat(gate.stopUnless(() -> false)).isFalse();
        assertThat(gate.tryStart()).isTrue();
    }
}
