package dev.socketchat.load;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ProcTest {

    @Test
    void readsTheTotalAndTheStolenTicksOfTheMachineLine() {
        Proc.MachineCpu times = Proc.parseMachineCpu("cpu  100 5 50 800 10 2 3 30 7 0");

        assertThat(times.steal()).isEqualTo(30);
        assertThat(times.total()).as("guest ticks are inside user already").isEqualTo(1000);
    }

    @Test
    void stolenShareIsTheStolenTicksOverAllTicksBetweenTwoReadings() {
        Proc.MachineCpu before = new Proc.MachineCpu(1_000, 30);
        Proc.MachineCpu after = new Proc.MachineCpu(1_400, 130);

        assertThat(after.stolenPercentSince(before)).isEqualTo(25.0);
        assertThat(before.stolenPercentSince(before)).isZero();
    }

    @Test
    void refusesAPerCpuLine() {
        assertThatIllegalArgumentException().isThrownBy(() -> Proc.parseMachineCpu("cpu0 1 2 3 4 5 6 7 8 9 10"));
    }

    @Test
    void readsResidentMemoryAndThreads() {
        Proc.Status status = Proc.parseStatus(List.of("Name:\tjava", "VmPeak:\t 9000 kB", "VmRSS:\t   48732 kB",
                "Threads:\t23", "SigQ:\t0/96365"));

        assertThat(status).isEqualTo(new Proc.Status(48_732, 23));
        assertThat(status.residentMiB()).isEqualTo(48_732 / 1024.0);
    }

    @Test
    void refusesAStatusWithoutTheLines() {
        assertThatIllegalArgumentException().isThrownBy(() -> Proc.parseStatus(List.of("Name:\tjava")));
    }

    @Test
    void cpuTimeIsUserPlusSystemCountedAfterTheCommandNameWhateverItHolds() {
        // Recorded from a JVM, with a command name that holds a space and a ')' as a thread may name itself.
        String stat = "4242 (Thread) 1 (x) S 4200 4242 4200 0 -1 4194560 25104 0 0 0 731 219 0 0 20 0 38 0 "
                + "2617049 4207099904 14226 18446744073709551615 1 1 0 0 0 0 4 0 16800975 0 0 0 17 1 0 0 0 0 0";

        assertThat(Proc.parseCpuTicks(stat)).isEqualTo(731 + 219);
        assertThat(Proc.parseState(stat)).as("the state, also after the last ')'").isEqualTo('S');
        assertThatIllegalArgumentException().isThrownBy(() -> Proc.parseState("4242 java S"));
    }

    @Test
    void readsTheCpuTimeAndThreadStatesOfThisProcess() throws Exception {
        long pid = ProcessHandle.current().pid();
        assertThat(Proc.cpuTime(pid)).isPositive();
        // This thread runs while it reads its own state; none is stopped by a signal.
        assertThat(Proc.threadStates(pid)).contains('R').doesNotContain('T');
    }

    @Test
    void contextSwitchesAreVoluntaryPlusInvoluntary() {
        assertThat(Proc.parseSwitches(List.of("Name:\tjava", "voluntary_ctxt_switches:\t1500",
                "nonvoluntary_ctxt_switches:\t42"))).isEqualTo(1542);
        assertThatIllegalArgumentException().isThrownBy(() -> Proc.parseSwitches(List.of("Name:\tjava")));
    }

    @Test
    void switchesAreSummedOverThreadsCountingANewThreadFromZeroAndNamingTheThreadsThatEnded() {
        Proc.Counters before = new Proc.Counters(100, OptionalLong.of(10), OptionalLong.of(5),
                Map.of(1L, 50L, 2L, 30L, 3L, 7L));
        // Thread 3 ended; thread 4 started.
        Proc.Counters after = new Proc.Counters(160, OptionalLong.of(310), OptionalLong.of(105),
                Map.of(1L, 55L, 2L, 130L, 4L, 20L));

        Proc.Delta delta = after.since(before);

        assertThat(delta.switches()).isEqualTo(5 + 100 + 20);
        assertThat(delta.threadsEnded()).isEqualTo(1);
        assertThat(delta.cpuTicks()).isEqualTo(60);
        assertThat(delta.cpuMicros()).isEqualTo(600_000.0);
        assertThat(delta.reads()).hasValue(300);
        assertThat(delta.writes()).hasValue(100);
    }

    @Test
    void readsAndWritesAreUnknownWhenEitherReadingLacksThem() {
        Proc.Counters before = new Proc.Counters(0, OptionalLong.empty(), OptionalLong.empty(), Map.of());
        Proc.Counters after = new Proc.Counters(1, OptionalLong.of(3), OptionalLong.of(4), Map.of());

        assertThat(after.since(before).reads()).isEmpty();
        assertThat(after.since(before).writes()).isEmpty();
    }

    @Test
    void readsThisProcess() throws Exception {
        long pid = ProcessHandle.current().pid();
        Proc.Status status = Proc.status(pid);
        Proc.Counters counters = Proc.counters(pid).orElseThrow();

        assertThat(status.residentKiB()).isPositive();
        assertThat(status.threads()).isGreaterThanOrEqualTo(1);
        assertThat(counters.switches()).as("one entry per thread").hasSizeGreaterThanOrEqualTo(status.threads() / 2);
        assertThat(counters.reads()).as("a JVM has read its class files").isPresent();
    }

    @Test
    void aProcessThatDoesNotExistHasNoCounters() {
        assertThat(Proc.counters(Long.MAX_VALUE)).isEmpty();
    }
}
