/**
 * The {@code meridian} command-line shell, on top of the Java SDK: {@code bin/meridian shell}
 * (interactive, or the commands piped into it), {@code bin/meridian exec "cmd; cmd"}, and the
 * shell {@code bin/meridian local} opens on its cluster. {@link io.meridian.client.cli.MeridianShell}
 * is the entry point.
 *
 * <p>The parts, each testable alone: {@code CommandLexer} splits a line into statements and
 * words (quotes, escapes, {@code 0x} hex literals); {@code CommandParser} turns words into a
 * {@code Command}, following the one table of commands in {@code CommandGrammar} that help and
 * tab completion also read; {@code ShellSession} runs commands against a
 * {@link io.meridian.client.MeridianClient}, holding the open transaction, and prints through
 * {@code ShellText} (keys and values as text or hex) and {@code StatusView} (cluster tables);
 * {@code TerminalConsole} is the only class that knows JLine.
 *
 * <p>Invariants: the shell talks to the cluster only through the SDK's public API; a user error
 * (a typo, a refused request, an aborted or ambiguous commit) prints one line starting with
 * {@code error:} and never a stack trace; everything printed as a key or value can be typed back
 * as the same bytes; every read prints the timestamp it read at and every commit its commit
 * timestamp; an ambiguous commit is reported as such, never retried.
 */
package io.meridian.client.cli;
