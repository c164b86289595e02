package dev.socketchat.netty;

import dev.socketchat.protocol.IdleTimeoutException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.ReadTimeoutHandler;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The idle timeout of docs/protocol.md §7: a client from which no byte at all arrived for that long
 * is told {@code !error idle timeout} and closed. It sits before the frame decoder, so every byte
 * counts, keepalive frames and half frames alike.
 *
 * <p>Netty's {@link ReadTimeoutHandler} keeps the time on the event loop's scheduler: a read only
 * notes the time, and the one scheduled check per connection re-arms itself from the last read, so
 * a busy connection costs no timer work per read. By default it would throw its own exception and
 * close at once; here it raises the shared {@link IdleTimeoutException}, so that the room handler
 * answers it like every other fault, with the {@code !error} first.
 */
final class IdleTimeoutHandler extends ReadTimeoutHandler {

    IdleTimeoutHandler(Duration idleTimeout) {
        super(idleTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    protected void readTimedOut(ChannelHandlerContext ctx) {
        ctx.fireExceptionCaught(new IdleTimeoutException());
    }
}
