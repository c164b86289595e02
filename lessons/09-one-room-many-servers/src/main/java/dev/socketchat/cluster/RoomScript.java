package dev.socketchat.cluster;

/**
 * The Lua that Redis runs for every change to the room. A script runs atomically: no other command
 * runs between its first line and its last, so checking a name and taking it, or appending a message
 * and recording its sequence number, cannot be split by another server's change. That is what makes
 * {@code !nick} unique across servers and a retried append harmless.
 *
 * <pre>
 * KEYS: stream, names (lower-case name -> member), members (member -> name), guest counter,
 *       last sequence number per member, entry counter, the stream's bytes
 * ARGV: server, member, MAXLEN (0: none), operation, sequence number, argument, byte budget
 * a member is "server:member", e.g. "7f3a...:12"
 * </pre>
 */
final class RoomScript {

    /** Bytes counted for an entry besides its fields' own: its ID and Redis's bookkeeping, roughly. */
    static final int ENTRY_OVERHEAD = 64;

    private RoomScript() {
    }

    /**
     * Appends one entry, numbered by the room's counter (field {@code q}: a reader that finds a number
     * skipped knows how many entries it missed), then trims the oldest entries until the stream is
     * within both its byte budget and its entry count. An entry's size is the bytes of its fields and
     * values plus {@value #ENTRY_OVERHEAD} for what Redis spends on it besides; the running total is
     * kept in a key, and each entry is counted in once and out once, so trimming costs a constant per
     * append. The newest entry always stays, whatever its size.
     *
     * <pre>append(counter key, bytes key, maxlen (0: none), budget in bytes, fields)</pre>
     */
    private static final String APPEND = """
            local function size(fields)
              local n = %d
              for i = 1, #fields do n = n + #tostring(fields[i]) end
              return n
            end
            local function append(counter, bytes, maxlen, budget, fields)
              local q = tonumber(redis.call('GET', counter) or '0') + 1
              table.insert(fields, 'q')
              table.insert(fields, tostring(q))
              local id = redis.call('XADD', KEYS[1], '*', unpack(fields))
              redis.call('SET', counter, q) -- only once the entry is in: a failed append numbers nothing
              local count = redis.call('XLEN', KEYS[1])
              local total = size(fields)
              -- A new stream (deleted, or never there) starts the total afresh: no stale count trims it.
              if count == 1 then redis.call('SET', bytes, total) else total = redis.call('INCRBY', bytes, total) end
              maxlen, budget = tonumber(maxlen), tonumber(budget)
              local function over() return total > budget or (maxlen > 0 and count > maxlen) end
              if not over() then return id end
              local from, keep = '-', id
              while over() and count > 1 do
                local batch = redis.call('XRANGE', KEYS[1], from, '+', 'COUNT', 100)
                if #batch == 0 then break end
                for i = 1, #batch do
                  if batch[i][1] == id or not over() then keep = batch[i][1]; break end
                  total = total - size(batch[i][2])
                  count = count - 1
                  from = '(' .. batch[i][1]
                end
              end
              redis.call('XTRIM', KEYS[1], 'MINID', keep)
              if count <= 1 then total = size(fields) end -- alone, the new entry is the whole total
              redis.call('SET', bytes, math.max(total, 0))
              return id
            end
            -- A stream key of another type fails the script before it writes anything, not halfway.
            local t = redis.call('TYPE', KEYS[1])['ok']
            if t ~= 'stream' and t ~= 'none' then
              return redis.error_reply('WRONGTYPE ' .. KEYS[1] .. ' is a ' .. t .. ', not a stream')
            end
            local function last()
              local e = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
              if #e == 0 then return '0-0' end
              return e[1][1]
            end
            """.formatted(ENTRY_OVERHEAD);

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
              return {'ok', append(KEYS[6], KEYS[7], ARGV[3], ARGV[7], entry('JOINED', name, '', redis.call('HLEN', KEYS[3])))}
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
              return {'ok', append(KEYS[6], KEYS[7], ARGV[3], ARGV[7], entry('LEFT', name, arg, 0))}
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
              return {'ok', append(KEYS[6], KEYS[7], ARGV[3], ARGV[7], entry('RENAMED', name, arg, 0))}
            end
            redis.call('HSET', KEYS[5], who, seq)
            return {'ok', append(KEYS[6], KEYS[7], ARGV[3], ARGV[7], entry('SAID', name, arg, 0))}
            """;

    /**
     * Every member of one server leaves at once: a server stopping, or a dead one whose lease has
     * run out (then only if it still has not come back). Returns how many left.
     *
     * <pre>
     * KEYS: stream, names, members, last sequence numbers, servers, the server's lease, entry counter,
     *       the stream's bytes
     * ARGV: server, MAXLEN, reason, "1" to leave the server alone if its lease is back, byte budget
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
                append(KEYS[7], KEYS[8], ARGV[2], ARGV[5], {'k', 'LEFT', 's', ARGV[1], 'm', string.sub(all[i], #prefix + 1),
                                 'n', all[i + 1], 'd', ARGV[3], 'o', 0})
                n = n + 1
              end
            end
            redis.call('SREM', KEYS[5], ARGV[1])
            redis.call('DEL', KEYS[6])
            return n
            """;

    /**
     * Renews a server's lease and lists it among the room's servers. Returns 1 if the lease was still
     * there, 0 if it had run out (or Redis lost it): then the other servers may have ended its members.
     *
     * <pre>KEYS: the server's lease, servers; ARGV: server, lease in milliseconds</pre>
     */
    static final String RENEW = """
            local had = redis.call('EXISTS', KEYS[1])
            redis.call('SET', KEYS[1], 'alive', 'PX', ARGV[2])
            redis.call('SADD', KEYS[2], ARGV[1])
            return had
            """;
}
