package io.meridian.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Shows what {@code meridian shell} and {@code meridian exec} accept on their command line:
 * endpoints from {@code --endpoints} or {@code $MERIDIAN_ENDPOINTS}, the commands of
 * {@code exec}, and a one-line reason for everything else.
 */
class ShellOptionsTest {

    private static final Map<String, String> NO_ENVIRONMENT = Map.of();

    @Test
    void shellAndExecTakeEndpointsFromTheFlagOrTheEnvironment() {
        assertEquals(new ShellOptions(false, List.of("127.0.0.1:7101", "127.0.0.1:7102"), List.of()),
                parse(NO_ENVIRONMENT, "shell", "--endpoints", "127.0.0.1:7101, 127.0.0.1:7102"));
        assertEquals(new ShellOptions(true, List.of("h:1"), List.of("put a 1; get a", "scan")),
                parse(NO_ENVIRONMENT, "exec", "--endpoints=h:1", "put a 1; get a", "scan"));
        assertEquals(new ShellOptions(false, List.of("env:7100"), List.of()),
                parse(Map.of(ShellOptions.ENDPOINTS_VARIABLE, "env:7100"), "shell"));
        assertEquals(new ShellOptions(true, List.of("flag:1"), List.of("--odd")),
                parse(Map.of(ShellOptions.ENDPOINTS_VARIABLE, "env:7100"), "exec", "--endpoints", "flag:1", "--", "--odd"));
        assertEquals(Optional.empty(), ShellOptions.parse(new String[] {"exec", "--help"}, NO_ENVIRONMENT));
    }

    @Test
    void mistakesAreRefusedWithAReason() {
        assertEquals("no endpoints: give --endpoints HOST:PORT,... or set MERIDIAN_ENDPOINTS", error("shell"));
        assertEquals("--endpoints needs a value, e.g. --endpoints 127.0.0.1:7100", error("shell", "--endpoints"));
        assertEquals("no endpoints: give --endpoints HOST:PORT,... or set MERIDIAN_ENDPOINTS", error("shell", "--endpoints", " , "));
        assertEquals("unknown option '--colour'", error("shell", "--colour"));
        assertEquals("shell takes no commands ('get a'): pipe them into it, or use exec", error("shell", "--endpoints", "h:1", "get a"));
        assertEquals("exec needs the commands to run, e.g. exec \"put a 1; get a\"", error("exec", "--endpoints", "h:1"));
        assertEquals("the first argument must be shell or exec", error("query"));
    }

    private static ShellOptions parse(Map<String, String> environment, String... args) {
        return ShellOptions.parse(args, environment).orElseThrow();
    }

    private static String error(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> ShellOptions.parse(args, NO_ENVIRONMENT)).getMessage();
    }
}
