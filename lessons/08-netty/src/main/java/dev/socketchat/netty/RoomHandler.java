package dev.socketchat.netty;

import dev.socketchat.protocol.ProtocolException;
import dev.socketchat.room.ChatRoom;
import dev.socketchat.room.Member;
import dev.socketchat.room.ServerConsole;
import dev.socketchat.server.ServerOptions;
import dev.socketchat.server.Sockets;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The last handler of the pipeline: one client's place in the shared {@link ChatRoom}. It joins the
 * room when the connection opens, hands it every payload, turns faults into {@code !error} and a
 * close, and leaves the room when the connection ends. The room decides everything else, with the
 * same code as in every lesson.
 *
 * <h2>Phases</h2>
 * The same as lesson 04's {@code ChannelConnection}, with Netty doing the waiting:
 * <pre>
 *  READING ──left, fault, shutdown──► DRAINING ──all written──► LINGERING ──EOF──► closed
 *  frames go to the room              autoRead off; grace       output shut down;
 *                                     timer closes the rest     input read and discarded
 * </pre>
 * Closing at once after the last frame would reset a connection whose client still sends, and a
 * reset can destroy the frames on their way to it, such as the {@code !error} that says why. So
 * the server shuts its output down (the client reads end of stream after its last frame) and reads
 * and throws away what the client still sends until it closes too, for {@link Sockets#LINGER} at most.
 *
 * <p>All methods run on the channel's event loop, including the outbox's close callback, so the
 * fields need no locking.
 */
final class RoomHandler extends SimpleChannelInboundHandler<String> {

    private enum Phase { READING, DRAINING, LINGERING }

    private static final System.Logger LOG = System.getLogger(RoomHandler.class.getName());

    private final ChatRoom room;
    private final ServerOptions options;
    private final ServerConsole console;
    private final Supplier<Burst> newBurst;

    private ChannelHandlerContext ctx;
    private Member member;
    private Phase phase = Phase.READING;
    private ScheduledFuture<?> resume;

    /** @param newBurst how the member's outbox hands frames to Netty ({@link Burst}) */
    RoomHandler(ChatRoom room, ServerOptions options, ServerConsole console, Supplier<Burst> newBurst) {
        this.room = room;
        this.options = options;
        this.console = console;
        this.newBurst = newBurst;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        // The channel's high water mark is the outbound limit (see NettyServer).
        long limit = ctx.channel().config().getWriteBufferHighWaterMark();
        ChannelOutbox outbox = new ChannelOutbox(ctx.channel(), limit, newBurst, this::outboxClosed);
        Optional<Member> joined = room.join(outbox, ctx.channel().remoteAddress());
        if (joined.isEmpty()) {
            stopReading(); // refused: the outbox holds "!error server full" and is closing
            return;
        }
        member = joined.get();
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, String payload) {
        if (phase != Phase.READING) {
            return; // decoded from the same read as the frame that ended the session
        }
        long pause = room.receive(member, payload);
        if (!member.isPresent()) {
            stopReading(); // !Disconnect, or dropped
        } else if (pause > 0) {
            pauseReading(pause);
        }
    }

    /**
     * Over its rate: Netty reads no more from this client until the pause is over, so what it sends
     * waits in its socket and TCP holds the sender back. The decoder stops after the frame it is
     * decoding now and keeps the rest of what it read; the frame that comes meanwhile pays with a
     * longer pause, which replaces the one before.
     */
    private void pauseReading(long pause) {
        ctx.channel().config().setAutoRead(false);
        decoder().setSingleDecode(true);
        if (resume != null) {
            resume.cancel(false);
        }
        resume = ctx.executor().schedule(this::resumeReading, pause, TimeUnit.NANOSECONDS);
    }

    private void resumeReading() {
        resume = null;
        if (phase != Phase.READING) {
            return;
        }
        decoder().setSingleDecode(false);
        // An empty read makes the decoder hand over the frames it kept, first.
        ctx.pipeline().fireChannelRead(Unpooled.EMPTY_BUFFER);
        if (phase == Phase.READING && resume == null) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private ChatFrameDecoder decoder() {
        return (ChatFrameDecoder) ctx.pipeline().get(ChatChannelInitializer.FRAME_DECODER);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable fault = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (fault instanceof ProtocolException protocolFault) {
            if (phase == Phase.READING && member != null) {
                room.fault(member, protocolFault); // queues "!error <reason>" and closes the outbox
            }
            stopReading();
        } else if (fault instanceof IOException) {
            // A reset, or a write to a closed connection. The room hears of it in channelInactive,
            // never from here: this may run inside a room call that is writing to this channel.
            LOG.log(System.Logger.Level.DEBUG, "connection lost: {0}", fault);
            ctx.close();
        } else {
            // A bug while serving one client must not take anyone else with it.
            console.error("closing " + ctx.channel().remoteAddress() + " after an internal error: " + fault);
            LOG.log(System.Logger.Level.ERROR, "internal error serving " + ctx.channel(), fault);
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (member != null) {
            room.leave(member, ""); // only the first way of leaving counts
        }
        ctx.fireChannelInactive();
    }

    /** Stops reading from this client and gives what it is owed the grace period to be written. */
    private void stopReading() {
        if (phase != Phase.READING) {
            return;
        }
        phase = Phase.DRAINING;
        ctx.channel().config().setAutoRead(false);
        ctx.executor().schedule(() -> {
            ctx.close(); // a no-op if the output finished in time
        }, options.grace().toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * The outbox's close callback, on this loop, after every frame offered before the close has been
     * written to the channel: a leave, a fault, a refused join or the server's shutdown.
     */
    private void outboxClosed() {
        stopReading();
        // An empty write, whose future completes once everything written before it is on its way.
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) written -> {
            if (written.isSuccess()) {
                linger();
            } else {
                ctx.close();
            }
        });
    }

    private void linger() {
        if (phase == Phase.LINGERING || !ctx.channel().isActive()) {
            return;
        }
        phase = Phase.LINGERING;
        ((DuplexChannel) ctx.channel()).shutdownOutput();
        ctx.pipeline().addFirst("discard", DiscardInput.INSTANCE);
        ctx.channel().config().setAutoRead(true); // to see the client's end of stream, which closes the channel
        ctx.executor().schedule(() -> {
            ctx.close();
        }, Sockets.LINGER.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Throws away what a client sends after its last frame was answered; put first in the pipeline. */
    @Sharable
    static final class DiscardInput extends ChannelInboundHandlerAdapter {

        static final DiscardInput INSTANCE = new DiscardInput();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }
}
