package io.meridian.txn;

import com.google.protobuf.ByteString;
import io.meridian.storage.GroupId;
import io.meridian.storage.KeySpan;
import java.util.List;

/**
 * Where keys live, as a gateway knows it: the group serving a key, and a span cut at range
 * boundaries into the pieces each group serves. The node's implementation reads its routing
 * table; a stale answer is corrected by the group refusing the request ({@code WRONG_RANGE}).
 */
public interface KeyRouter {

    /** A piece of a span and the group serving it. */
    record Piece(GroupId group, KeySpan span) {
    }

    /** The group serving {@code key}. */
    GroupId groupOf(ByteString key);

    /** {@code span} cut into the pieces served by one group each, in key order. */
    List<Piece> pieces(KeySpan span);
}
