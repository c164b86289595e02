package dev.socketchat.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ProcStatusTest {

    @Test
    void readsResidentMemoryAndThreads() {
        ProcStatus status = ProcStatus.parse(List.of("Name:\tjava", "VmPeak:\t 9000 kB", "VmRSS:\t   48732 kB",
                "Threads:\t23", "SigQ:\t0/96365"));

        assertThat(status).isEqualTo(new ProcStatus(48_732, 23));
        assertThat(status.residentMiB()).isEqualTo(48_732 / 1024.0);
    }

    @Test
    void readsThisProcess() throws Exception {
        ProcStatus status = ProcStatus.of(ProcessHandle.current().pid());

        assertThat(status.residentKiB()).isPositive();
        assertThat(status.threads()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void refusesAStatusWithoutTheLines() {
        assertThatIllegalArgumentException().isThrownBy(() -> ProcStatus.parse(List.of("Name:\tjava")));
    }
}
