package dev.socketchat.cluster;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * What {@code --cluster redis://[user:password@]host:port[?lease=10s&maxlen=100000&budget=256MiB&room=chat]}
 * says: where Redis is, how to log in, how long a server's lease lasts, how many entries the stream
 * keeps at most (0: no count limit), how many bytes it keeps at most (its budget, whatever the
 * payload sizes: see {@link RoomScript}), and the room's name, which prefixes every key.
 */
record RedisAddress(HostAndPort hostAndPort, String user, String password, Duration lease, long maxLength,
                    long budget, String room) {

    static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);
    static final long DEFAULT_MAX_LENGTH = 100_000;
    static final long DEFAULT_BUDGET = 256L << 20;
    static final long MIN_BUDGET = 64L << 10;
    private static final String[] SIZE_UNITS = {"KiB", "MiB", "GiB"};

    static RedisAddress parse(URI uri) {
        if (!"redis".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("not a redis://host:port address: " + uri);
        }
        int port = uri.getPort() < 0 ? 6379 : uri.getPort();
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = parts.length == 2 && !parts[0].isEmpty() ? decode(parts[0]) : null;
            password = decode(parts[parts.length - 1]);
        }
        Map<String, String> query = new HashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(decode(kv[0]), kv.length == 2 ? decode(kv[1]) : "");
            }
        }
        Duration lease = query.containsKey("lease") ? duration(query.remove("lease")) : DEFAULT_LEASE;
        long maxLength = query.containsKey("maxlen") ? number(query.remove("maxlen")) : DEFAULT_MAX_LENGTH;
        long budget = query.containsKey("budget") ? size(query.remove("budget")) : DEFAULT_BUDGET;
        String room = query.getOrDefault("room", "chat");
        query.remove("room");
        if (!query.isEmpty() || lease.toMillis() < 300 || maxLength < 0 || budget < MIN_BUDGET) {
            throw new IllegalArgumentException("redis:// takes lease (at least 300ms), maxlen (0 or more), "
                    + "budget (at least 64KiB) and room: " + uri);
        }
        return new RedisAddress(new HostAndPort(uri.getHost(), port), user, password, lease, maxLength, budget,
                room);
    }

    /** How the console names this Redis: its address, never its password. */
    @Override
    public String toString() {
        return "Redis at " + hostAndPort;
    }

    /** The client settings, with {@code timeout} for every reply; {@code name} shows in {@code CLIENT LIST}. */
    JedisClientConfig config(Duration timeout, String name) {
        return DefaultJedisClientConfig.builder()
                .user(user).password(password).clientName(name)
                .connectionTimeoutMillis(1_000).socketTimeoutMillis((int) timeout.toMillis())
                .build();
    }

    String key(String what) {
        return room + ":" + what;
    }

    /** A byte count such as 1048576, 512KiB, 256MiB or 1GiB. */
    private static long size(String text) {
        for (int i = 0; i < SIZE_UNITS.length; i++) {
            if (text.endsWith(SIZE_UNITS[i])) {
                long count = number(text.substring(0, text.length() - 3));
                if (count > Long.MAX_VALUE >> (10 * (i + 1))) {
                    throw new IllegalArgumentException("too large: " + text);
                }
                return count << (10 * (i + 1));
            }
        }
        return number(text);
    }

    private static long number(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + text);
        }
    }

    private static Duration duration(String text) {
        if (text.endsWith("ms")) {
            return Duration.ofMillis(number(text.substring(0, text.length() - 2)));
        }
        if (text.endsWith("s")) {
            return Duration.ofSeconds(number(text.substring(0, text.length() - 1)));
        }
        throw new IllegalArgumentException("a lease is like 500ms or 10s, not " + text);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
