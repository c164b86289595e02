package dev.socketchat.protocol;

import java.util.random.RandomGenerator;

/**
 * Random strings that mix one-, two-, three- and four-byte UTF-8 characters (the last as surrogate
 * pairs in Java), so that chunk boundaries fall inside multi-byte sequences.
 */
final class RandomText {

    private static final int[] SAMPLES = {
        'a', 'Z', '0', ' ', '!', '[', '\n', 0x00,       // one byte, NUL and a line feed included
        0xE9, 0x3A9, 0x5D0, 0x7FF,                      // two bytes: é Ω א and the last two-byte code point
        0x20AC, 0x4E2D, 0xFFFD, 0x800,                  // three bytes: € 中 the replacement character, the first three-byte one
        0x1F600, 0x1D11E, 0x10348, 0x10FFFF,            // four bytes: 😀 𝄞 𐍈 and the last code point
    };

    private RandomText() {
    }

    static String of(RandomGenerator random, int maxCodePoints) {
        int count = random.nextInt(maxCodePoints + 1);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.appendCodePoint(SAMPLES[random.nextInt(SAMPLES.length)]);
        }
        return text.toString();
    }
}
