package dev.socketchat.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

class ServerOptionsTest {

    @Test
    void defaultsAreThoseOfTheProtocol() {
        ServerOptions options = ServerOptions.defaults();

        assertThat(options.host()).isEqualTo("127.0.0.1");
        assertThat(options.port()).isEqualTo(5050);
        assertThat(options.maxPayload()).isEqualTo(1_048_576);
        assertThat(options.outboundLimit()).isEqualTo(4 * 1_048_576L);
        assertThat(options.frameTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.idleTimeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(options.maxClients()).isEqualTo(10_000);
        assertThat(options.grace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.notices()).isTrue();
        assertThat(options.quiet()).isFalse();
        assertThat(options.get(ModelSetting.THREADS)).isZero();
    }

    @Test
    void eachWithMethodChangesItsOwnSettingAndNothingElse() {
        ServerOptions defaults = ServerOptions.defaults();

        ServerOptions changed = defaults.withHost("0.0.0.0").withPort(0).withMaxPayload(10).withOutboundLimit(20)
                .withFrameTimeout(Duration.ofMillis(30)).withIdleTimeout(Duration.ofMillis(40)).withMaxClients(50)
                .withGrace(Duration.ZERO).withNotices(false).withQuiet(true).withCluster("redis://127.0.0.1:6390")
                .withMaxClientsPerAddress(80).withMaxRate(90).withMaxBurst(100)
                .with(ModelSetting.THREADS, 60).with(ModelSetting.LOOPS, 70)
                .with(ModelSetting.TRANSPORT, Transport.EPOLL);

        assertThat(changed).isEqualTo(new ServerOptions("0.0.0.0", 0, 10, 20, Duration.ofMillis(30),
                Duration.ofMillis(40), 50, 80, 90, 100, false, "redis://127.0.0.1:6390", Duration.ZERO, true,
                Map.of(ModelSetting.THREADS, 60, ModelSetting.LOOPS, 70, ModelSetting.TRANSPORT, Transport.EPOLL)));
        assertThat(defaults.withPort(6060)).isEqualTo(new ServerOptions(defaults.host(), 6060, defaults.maxPayload(),
                defaults.outboundLimit(), defaults.frameTimeout(), defaults.idleTimeout(), defaults.maxClients(),
                defaults.maxClientsPerAddress(), defaults.maxRate(), defaults.maxBurst(), defaults.notices(),
                defaults.cluster(), defaults.grace(), defaults.quiet(), Map.of()));
    }

    @Test
    void aModelSettingReadsItsDefaultUntilSetAndSetBackToItIsAsIfNeverSet() {
        ServerOptions defaults = ServerOptions.defaults();

        assertThat(defaults.get(ModelSetting.LOOPS)).isZero();
        assertThat(defaults.get(ModelSetting.TRANSPORT)).isEqualTo(Transport.AUTO);
        assertThat(defaults.with(ModelSetting.LOOPS, 3).get(ModelSetting.LOOPS)).isEqualTo(3);
        assertThat(defaults.with(ModelSetting.LOOPS, 3).modelSettings()).containsOnlyKeys(ModelSetting.LOOPS);
        assertThat(defaults.with(ModelSetting.LOOPS, 3).with(ModelSetting.LOOPS, 0)).isEqualTo(defaults);
    }

    @Test
    void refusesAModelSettingOfAnotherType() {
        assertThatThrownBy(() -> new ServerOptions("127.0.0.1", 0, 10, 20, Duration.ofMillis(30),
                Duration.ofMillis(40), 50, 80, 90, 100, false, "", Duration.ZERO, true,
                Map.of(ModelSetting.THREADS, "eight")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threads must be between 0 and 100000: eight");
    }

    @Test
    void acceptsTheEdgesOfEveryRange() {
        ServerOptions edges = ServerOptions.defaults().withPort(65_535).withMaxPayload(0).withOutboundLimit(1)
                .withMaxClients(1).with(ModelSetting.THREADS, 100_000).withGrace(Duration.ZERO)
                .withMaxPayload(Integer.MAX_VALUE - 64);

        assertThat(edges.maxPayload()).isEqualTo(Integer.MAX_VALUE - 64);
    }

    @ParameterizedTest
    @MethodSource("invalidChanges")
    void refusesAnInvalidValueNamingTheSetting(UnaryOperator<ServerOptions> change, String setting) {
        assertThatThrownBy(() -> change.apply(ServerOptions.defaults()))
                .isInstanceOfAny(IllegalArgumentException.class, NullPointerException.class)
                .hasMessageContaining(setting);
    }

    static Stream<Arguments> invalidChanges() {
        return Stream.of(
                invalid("no host", o -> o.withHost(null), "host"),
                invalid("negative port", o -> o.withPort(-1), "port"),
                invalid("port above 65535", o -> o.withPort(65_536), "port"),
                invalid("negative maximum payload", o -> o.withMaxPayload(-1), "maxPayload"),
                invalid("a maximum payload whose frame overflows an int", o -> o.withMaxPayload(Integer.MAX_VALUE - 63),
                        "maxPayload"),
                invalid("outbound limit of zero", o -> o.withOutboundLimit(0), "outboundLimit"),
                invalid("zero frame timeout", o -> o.withFrameTimeout(Duration.ZERO), "frameTimeout"),
                invalid("negative frame timeout", o -> o.withFrameTimeout(Duration.ofSeconds(-1)), "frameTimeout"),
                invalid("no frame timeout", o -> o.withFrameTimeout(null), "frameTimeout"),
                invalid("zero idle timeout", o -> o.withIdleTimeout(Duration.ZERO), "idleTimeout"),
                invalid("no idle timeout", o -> o.withIdleTimeout(null), "idleTimeout"),
                invalid("no clients allowed", o -> o.withMaxClients(0), "maxClients"),
                invalid("negative grace", o -> o.withGrace(Duration.ofMillis(-1)), "grace"),
                invalid("no grace", o -> o.withGrace(null), "grace"),
                invalid("negative threads", o -> o.with(ModelSetting.THREADS, -1), "threads"),
                invalid("absurd threads", o -> o.with(ModelSetting.THREADS, 100_001), "threads"),
                invalid("negative loops", o -> o.with(ModelSetting.LOOPS, -1), "loops"),
                invalid("absurd loops", o -> o.with(ModelSetting.LOOPS, 1_025), "loops"),
                invalid("no transport", o -> o.with(ModelSetting.TRANSPORT, null), "transport"));
    }

    private static Arguments invalid(String name, UnaryOperator<ServerOptions> change, String setting) {
        return argumentSet(name, change, setting);
    }
}
