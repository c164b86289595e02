package dev.socketchat.netty;

import dev.socketchat.room.ServerConsole;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The listening channel's handler, in memory: an {@link EmbeddedChannel} stands for the listener,
 * accepted connections are written to it as messages, failed accepts fired as exceptions, and the
 * test moves its clock. The real exhaustion of descriptors is run against the packaged server by
 * the contract suite's {@code ExhaustionIT}.
 */
class AcceptHandlerTest {

    private static final IOException EMFILE = new IOException("Too many open files");

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final ServerConsole console = new ServerConsole(new PrintStream(printed, true, StandardCharsets.UTF_8), true);

    @Test
    void failedAcceptsPauseAcceptingForADoublingBackOffAndAreReportedOncePerEpisode() {
        EmbeddedChannel listener = new EmbeddedChannel(new AcceptHandler(console, 100));

        listener.pipeline().fireExceptionCaught(EMFILE);
        assertThat(listener.config().isAutoRead()).as("accepting right after a failure").isFalse();
        listener.advanceTimeBy(5, TimeUnit.MILLISECONDS);
        listener.runScheduledPendingTasks();
        assertThat(listener.config().isAutoRead()).as("accepting 5 ms after the first failure").isTrue();

        listener.pipeline().fireExceptionCaught(EMFILE);
        listener.advanceTimeBy(5, TimeUnit.MILLISECONDS);
        listener.runScheduledPendingTasks();
        assertThat(listener.config().isAutoRead()).as("accepting 5 ms after the second failure").isFalse();
        listener.advanceTimeBy(5, TimeUnit.MILLISECONDS);
        listener.runScheduledPendingTasks();
        assertThat(listener.config().isAutoRead()).as("accepting 10 ms after the second failure").isTrue();

        EmbeddedChannel accepted = new EmbeddedChannel();
        listener.writeInbound(accepted);

        assertThat((Channel) listener.readInbound()).as("the connection accepted after the failures").isSameAs(accepted);
        assertThat(lines()).containsExactly(
                "[error] accept failed: Too many open files; retrying every 250 ms at most",
                "[error] accepting again after 2 failed accepts");
        assertThat(listener.finish()).as("nothing else passed on: no failure reaches the end of the pipeline").isFalse();
    }

    @Test
    void connectionBeyondTheBudgetIsClosedAtOnceAndOneClosingMakesRoomForTheNext() {
        EmbeddedChannel listener = new EmbeddedChannel(new AcceptHandler(console, 2));
        EmbeddedChannel first = new EmbeddedChannel();
        EmbeddedChannel second = new EmbeddedChannel();
        EmbeddedChannel beyond = new EmbeddedChannel();

        listener.writeInbound(first, second, beyond);

        assertThat(List.of(listener.<Channel>readInbound(), listener.<Channel>readInbound())).containsExactly(first, second);
        assertThat((Channel) listener.readInbound()).as("passed on beyond the budget").isNull();
        assertThat(beyond.isOpen()).as("the connection beyond the budget is open").isFalse();
        assertThat(first.isOpen()).isTrue();

        first.close();
        EmbeddedChannel next = new EmbeddedChannel();
        listener.writeInbound(next);

        assertThat((Channel) listener.readInbound()).as("the connection after one closed").isSameAs(next);
        assertThat(next.isOpen()).isTrue();
        assertThat(lines()).as("closing beyond the budget says nothing").isEmpty();
    }

    private List<String> lines() {
        return printed.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
