package io.meridian.client.cli;

import com.google.protobuf.ByteString;
import io.meridian.client.TimestampBound;
import java.util.Optional;

/**
 * One parsed shell command ({@link CommandParser} makes them, {@link ShellSession} runs them).
 * Keys and values are bytes; a read's bound is empty when none was typed (strong outside a
 * transaction, the transaction's own inside one).
 */
sealed interface Command {

    /**
     * {@code get <key> [bound]}.
     *
     * @param key   the key
     * @param bound the bound typed, if any
     */
    record Get(ByteString key, Optional<TimestampBound> bound) implements Command {
    }

    /**
     * {@code scan [<start> [<end>]] [limit <n>] [reverse] [bound]}.
     *
     * @param start   the first key (empty: the start of the keyspace)
     * @param end     the key after the last (empty: the end of the keyspace)
     * @param limit   the most rows to print, at least 1
     * @param reverse true to read from the end down
     * @param bound   the bound typed, if any
     */
    record Scan(ByteString start, ByteString end, int limit, boolean reverse, Optional<TimestampBound> bound)
            implements Command {
    }

    /**
     * {@code put <key> <value>}.
     *
     * @param key   the key
     * @param value the value
     */
    record Put(ByteString key, ByteString value) implements Command {
    }

    /**
     * {@code delete <key>}.
     *
     * @param key the key
     */
    record Delete(ByteString key) implements Command {
    }

    /**
     * {@code delete-range <start> <end>}.
     *
     * @param start the first key deleted
     * @param end   the key after the last deleted (empty: the end of the keyspace)
     */
    record DeleteRange(ByteString start, ByteString end) implements Command {
    }

    /** {@code begin} or {@code begin read-write}. */
    record BeginReadWrite() implements Command {
    }

    /**
     * {@code begin read-only [bound]}.
     *
     * @param bound the snapshot every read of the transaction sees
     */
    record BeginReadOnly(TimestampBound bound) implements Command {
    }

    /** {@code commit}. */
    record Commit() implements Command {
    }

    /** {@code rollback}. */
    record Rollback() implements Command {
    }

    /** {@code status}. */
    record Status() implements Command {
    }

    /** {@code ranges}. */
    record Ranges() implements Command {
    }

    /**
     * {@code \timing [on | off]}.
     *
     * @param on the new setting, or empty to toggle
     */
    record Timing(Optional<Boolean> on) implements Command {
    }

    /** {@code help}. */
    record Help() implements Command {
    }

    /** {@code quit}. */
    record Quit() implements Command {
    }
}
