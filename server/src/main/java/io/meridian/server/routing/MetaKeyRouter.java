package io.meridian.server.routing;

import com.google.protobuf.ByteString;
import io.meridian.server.status.ErrorReason;
import io.meridian.server.status.RequestFailedException;
import io.meridian.storage.GroupId;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Keys;
import io.meridian.txn.KeyRouter;
import java.util.List;
import java.util.Objects;

/**
 * The gateway's {@link KeyRouter}: the routing table of the {@link MetaCache}. A key or span the
 * table does not cover fails with {@code UNAVAILABLE}; a stale answer is refused by the group
 * ({@code WRONG_RANGE}) and the caller refreshes the cache.
 */
public final class MetaKeyRouter implements KeyRouter {

    private final MetaCache meta;

    public MetaKeyRouter(MetaCache meta) {
        this.meta = Objects.requireNonNull(meta, "meta");
    }

    @Override
    public GroupId groupOf(ByteString key) {
        return meta.table().rangeFor(key).map(entry -> new GroupId(entry.getGroupId()))
                .orElseThrow(() -> new RequestFailedException(ErrorReason.UNAVAILABLE,
                        "no range is known for key " + Keys.describe(key) + " yet"));
    }

    @Override
    public List<Piece> pieces(KeySpan span) {
        return meta.table().pieces(span)
                .orElseThrow(() -> new RequestFailedException(ErrorReason.UNAVAILABLE,
                        "the ranges of " + span + " are not all known yet"))
                .stream().map(piece -> new Piece(new GroupId(piece.entry().getGroupId()), piece.span())).toList();
    }
}
