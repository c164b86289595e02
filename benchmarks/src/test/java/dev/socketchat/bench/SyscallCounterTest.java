package dev.socketchat.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SyscallCounterTest {

    @Test
    void readsPerfStatCsvIntoCallsByNameWithTheTotalAsAll() {
        // Recorded with perf 6.1: perf stat -x, -e raw_syscalls:sys_enter,syscalls:sys_enter_read,... -p PID
        List<String> output = List.of("# started on Mon Dec  7 15:14:24 2026", "",
                "6174,,raw_syscalls:sys_enter,113987078,100.00,,",
                "210,,syscalls:sys_enter_read,113987078,100.00,,",
                "0,,syscalls:sys_enter_futex,113987078,100.00,,");

        assertThat(SyscallCounter.parse(output)).hasValue(Map.of("all", 6174L, "read", 210L, "futex", 0L));
    }

    @Test
    void aCounterPerfCouldNotRunVoidsTheWholeCount() {
        List<String> output = List.of("<not counted>,,raw_syscalls:sys_enter,0,0.00,,",
                "210,,syscalls:sys_enter_read,113987078,100.00,,");

        assertThat(SyscallCounter.parse(output)).isEmpty();
    }

    @Test
    void withoutTheTotalThereIsNoCount() {
        assertThat(SyscallCounter.parse(List.of("210,,syscalls:sys_enter_read,113987078,100.00,,"))).isEmpty();
        assertThat(SyscallCounter.parse(List.of())).isEmpty();
    }

    @Test
    void countsTheTotalAndTheKindsThisKernelHas() {
        String dump = "raw_syscalls:sys_enter raw_syscalls:sys_exit syscalls:sys_enter_read syscalls:sys_enter_read "
                + "syscalls:sys_enter_futex syscalls:sys_exit_futex syscalls:sys_enter_epoll_pwait sched:sched_switch";

        assertThat(SyscallCounter.eventsIn(dump)).hasValue(List.of("raw_syscalls:sys_enter",
                "syscalls:sys_enter_read", "syscalls:sys_enter_futex", "syscalls:sys_enter_epoll_pwait"));
        assertThat(SyscallCounter.eventsIn("sched:sched_switch")).as("no system call tracepoints").isEmpty();
    }

    @Test
    void countsTheServersCpusWhereItHasCpusOfItsOwnAndElseItsThreads() {
        assertThat(SyscallCounter.target(4242, "1")).containsExactly("-a", "-C", "1");
        assertThat(SyscallCounter.target(4242, "1-7")).containsExactly("-a", "-C", "1-7");
        assertThat(SyscallCounter.target(4242, "")).containsExactly("-p", "4242");
    }

    @Test
    void countsTheCallsOfALiveProcessWherePerfIsInstalled() throws Exception {
        assumeTrue(SyscallCounter.available(), "perf is not installed here, or may not count system calls");
        try (SyscallCounter counter = SyscallCounter.attach(ProcessHandle.current().pid()).orElseThrow()) {
            for (int i = 0; i < 1_000; i++) {
                Files.readAllBytes(Path.of("/proc/self/stat"));
            }
            var calls = counter.stop().orElseThrow();

            assertThat(calls.get("read")).as("each file read takes a read call or more").isGreaterThanOrEqualTo(1_000);
            assertThat(calls.get("all")).isGreaterThan(calls.get("read"));
        }
    }
}
