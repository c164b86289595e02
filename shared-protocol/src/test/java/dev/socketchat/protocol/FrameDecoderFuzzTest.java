package dev.socketchat.protocol;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Feeds the decoder many thousands of mutated streams, valid and invalid, and checks the properties
 * that every other test only samples: the decoder returns frames or throws one of its own
 * {@link ProtocolException}s, never anything else; it never consumes part of a frame (checked on
 * every call by {@link ReadLoop}); and how the bytes are chunked changes nothing. The blocking
 * {@link FrameReader} must agree with it on every input.
 *
 * <p>Deterministic: a fixed seed, so a failure names the iteration and input that reproduce it.
 * (Jazzer's coverage-guided {@code @FuzzTest} was tried first; on JDK 25 it loads its agent
 * dynamically and prints JVM warnings in every build, so this project uses seeded mutation instead.)
 */
class FrameDecoderFuzzTest {

    private static final long SEED = 0x5EED_C4A7L;
    private static final int ITERATIONS = 20_000;

    /** Header contents that sit on the edges of the grammar. */
    private static final String[] HEADER_TOKENS = {
        "0", "00", "5", "  5", "-1", "+5", "1 2", "5\t", "\u0000", "", "x", "1e3", "0x10",
        "9".repeat(64), "0".repeat(64), "2147483647", "2147483648", "4294967301", "18446744073709551621",
    };

