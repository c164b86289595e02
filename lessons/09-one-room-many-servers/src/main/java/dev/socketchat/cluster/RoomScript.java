package dev.socketchat.cluster;

/**
 * The Lua that Redis runs for every change to the room. A script runs atomically: no other command
 * runs between its first line and its last, so checking a name and taking it, or appending a message
 * and recording its sequence number, cannot be split by another server's change. That is what makes
 * {@code !nick} unique across servers and a retried append harmless.
 *
 * <pre>
 * KEYS: stream, names (lower-case name -> member), members (member -> name), guest counter,
 *       last sequence number per member
 * ARGV: server, member, MAXLEN (0: none), operation, sequence number, argument
 * a member is "server:member", e.g. "7f3a...:12"
 * </pre>
 */
final class RoomScript {

    private RoomScript() {
    }

    private static final String APPEND = """
            local function append(maxlen, fields)
              if tonumber(maxlen) > 0 then
                return redis.call('XADD', KEYS[1], 'MAXLEN', '~', maxlen, '*', unpack(fields))
              end
              return redis.call('XADD', KEYS[1], '*', unpack(fields))
            end
            local function last()
              local e = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
              if #e == 0 then return '0-0' end
              return e[1][1]
            end
            """;

    /**
     * One change by one member. Returns {@code {status, entry ID}}: {@code ok} with the appended
     * entry; {@code dup} (already done: a retry), {@code taken} or {@code gone} with the stream's
     * last entry, so that the caller still knows how far its reader must get.
     */
    static final String CHANGE = APPEND + """
            local who = ARGV[1] .. ':' .. ARGV[2]
            local op, arg = ARGV[4], ARGV[6]
            local function entry(kind, name, detail, online)
              return {'k', kind, 's', ARGV[1], 'm', ARGV[2], 'n', name, 'd', detail, 'o', online}
            end
            if op == 'join' then
              if redis.call('HEXISTS', KEYS[3], who) == 1 then return {'dup', last()} end
              local name
              repeat name = 'guest-' .. redis.call('INCR', KEYS[4]) until redis.call('HEXISTS', KEYS[2], name) == 0
              redis.call('HSET', KEYS[2], name, who)
              redis.call('HSET', KEYS[3], who, name)
              return {'ok', append(ARGV[3], entry('JOINED', name, '', redis.call('HLEN', KEYS[3])))}
            end
            if op == 'restore' then
              local holder = redis.call('HGET', KEYS[2], string.lower(arg))
              if holder and holder ~= who then return {'taken', last()} end
              redis.call('HSET', KEYS[2], string.lower(arg), who)
              redis.call('HSET', KEYS[3], who, arg)
              return {'ok', last()}
            end
            local name = redis.call('HGET', KEYS[3], who)
            if not name then return {'gone', last()} end
            if op == 'leave' then
              redis.call('HDEL', KEYS[2], string.lower(name))
              redis.call('HDEL', KEYS[3], who)
              redis.call('HDEL', KEYS[5], who)
              return {'ok', append(ARGV[3], entry('LEFT', name, arg, 0))}
            end
            local seq = tonumber(ARGV[5])
            if seq <= tonumber(redis.call('HGET', KEYS[5], who) or '0') then return {'dup', last()} end
            if op == 'rename' then
              local holder = redis.call('HGET', KEYS[2], string.lower(arg))
              if holder and holder ~= who then return {'taken', last()} end
              redis.call('HDEL', KEYS[2], string.lower(name))
              redis.call('HSET', KEYS[2], string.lower(arg), who)
              redis.call('HSET', KEYS[3], who, arg)
              redis.call('HSET', KEYS[5], who, seq)
              return {'ok', append(ARGV[3], entry('RENAMED', name, arg, 0))}
            end
            redis.call('HSET', KEYS[5], who, seq)
            return {'ok', append(ARGV[3], entry('SAID', name, arg, 0))}
            """;

    /**
     * Every member of one server leaves at once: a server stopping, or a dead one whose lease has
     * run out (then only if it still has not come back). Returns how many left.
     *
     * <pre>
     * KEYS: stream, names, members, last sequence numbers, servers, the server's lease
     * ARGV: server, MAXLEN, reason, "1" to leave the server alone if its lease is back
     * </pre>
     */
    static final String LEAVE_ALL = APPEND + """
            if ARGV[4] == '1' and redis.call('EXISTS', KEYS[6]) == 1 then return 0 end
            local all = redis.call('HGETALL', KEYS[3])
            local prefix = ARGV[1] .. ':'
            local n = 0
            for i = 1, #all, 2 do
              if string.sub(all[i], 1, #prefix) == prefix then
                redis.call('HDEL', KEYS[2], string.lower(all[i + 1]))
                redis.call('HDEL', KEYS[3], all[i])
                redis.call('HDEL', KEYS[4], all[i])
                append(ARGV[2], {'k', 'LEFT', 's', ARGV[1], 'm', string.sub(all[i], #prefix + 1),
                                 'n', all[i + 1], 'd', ARGV[3], 'o', 0})
                n = n + 1
              end
            end
            redis.call('SREM', KEYS[5], ARGV[1])
            redis.call('DEL', KEYS[6])
            return n
            """;
}
