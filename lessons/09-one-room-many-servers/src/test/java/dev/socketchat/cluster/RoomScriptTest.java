package dev.socketchat.cluster;

import dev.socketchat.redis.RedisProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.resps.StreamEntry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static dev.socketchat.cluster.ClusterClients.freePort;
import static org.assertj.core.api.Assertions.assertThat;

/** The room's script on a real Redis: what makes a retried change harmless and a name unique. */
class RoomScriptTest {

    private static final List<String> KEYS = List.of("t:stream", "t:names", "t:members", "t:guests", "t:sequence",
            "t:count", "t:bytes");
    private static final long NO_BUDGET = Long.MAX_VALUE / 2;

    @TempDir
    static Path data;
    private static RedisProcess redis;
    private static JedisPooled jedis;

    @BeforeAll
    static void start() throws IOException {
        redis = RedisProcess.start(freePort(), data, ProcessBuilder.Redirect.DISCARD);
        jedis = new JedisPooled("127.0.0.1", redis.port());
    }

    @AfterAll
    static void stop() {
        jedis.close();
        redis.close();
    }

    @BeforeEach
    void emptyRedis() {
        jedis.flushAll();
    }

    @Test
    void aChangeRetriedWithItsSequenceNumberIsAppendedOnce() {
        change("s1", "1", "join", 0, "");
        List<?> first = change("s1", "1", "say", 7, "hello");
        List<?> retry = change("s1", "1", "say", 7, "hello");
        List<?> next = change("s1", "1", "say", 8, "hello");

        assertThat(first.get(0)).isEqualTo("ok");
        assertThat(retry.get(0)).isEqualTo("dup");
        assertThat(next.get(0)).isEqualTo("ok");
        assertThat(jedis.xlen("t:stream")).isEqualTo(3); // the join and two messages
    }

    @Test
    void aNameIsTakenIgnoringCaseAcrossServersAndFreedByALeave() {
        change("a", "1", "join", 0, "");
        change("b", "1", "join", 0, "");
        assertThat(change("a", "1", "rename", 1, "Carol").get(0)).isEqualTo("ok");
        assertThat(change("b", "1", "rename", 2, "cAROL").get(0)).isEqualTo("taken");
        change("a", "1", "leave", 0, "");
        assertThat(change("b", "1", "rename", 3, "cAROL").get(0)).isEqualTo("ok");
    }

    @Test
    void theStreamStaysWithinItsByteBudgetAndNumbersEveryEntry() {
        long budget = 10 * 1024;
        String kibibyte = "x".repeat(1024);
        change("s1", "1", "join", 0, "", budget);
        for (int seq = 1; seq <= 50; seq++) {
            change("s1", "1", "say", seq, kibibyte, budget);
        }

        List<StreamEntry> kept = jedis.xrange("t:stream", "-", "+");
        assertThat(kept.stream().mapToLong(RoomScriptTest::size).sum()).isLessThanOrEqualTo(budget)
                .isEqualTo(Long.parseLong(jedis.get("t:bytes")));
        assertThat(kept).hasSizeGreaterThan(5); // trimmed to the budget, not emptied
        // The count goes on across trims: the newest kept entry is the 51st (a join and 50 messages).
        assertThat(kept.get(kept.size() - 1).getFields()).containsEntry("q", "51");
        for (int i = 1; i < kept.size(); i++) {
            assertThat(Long.parseLong(kept.get(i).getFields().get("q")))
                    .isEqualTo(Long.parseLong(kept.get(i - 1).getFields().get("q")) + 1);
        }
    }

    @Test
    void aDeletedStreamLeavesNoStaleByteCount() {
        long budget = 10 * 1024;
        change("s1", "1", "join", 0, "", budget);
        for (int seq = 1; seq <= 20; seq++) {
            change("s1", "1", "say", seq, "x".repeat(1024), budget);
        }
        jedis.del("t:stream");
        for (int seq = 21; seq <= 25; seq++) {
            change("s1", "1", "say", seq, "small", budget);
        }
        assertThat(jedis.xlen("t:stream")).isEqualTo(5); // nothing trimmed for a count the deletion made stale
    }

    /**
     * A survivor reaps a server after seeing its lease gone, in a second call; if the server renewed
     * its lease in between (it was only paused), the script must find the lease back and end no one.
     * In a running cluster that gap is one round trip to Redis, too short to hit by hand, so this
     * test makes it happen: the lease exists when the script runs.
     */
    @Test
    void aReapedServerWhoseLeaseIsBackKeepsItsMembers() {
        change("a", "1", "join", 0, "");
        change("a", "1", "rename", 1, "alice");
        jedis.sadd("t:servers", "a");
        jedis.set("t:lease:a", "1");

        Object ended = jedis.eval(RoomScript.LEAVE_ALL, leaveAllKeys("a"), leaveAllArguments("a", "1"));

        assertThat(ended).as("members ended").isEqualTo(0L);
        assertThat(jedis.hgetAll("t:members")).containsEntry("a:1", "alice");
        assertThat(jedis.xlen("t:stream")).isEqualTo(2); // the join and the rename, no leave

        jedis.del("t:lease:a"); // the lease runs out for good: now the same call ends the member
        assertThat(jedis.eval(RoomScript.LEAVE_ALL, leaveAllKeys("a"), leaveAllArguments("a", "1"))).isEqualTo(1L);
        assertThat(jedis.hgetAll("t:members")).isEmpty();
    }

    private static List<String> leaveAllKeys(String server) {
        return List.of("t:stream", "t:names", "t:members", "t:sequence", "t:servers", "t:lease:" + server,
                "t:count", "t:bytes");
    }

    /** ARGV of LEAVE_ALL: server, MAXLEN, reason, "1" to spare a server whose lease is back, byte budget. */
    private static List<String> leaveAllArguments(String server, String onlyIfLost) {
        return List.of(server, "100000", "server lost", onlyIfLost, Long.toString(NO_BUDGET));
    }

    private static long size(StreamEntry entry) {
        return RoomScript.ENTRY_OVERHEAD + entry.getFields().entrySet().stream()
                .mapToLong(field -> field.getKey().length() + field.getValue().length()).sum();
    }

    private static List<?> change(String server, String member, String op, long seq, String argument) {
        return change(server, member, op, seq, argument, NO_BUDGET);
    }

    private static List<?> change(String server, String member, String op, long seq, String argument, long budget) {
        return (List<?>) jedis.eval(RoomScript.CHANGE, KEYS,
                List.of(server, member, "0", op, Long.toString(seq), argument, Long.toString(budget)));
    }
}