    /** Byte sequences that are not valid UTF-8, or sit on its edges. */
    private static final byte[][] UTF8_TOKENS = {
        {(byte) 0xFF}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xE0, (byte) 0x80, (byte) 0x80},
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0x80},
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xF4, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF},
        {(byte) 0xEF, (byte) 0xBF, (byte) 0xBF}, {0},
    };

    /** What decoding a whole input gives: the payloads, then a fault or the bytes of an unfinished frame. */
    private record Outcome(List<String> payloads, Class<?> fault, String reason, int leftover) {
    }

    @Test
    void decoderOnlyReturnsFramesOrThrowsItsOwnFaultsWhateverTheInputAndChunking() {
        SplittableRandom random = new SplittableRandom(SEED);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            int maxPayload = random.nextInt(8) == 0 ? 1_048_576 : random.nextInt(0, 200);
            byte[] input = random.nextInt(10) == 0 ? randomBytes(random) : mutatedStream(random, maxPayload);
            String context = "iteration " + iteration + ", maxPayload " + maxPayload + ", input: " + WireBytes.hex(input);
            try {
                Outcome whole = decodeInChunks(input, maxPayload, random, input.length);
                assertThat(decodeInChunks(input, maxPayload, random, 1 + random.nextInt(1, 100)))
                        .as("chunked decoding").isEqualTo(whole);
                assertThat(decodeInChunks(input, maxPayload, random, 1)).as("byte by byte decoding").isEqualTo(whole);
                assertReaderAgrees(input, maxPayload, random, whole);
                String kind = whole.fault() != null ? whole.fault().getSimpleName()
                        : whole.leftover() > 0 ? "unfinished frame" : "clean";
                outcomes.merge(kind, 1, Integer::sum);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(context, e);
            }
        }
        // The generator must reach every outcome often, or the property above proves little.
        assertThat(outcomes).as("outcomes").containsOnlyKeys("clean", "unfinished frame",
                "MalformedHeaderException", "PayloadTooLargeException", "MalformedPayloadException");
        assertThat(outcomes.values()).as("inputs per outcome: " + outcomes).allSatisfy(
                count -> assertThat(count).isGreaterThan(ITERATIONS / 50));
    }

    /** Decodes through a {@link ReadLoop} in chunks of up to {@code maxChunk} bytes. */
    private static Outcome decodeInChunks(byte[] input, int maxPayload, SplittableRandom random, int maxChunk) {
        ReadLoop loop = new ReadLoop(new FrameDecoder(maxPayload));
        try {
            for (int offset = 0; offset < input.length; ) {
                int chunk = Math.min(input.length - offset, random.nextInt(1, maxChunk + 1));
                loop.feed(Arrays.copyOfRange(input, offset, offset + chunk));
                offset += chunk;
            }
            return new Outcome(loop.payloads(), null, null, loop.pending());
        } catch (ProtocolException e) {
            return new Outcome(loop.payloads(), e.getClass(), e.reason(), 0);
        }
    }

    /** The blocking reader sees the same frames and the same fault; an unfinished frame is a truncation. */
    private static void assertReaderAgrees(byte[] input, int maxPayload, SplittableRandom random, Outcome expected) {
        FrameReader reader = new FrameReader(new ChunkedInputStream(input, random, 1 + random.nextInt(80)),
                maxPayload);
        List<String> payloads = new ArrayList<>();
        Class<?> fault = null;
        String reason = null;
        try {
            for (String payload = reader.read(); payload != null; payload = reader.read()) {
                payloads.add(payload);
            }
        } catch (ProtocolException e) {
            fault = e.getClass();
            reason = e.reason();
        } catch (IOException e) {
            throw new AssertionError("an in-memory stream cannot fail", e);
        }
        assertThat(payloads).as("payloads read").isEqualTo(expected.payloads());
        if (expected.fault() != null) {
            assertThat(fault).as("fault read").isEqualTo(expected.fault());
            assertThat(reason).as("reason read").isEqualTo(expected.reason());
        } else if (expected.leftover() > 0) {
            assertThat(fault).as("fault read").isEqualTo(TruncatedFrameException.class);
        } else {
            assertThat(fault).as("fault read").isNull();
        }
    }

    private static byte[] randomBytes(SplittableRandom random) {
        byte[] bytes = new byte[random.nextInt(0, 300)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** A few valid frames, then up to four mutations; the frame starts are kept to aim some of them at headers. */
    private static byte[] mutatedStream(SplittableRandom random, int maxPayload) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        List<Integer> frameStarts = new ArrayList<>();
        int frames = random.nextInt(0, 6);
        for (int i = 0; i < frames; i++) {
            frameStarts.add(wire.size());
            String text = RandomText.of(random, Math.min(40, maxPayload / 4 + 1));
            wire.writeBytes(WireBytes.frame(text));
        }
        byte[] bytes = wire.toByteArray();
        int mutations = random.nextInt(0, 5);
        for (int i = 0; i < mutations; i++) {
            bytes = mutate(bytes, frameStarts, random);
        }
        return bytes;
    }

    private static byte[] mutate(byte[] bytes, List<Integer> frameStarts, SplittableRandom random) {
        int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
        return switch (random.nextInt(7)) {
            case 0 -> { // overwrite one byte
                if (bytes.length > 0) {
                    bytes[at] = (byte) random.nextInt(256);
                }
                yield bytes;
            }
            case 1 -> splice(bytes, at, at, randomBytesUpTo(random, 8));                  // insert
            case 2 -> splice(bytes, at, Math.min(bytes.length, at + random.nextInt(1, 70)), new byte[0]); // delete
            case 3 -> Arrays.copyOf(bytes, at);                                             // truncate
            case 4 -> { // rewrite a header with an edge case of the grammar
                int start = frameStarts.isEmpty() ? bytes.length : frameStarts.get(random.nextInt(frameStarts.size()));
                if (start >= bytes.length) {
                    yield bytes; // earlier mutations moved or cut this frame away
                }
                byte[] header = WireBytes.header(HEADER_TOKENS[random.nextInt(HEADER_TOKENS.length)]
                        .getBytes(StandardCharsets.ISO_8859_1));
                yield splice(bytes, start, Math.min(bytes.length, start + FrameHeader.LENGTH), header);
            }
            case 5 -> { // overwrite payload bytes with a UTF-8 edge case, keeping the length
                byte[] token = UTF8_TOKENS[random.nextInt(UTF8_TOKENS.length)];
                for (int i = 0; i < token.length && at + i < bytes.length; i++) {
                    bytes[at + i] = token[i];
                }
                yield bytes;
            }
            default -> { // duplicate a stretch, as a confused writer might
                int end = Math.min(bytes.length, at + random.nextInt(1, 100));
                yield splice(bytes, end, end, Arrays.copyOfRange(bytes, at, end));
            }
        };
    }

    private static byte[] randomBytesUpTo(SplittableRandom random, int max) {
        byte[] bytes = new byte[random.nextInt(1, max + 1)];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] splice(byte[] bytes, int from, int to, byte[] replacement) {
        Objects.checkFromToIndex(from, to, bytes.length);
        return WireBytes.concat(Arrays.copyOfRange(bytes, 0, from), replacement,
                Arrays.copyOfRange(bytes, to, bytes.length));
    }
}
