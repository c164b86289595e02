package dev.socketchat.netty;

import dev.socketchat.protocol.StrictUtf8;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;

import java.util.List;

/**
 * Turns each payload into text with the shared {@link StrictUtf8}, which refuses malformed and
 * overlong sequences and encoded surrogates (docs/protocol.md §2). Netty's own
 * {@code StringDecoder} would not do: like {@code new String(bytes, UTF_8)} it replaces bad input
 * with U+FFFD without a word.
 *
 * <p>A fault leaves as a {@code DecoderException} whose cause is the shared
 * {@code MalformedPayloadException}. Keeps no state, so one instance serves every connection.
 */
@Sharable
final class StrictUtf8Decoder extends MessageToMessageDecoder<ByteBuf> {

    static final StrictUtf8Decoder INSTANCE = new StrictUtf8Decoder();

    private StrictUtf8Decoder() {
        super(ByteBuf.class);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf payload, List<Object> out) throws Exception {
        // A view of the payload's bytes, not a copy; the payload buffer is released after this returns.
        out.add(StrictUtf8.decode(payload.nioBuffer()));
    }
}
