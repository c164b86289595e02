package dev.socketchat.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class VisibleTextTest {

    @Test
    void leavesPrintableTextAloneAndReturnsTheSameInstance() {
        String text = "héllo wörld ✓ 日本語 🎉 [bob] * ^ \\";
        assertThat(VisibleText.of(text)).isSameAs(text);
        assertThat(VisibleText.isSafe(text)).isTrue();
    }

    @Test
    void aForgedConsoleLineStaysOnTheLineOfTheMessageThatCarriedIt() {
        String forged = VisibleText.of("hi\n[+] admin connected from 10.0.0.1\r\n");
        assertThat(forged).isEqualTo("hi^J[+] admin connected from 10.0.0.1^M^J").doesNotContain("\n", "\r");
    }

    @Test
    void escapeSequencesAreShownNotExecuted() {
        assertThat(VisibleText.of("\u001B[2J\u001B[H")).isEqualTo("^[[2J^[[H");
        assertThat(VisibleText.of("\u001B]52;c;aGk=\u0007")).isEqualTo("^[]52;c;aGk=^G");
        assertThat(VisibleText.of("\u001B]8;;http://x\u001B\\link")).isEqualTo("^[]8;;http://x^[\\link");
    }

    @ParameterizedTest
    @CsvSource({
            "0, ^@", "7, ^G", "8, ^H", "9, ^I", "27, ^[", "31, ^_", "127, ^?",
            "133, \\u0085", "155, \\u009b", "8238, \\u202e", "8294, \\u2066", "8297, \\u2069"})
    void everyControlCharacterHasAVisibleSpelling(int codePoint, String expected) {
        String text = "a" + (char) codePoint + "b";
        assertThat(VisibleText.isSafe(text)).isFalse();
        assertThat(VisibleText.of(text)).isEqualTo("a" + expected + "b");
    }

    @Test
    void noOutputEverHoldsAControlCharacter() {
        StringBuilder every = new StringBuilder();
        for (char c = 0; c < 0x3000; c++) {
            every.append(c);
        }
        assertThat(VisibleText.isSafe(VisibleText.of(every.toString()))).isTrue();
    }
}
