package io.meridian.client.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.Optional;

/**
 * Where the shell's command lines come from: a terminal with line editing
 * ({@link TerminalConsole}), or plain text read line by line ({@link #of(BufferedReader)}) for
 * piped input and {@code exec}. Used by one thread.
 */
interface LineSource {

    /**
     * Reads the next line, showing the prompt if the source is interactive.
     *
     * @param prompt the prompt, e.g. {@code meridian> }
     * @return the line without its line break, or empty at the end of input
     * @throws IOException if reading fails
     */
    Optional<String> readLine(String prompt) throws IOException;

    /**
     * Lines from plain text, without prompts.
     *
     * @param reader the text (the caller closes it)
     * @return the source
     */
    static LineSource of(BufferedReader reader) {
        return prompt -> Optional.ofNullable(reader.readLine());
    }
}
