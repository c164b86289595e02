package dev.socketchat.netty;

import dev.socketchat.room.ChatRoom;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ServerOptions;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;

import java.util.Set;

/**
 * The pipeline every connection gets, in order: each handler one concept, as in Netty's own examples.
 *
 * <pre>
 *  socket ─► flush-consolidation ─► idle-timeout ─► frame-decoder ─► strict-utf8 ─► room
 *   bytes     (outbound: one flush    no byte for     64-byte header,  payload bytes   ChatRoom:
 *             per burst of writes)    idle timeout?   payload slices,  to a String     join, receive,
 *                                     !error          frame timeout                    leave, faults
 *  socket ◄─────────── frames the room offers, written by ChannelOutbox from any thread ◄──┘
 * </pre>
 *
 * <p>Inbound events (bytes read) travel left to right, outbound ones (writes, flushes) right to
 * left, so the flush consolidation sits first: it sees every flush on its way to the socket.
 */
final class ChatChannelInitializer extends ChannelInitializer<SocketChannel> {

    /** Flushes consolidated into one at most, while a burst goes on; Netty's default. */
    private static final int FLUSH_AT_MOST_AFTER = FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES;

    private final ChatRoom room;
    private final SharedFrames frames;
    private final ServerOptions options;
    private final ServerConsole console;
    private final Set<Channel> connections;

    /** @param connections every open connection, for the server's shutdown; a channel leaves it when it closes */
    ChatChannelInitializer(ChatRoom room, SharedFrames frames, ServerOptions options, ServerConsole console,
                           Set<Channel> connections) {
        this.room = room;
        this.frames = frames;
        this.options = options;
        this.console = console;
        this.connections = connections;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        connections.add(channel);
        channel.closeFuture().addListener(closed -> connections.remove(channel));
        channel.pipeline()
                // true: consolidate flushes outside a read too, which is where the room's writes to
                // other members come from; the consolidated flush runs as a task after the burst.
                .addLast("flush-consolidation", new FlushConsolidationHandler(FLUSH_AT_MOST_AFTER, true))
                .addLast("idle-timeout", new IdleTimeoutHandler(options.idleTimeout()))
                .addLast("frame-decoder", new ChatFrameDecoder(options.maxPayload(), options.frameTimeout()))
                .addLast("strict-utf8", StrictUtf8Decoder.INSTANCE)
                .addLast("room", new RoomHandler(room, frames, options, console));
    }
}
