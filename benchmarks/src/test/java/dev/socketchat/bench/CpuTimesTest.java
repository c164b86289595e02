package dev.socketchat.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CpuTimesTest {

    @Test
    void readsTheTotalAndTheStolenTicksOfTheMachineLine() {
        CpuTimes times = CpuTimes.parse("cpu  100 5 50 800 10 2 3 30 7 0");

        assertThat(times.steal()).isEqualTo(30);
        assertThat(times.total()).as("guest ticks are inside user already").isEqualTo(1000);
    }

    @Test
    void stolenShareIsTheStolenTicksOverAllTicksBetweenTwoReadings() {
        CpuTimes before = new CpuTimes(1_000, 30);
        CpuTimes after = new CpuTimes(1_400, 130);

        assertThat(after.stolenPercentSince(before)).isEqualTo(25.0);
        assertThat(before.stolenPercentSince(before)).isZero();
    }

    @Test
    void refusesAPerCpuLine() {
        assertThatThrownBy(() -> CpuTimes.parse("cpu0 1 2 3 4 5 6 7 8 9 10"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
