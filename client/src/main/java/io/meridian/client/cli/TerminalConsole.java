package io.meridian.client.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;

/**
 * The interactive shell's terminal, through JLine: line editing, history (kept in a file when
 * one is given), and tab completion of command names and keywords
 * ({@link CommandCompleter}). Ctrl-C at the prompt abandons the line being typed; Ctrl-D on
 * an empty line ends the input.
 *
 * <p>The line returned is exactly what was typed: JLine's history expansion ({@code !}) and
 * backslash handling are off, so {@code !key} and {@code "\x00"} reach the shell's own lexer.
 * Used by one thread; closing it closes the terminal.
 */
final class TerminalConsole implements LineSource, AutoCloseable {

    private static final int HISTORY_ENTRIES_MAX = 1_000;

    private final Terminal terminal;
    private final LineReader reader;

    /**
     * A console on a terminal.
     *
     * @param terminal    the terminal (this console closes it)
     * @param historyFile where to keep history between sessions, or empty to keep it in memory only
     */
    TerminalConsole(Terminal terminal, Optional<Path> historyFile) {
        this.terminal = terminal;
        DefaultParser parser = new DefaultParser();
        // The shell's lexer owns backslashes; JLine's parser only finds words to complete.
        parser.setEscapeChars(new char[0]);
        LineReaderBuilder builder = LineReaderBuilder.builder()
                .appName("meridian")
                .terminal(terminal)
                .parser(parser)
                .completer(new CommandCompleter())
                .variable(LineReader.HISTORY_SIZE, HISTORY_ENTRIES_MAX)
                .variable(LineReader.HISTORY_FILE_SIZE, HISTORY_ENTRIES_MAX)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.HISTORY_IGNORE_SPACE, true);
        historyFile.ifPresent(file -> builder.variable(LineReader.HISTORY_FILE, file));
        this.reader = builder.build();
    }

    @Override
    public Optional<String> readLine(String prompt) {
        while (true) {
            try {
                return Optional.of(reader.readLine(prompt));
            } catch (UserInterruptException e) {
                // Ctrl-C: drop the line being typed and prompt again, as a shell does.
            } catch (EndOfFileException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * Where the shell prints, so that its output and JLine's prompt do not garble each other.
     *
     * @return the terminal's writer
     */
    PrintWriter writer() {
        return terminal.writer();
    }

    /**
     * The history file to use: the given one if it can be written (or created), else none.
     *
     * @param file the preferred file, e.g. {@code ~/.meridian_history}
     * @return the file, or empty when history cannot be saved there
     */
    static Optional<Path> writableHistoryFile(Path file) {
        Path absolute = file.toAbsolutePath();
        boolean writable = Files.exists(absolute) ? Files.isRegularFile(absolute) && Files.isWritable(absolute)
                : absolute.getParent() != null && Files.isDirectory(absolute.getParent()) && Files.isWritable(absolute.getParent());
        return writable ? Optional.of(absolute) : Optional.empty();
    }

    @Override
    public void close() throws IOException {
        // History needs no saving here: JLine appends each line to the file as it is entered.
        terminal.close();
    }
}
