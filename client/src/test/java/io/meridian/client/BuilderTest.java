package io.meridian.client;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Shows that bad client configuration fails at once, in the builder, with an
 * {@link IllegalArgumentException} whose message names the setting and the bad value.
 */
class BuilderTest {

    private static void assertRefused(String expectedInMessage, Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
    }

    @Test
    void endpointsMustBeHostAndPort() {
        assertRefused("at least one endpoint", () -> MeridianClient.builder().build());
        assertRefused("empty", () -> MeridianClient.builder().endpoints(""));
        assertRefused("'localhost' is not host:port", () -> MeridianClient.builder().endpoints("localhost"));
        assertRefused("'localhost:' is not host:port", () -> MeridianClient.builder().endpoints("localhost:"));
        assertRefused("not a number", () -> MeridianClient.builder().endpoints("localhost:http"));
        assertRefused("outside [1, 65535]", () -> MeridianClient.builder().endpoints("localhost:70000"));
        assertRefused("IPv6", () -> MeridianClient.builder().endpoints("::1:7000"));
    }

    @Test
    void validEndpointsAreAccepted() {
        MeridianClient.builder().endpoints("localhost:7000", "[::1]:7001", "10.0.0.1:1").build().close();
    }

    @Test
    void timeoutsAndPoolSizeMustBePositive() {
        assertRefused("callTimeout", () -> MeridianClient.builder().callTimeout(Duration.ZERO));
        assertRefused("transactionTimeout", () -> MeridianClient.builder().transactionTimeout(Duration.ofSeconds(-1)));
        assertRefused("channelsPerEndpoint", () -> MeridianClient.builder().channelsPerEndpoint(0));
        assertRefused("channelsPerEndpoint", () -> MeridianClient.builder().channelsPerEndpoint(65));
    }

    @Test
    void retrySettingsAreChecked() {
        assertRefused("initialBackoff", () -> new RetrySettings(Duration.ZERO, Duration.ofSeconds(1), 2, 0.5));
        assertRefused("maxBackoff", () -> new RetrySettings(Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 0.5));
        assertRefused("multiplier", () -> RetrySettings.defaults().withMultiplier(0.5));
        assertRefused("multiplier", () -> RetrySettings.defaults().withMultiplier(Double.NaN));
        assertRefused("jitter", () -> RetrySettings.defaults().withJitter(1.5));
    }
}
