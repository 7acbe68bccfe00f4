package io.meridian.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shows the JLine side of the interactive shell on a scripted terminal: lines reach the shell
 * exactly as typed (no history expansion of {@code !}, no backslash removal), the prompt is
 * shown, end of input ends the session, history goes to its file when that can be written and
 * nowhere when it cannot, and Tab completes command names, then each command's keywords.
 */
class TerminalConsoleTest {

    @TempDir
    Path dir;

    @Test
    void linesArriveExactlyAsTypedAndEndOfInputEndsTheSession() throws Exception {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        String typed = "get !key\nput \"a\\x00\" '\\n'\n";
        try (TerminalConsole console = new TerminalConsole(terminal(typed, screen), Optional.empty())) {
            assertEquals(Optional.of("get !key"), console.readLine("meridian> "));
            assertEquals(Optional.of("put \"a\\x00\" '\\n'"), console.readLine("meridian> "));
            assertEquals(Optional.empty(), console.readLine("meridian> "));
        }
        assertTrue(screen.toString(StandardCharsets.UTF_8).contains("meridian> "), screen.toString(StandardCharsets.UTF_8));
    }

    @Test
    void historyIsKeptInItsFile() throws Exception {
        Path history = dir.resolve("history");
        try (TerminalConsole console = new TerminalConsole(terminal("put a 1\nget a\n", new ByteArrayOutputStream()),
                TerminalConsole.writableHistoryFile(history))) {
            while (console.readLine("> ").isPresent()) {
                // Read every line.
            }
        }
        List<String> saved = Files.readAllLines(history);
        assertEquals(2, saved.size(), saved.toString());
        assertTrue(saved.get(0).endsWith("put a 1") && saved.get(1).endsWith("get a"), saved.toString());
    }

    @Test
    void historyIsOffWhereItCannotBeWritten() throws Exception {
        Path blocker = Files.writeString(dir.resolve("a-file"), "");
        assertEquals(Optional.empty(), TerminalConsole.writableHistoryFile(blocker.resolve("history")));
        assertEquals(Optional.empty(), TerminalConsole.writableHistoryFile(dir), "a directory is not a history file");
        assertEquals(Optional.of(dir.resolve("h")), TerminalConsole.writableHistoryFile(dir.resolve("h")));
    }

    @Test
    void tabCompletesCommandNamesThenTheCommandsKeywords() {
        assertTrue(CommandCompleter.choices(List.of()).containsAll(List.of("get", "scan", "delete-range", "begin", "\\timing", "quit")));
        assertEquals(List.of("limit", "reverse", "strong", "at", "min", "stale", "max-stale"), CommandCompleter.choices(List.of("scan", "a")));
        assertEquals(List.of("read-write", "read-only", "strong", "at", "min", "stale", "max-stale"), CommandCompleter.choices(List.of("BEGIN")));
        assertEquals(List.of("on", "off"), CommandCompleter.choices(List.of("\\timing")));
        assertEquals(List.of(), CommandCompleter.choices(List.of("put", "k")));
        assertEquals(List.of(), CommandCompleter.choices(List.of("frobnicate")));
        assertTrue(CommandCompleter.choices(List.of("put", "a", "1;")).contains("commit"), "a new statement after ;");
    }

    private static Terminal terminal(String typed, ByteArrayOutputStream screen) throws Exception {
        return new DumbTerminal(new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)), screen);
    }
}
