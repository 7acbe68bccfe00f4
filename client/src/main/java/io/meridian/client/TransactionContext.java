package io.meridian.client;

import com.google.protobuf.ByteString;
import java.util.Arrays;
import java.util.List;

/**
 * One attempt of a read-write transaction: locking reads (shared locks at the leaders, the
 * latest committed values) and buffered writes sent with the commit. Writes are not visible
 * to this transaction's own reads.
 *
 * <p>The transaction begins lazily: on its first read, at the node leading the first key read;
 * a transaction that only writes commits its buffered mutations in one single-use commit.
 *
 * <p>Thread-safe while the attempt is open; using it after the attempt ended throws
 * {@link IllegalStateException}.
 */
public interface TransactionContext extends ReadContext {

    /** Buffers a put of {@code key} to {@code value}. */
    default void put(ByteString key, ByteString value) {
        buffer(Mutation.put(key, value));
    }

    /** Buffers a put of UTF-8 {@code key} to UTF-8 {@code value}. */
    default void put(String key, String value) {
        buffer(Mutation.put(key, value));
    }

    /** Buffers a delete of {@code key}. */
    default void delete(ByteString key) {
        buffer(Mutation.delete(key));
    }

    /** Buffers a delete of UTF-8 {@code key}. */
    default void delete(String key) {
        buffer(Mutation.delete(key));
    }

    /** Buffers a delete of every key in {@code span}. */
    default void deleteRange(KeySpan span) {
        buffer(Mutation.deleteRange(span));
    }

    /** Buffers mutations, applied in buffering order at commit. */
    default void buffer(Mutation... mutations) {
        buffer(Arrays.asList(mutations));
    }

    /** Buffers mutations, applied in buffering order at commit. */
    void buffer(List<Mutation> mutations);

    /** The mutations buffered so far, in order. */
    List<Mutation> bufferedMutations();

    /** Which attempt this is: 1 for the first run of the transaction function, 2 after one abort, … */
    int attempt();
}
