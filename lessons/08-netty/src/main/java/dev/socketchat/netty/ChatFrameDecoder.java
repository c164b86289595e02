package dev.socketchat.netty;

import dev.socketchat.protocol.FrameHeader;
import dev.socketchat.protocol.FrameTimeoutException;
import dev.socketchat.protocol.ProtocolException;
import dev.socketchat.protocol.TruncatedFrameException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.ScheduledFuture;

import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Splits the byte stream into frames and passes each payload on as a slice of the bytes received:
 * Netty's {@link LengthFieldBasedFrameDecoder}, taught to read the protocol's length field.
 *
 * <pre>
 * in:   | "5" + 63 spaces | h e l l o | "0" + 63 spaces | "1" + 63 sp | ...
 *         length field: 64 bytes       length 0: a keepalive
 * out:  [hello] [] ...                (payloads only: the 64 header bytes are stripped)
 * </pre>
 *
 * <p>Netty's decoder does what lesson 04's read buffer did by hand: it accumulates reads, waits
 * while the header or the payload is incomplete, consumes nothing until a frame is whole, and emits
 * every frame that one read completed. All it needs from us is the value of the length field, which
 * here is ASCII decimal rather than binary: {@link #getUnadjustedFrameLength} hands the 64 bytes to
 * the shared {@link FrameHeader#parse}, so the header rules (and their named errors) are the same
 * code as in every other lesson, and they are applied as soon as the header is in, before any of the
 * payload is buffered.
 *
 * <h2>The frame timeout</h2>
 * Only the decoder knows whether a frame has started and not finished, so it also keeps the frame
 * timeout of docs/protocol.md §7, on the event loop's own scheduler: one timer while a frame is
 * unfinished, which when it fires either fails the connection or re-arms for the frame that is in
 * progress now. Nothing is scheduled or cancelled per frame. Time is the loop's own ticker, the
 * clock its scheduler runs on, which a test can move forward.
 *
 * <p>Faults leave as {@link DecoderException}s whose cause is the shared {@link ProtocolException};
 * after one, the decoder discards whatever else arrives. One instance per connection.
 */
final class ChatFrameDecoder extends LengthFieldBasedFrameDecoder {

    private final int maxPayload;
    private final long frameTimeoutNanos;
    // Where the header is copied to be parsed: the parser takes an array, and direct buffers have none.
    private final byte[] header = new byte[FrameHeader.LENGTH];

    private boolean failed;
    private boolean decodedInThisRead;
    private long frameStartedAt;
    private ScheduledFuture<?> frameTimer;

    ChatFrameDecoder(int maxPayload, Duration frameTimeout) {
        // length field: 64 bytes at offset 0; the length counts the payload only; strip the header.
        super(ByteOrder.BIG_ENDIAN, FrameHeader.LENGTH + maxPayload, 0, FrameHeader.LENGTH, 0, FrameHeader.LENGTH,
                true);
        this.maxPayload = maxPayload;
        this.frameTimeoutNanos = frameTimeout.toNanos();
    }

    @Override
    protected long getUnadjustedFrameLength(ByteBuf in, int offset, int length, ByteOrder order) {
        in.getBytes(offset, header);
        try {
            return FrameHeader.parse(header, 0, maxPayload);
        } catch (ProtocolException e) {
            throw new DecoderException(e);
        }
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return null;
        }
        try {
            Object frame = super.decode(ctx, in);
            decodedInThisRead |= frame != null;
            return frame;
        } catch (Exception e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        decodedInThisRead = false;
        try {
            super.channelRead(ctx, msg);
        } finally {
            watchUnfinishedFrame(ctx);
        }
    }

    /** After a read: starts the frame timeout if a frame began in it and is not finished yet. */
    private void watchUnfinishedFrame(ChannelHandlerContext ctx) {
        if (failed || actualReadableBytes() == 0) {
            return; // a running timer finds nothing unfinished and lets itself lapse
        }
        if (decodedInThisRead || frameTimer == null) {
            frameStartedAt = ctx.executor().ticker().nanoTime(); // the unfinished frame began in this read
        }
        if (frameTimer == null) {
            frameTimer = ctx.executor().schedule(() -> frameTimerFired(ctx), frameTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void frameTimerFired(ChannelHandlerContext ctx) {
        frameTimer = null;
        if (failed || actualReadableBytes() == 0 || !ctx.channel().isActive()) {
            return;
        }
        long left = frameStartedAt + frameTimeoutNanos - ctx.executor().ticker().nanoTime();
        if (left > 0) {
            // Another frame started since this timer was set: wait for its own deadline.
            frameTimer = ctx.executor().schedule(() -> frameTimerFired(ctx), left, TimeUnit.NANOSECONDS);
            return;
        }
        failed = true;
        ctx.fireExceptionCaught(new DecoderException(new FrameTimeoutException()));
    }

    /** End of stream: bytes of an unfinished frame mean the client vanished mid-frame. */
    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (failed || !in.isReadable()) {
            return;
        }
        int received = in.readableBytes();
        int expected = received < FrameHeader.LENGTH
                ? FrameHeader.LENGTH
                : FrameHeader.LENGTH + (int) getUnadjustedFrameLength(in, in.readerIndex(), FrameHeader.LENGTH, ByteOrder.BIG_ENDIAN);
        failed = true;
        in.skipBytes(received);
        throw new DecoderException(new TruncatedFrameException(received, expected));
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (frameTimer != null) {
            frameTimer.cancel(false);
            frameTimer = null;
        }
    }
}
