package dev.socketchat.netty;

import dev.socketchat.room.ChatRoom;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ServerOptions;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;

import java.util.Set;
import java.util.function.Supplier;

/**
 * The pipeline every connection gets, in order: each handler one concept, as in Netty's own examples.
 *
 * <pre>
 *  socket ─► idle-timeout ─► frame-decoder ─► strict-utf8 ─► room
 *   bytes    no byte for     64-byte header,  payload bytes   ChatRoom:
 *            idle timeout?   payload slices,  to a String     join, receive,
 *            !error          frame timeout                    leave, faults
 *  socket ◄── one buffer and one flush per burst, written by ChannelOutbox ◄──┘
 * </pre>
 *
 * <p>Inbound events (bytes read) travel left to right, outbound ones (writes, flushes) right to
 * left. No handler here batches flushes (Netty's {@code FlushConsolidationHandler}): the outbox
 * already writes one buffer and flushes once per burst, and the handler would only add a task of
 * its own to every flush.
 */
final class ChatChannelInitializer extends ChannelInitializer<SocketChannel> {

    /** The decoder's name in the pipeline, by which the room handler pauses it over a client's rate. */
    static final String FRAME_DECODER = "frame-decoder";

    private final ChatRoom room;
    private final ServerOptions options;
    private final ServerConsole console;
    private final Set<Channel> connections;
    private final Supplier<Burst> newBurst;

    /**
     * @param connections every open connection, for the server's shutdown; a channel leaves it when it closes
     * @param newBurst    how each member's outbox hands frames to Netty ({@link Burst})
     */
    ChatChannelInitializer(ChatRoom room, ServerOptions options, ServerConsole console,
                           Set<Channel> connections, Supplier<Burst> newBurst) {
        this.room = room;
        this.options = options;
        this.console = console;
        this.connections = connections;
        this.newBurst = newBurst;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        connections.add(channel);
        channel.closeFuture().addListener(closed -> connections.remove(channel));
        channel.pipeline()
                .addLast("idle-timeout", new IdleTimeoutHandler(options.idleTimeout()))
                .addLast(FRAME_DECODER, new ChatFrameDecoder(options.maxPayload(), options.frameTimeout()))
                .addLast("strict-utf8", StrictUtf8Decoder.INSTANCE)
                .addLast("room", new RoomHandler(room, options, console, newBurst));
    }
}
