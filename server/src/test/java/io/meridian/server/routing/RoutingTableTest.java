package io.meridian.server.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.meridian.api.internal.v1.DirectoryEntry;
import io.meridian.api.internal.v1.GroupRecord;
import io.meridian.api.internal.v1.MetaState;
import io.meridian.api.internal.v1.NodeRecord;
import io.meridian.api.v1.KeyRange;
import io.meridian.storage.KeySpan;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Shows how a gateway finds where keys live from a hand-built meta state: each key maps to the
 * one range that contains it (also while the directory is behind a split), a span splits into
 * gap-free, non-overlapping pieces in key order, and a directory with a hole covers nothing
 * across the hole.
 */
class RoutingTableTest {

    private static ByteString key(String text) {
        return ByteString.copyFromUtf8(text);
    }

    private static DirectoryEntry entry(long rangeId, String start, String end, long group) {
        return DirectoryEntry.newBuilder().setRangeId(rangeId).setGroupId(group).setGeneration(1)
                .setSpan(KeyRange.newBuilder().setStart(key(start)).setEnd(key(end))).build();
    }

    /** Ranges [-inf, "g") in group 1, ["g", "p") in group 2, ["p", +inf) in group 1. */
    private static MetaState meta(DirectoryEntry... extra) {
        MetaState.Builder meta = MetaState.newBuilder().setClusterName("t")
                .addNodes(NodeRecord.newBuilder().setNodeId("n1").setAddress("h1:1").setZone("a"))
                .addNodes(NodeRecord.newBuilder().setNodeId("n2").setAddress("h2:1").setZone("b"))
                .addGroups(GroupRecord.newBuilder().setGroupId(1).addReplicaNodeIds("n1").addReplicaNodeIds("n2"))
                .addGroups(GroupRecord.newBuilder().setGroupId(2).addReplicaNodeIds("n2").addReplicaNodeIds("gone"))
                .addDirectory(entry(1, "", "g", 1))
                .addDirectory(entry(2, "g", "p", 2))
                .addDirectory(entry(3, "p", "", 1));
        for (DirectoryEntry e : extra) {
            meta.addDirectory(e);
        }
        return meta.build();
    }

    private static long rangeOf(RoutingTable table, String k) {
        return table.rangeFor(key(k)).orElseThrow().getRangeId();
    }

    @Test
    void everyKeyMapsToTheRangeThatContainsIt() {
        RoutingTable table = RoutingTable.of(meta());

        assertEquals(1, rangeOf(table, "\u0000"));
        assertEquals(1, rangeOf(table, "f\u00ff"));
        assertEquals(2, rangeOf(table, "g"));
        assertEquals(2, rangeOf(table, "ozzz"));
        assertEquals(3, rangeOf(table, "p"));
        assertEquals(3, rangeOf(table, "zzzz"));
        assertEquals(2, table.rangeFor(key("h")).orElseThrow().getGroupId());
    }

    @Test
    void keysOrderAsUnsignedBytes() {
        MetaState meta = MetaState.newBuilder().addDirectory(entry(1, "", "\u007f", 1))
                .addDirectory(DirectoryEntry.newBuilder().setRangeId(2).setGroupId(2)
                        .setSpan(KeyRange.newBuilder().setStart(key("\u007f"))).build()).build();
        RoutingTable table = RoutingTable.of(meta);

        assertEquals(2, table.rangeFor(ByteString.copyFrom(new byte[] {(byte) 0x80})).orElseThrow().getRangeId());
        assertEquals(1, table.rangeFor(ByteString.copyFrom(new byte[] {0x10})).orElseThrow().getRangeId());
    }

    @Test
    void aKeyInAHoleOfTheDirectoryHasNoRange() {
        RoutingTable table = RoutingTable.of(MetaState.newBuilder().addDirectory(entry(1, "", "g", 1))
                .addDirectory(entry(2, "m", "", 1)).build());

        assertEquals(Optional.empty(), table.rangeFor(key("h")));
        assertEquals(Optional.empty(), table.pieces(new KeySpan(key("a"), key("z"))));
        assertTrue(table.pieces(new KeySpan(key("a"), key("f"))).isPresent());
        assertFalse(RoutingTable.EMPTY.isKnown());
        assertEquals(Optional.empty(), RoutingTable.EMPTY.rangeFor(key("a")));
    }

    @Test
    void whileTheDirectoryIsBehindASplitTheNewerNarrowerRangeWins() {
        // Range 2 ["g", "p") was split at "k" into 2 ["g", "k") and 4 ["k", "p"), but only the
        // right half reached the directory so far: the stale entry still covers ["g", "p").
        RoutingTable table = RoutingTable.of(meta(entry(4, "k", "p", 2)));

        assertEquals(2, rangeOf(table, "h"));
        assertEquals(4, rangeOf(table, "k"));
        assertEquals(4, rangeOf(table, "o"));
        List<RoutingTable.Piece> pieces = table.pieces(new KeySpan(key("h"), key("z"))).orElseThrow();
        assertEquals(List.of(2L, 4L, 3L), pieces.stream().map(p -> p.entry().getRangeId()).toList());
        assertEquals(new KeySpan(key("h"), key("k")), pieces.get(0).span());
        assertEquals(new KeySpan(key("k"), key("p")), pieces.get(1).span());
        assertEquals(new KeySpan(key("p"), key("z")), pieces.get(2).span());
    }

    @Test
    void aSpanSplitsIntoPiecesInKeyOrderClippedToTheSpan() {
        RoutingTable table = RoutingTable.of(meta());

        List<RoutingTable.Piece> all = table.pieces(KeySpan.ALL).orElseThrow();
        assertEquals(List.of(1L, 2L, 3L), all.stream().map(p -> p.entry().getRangeId()).toList());
        assertEquals(new KeySpan(ByteString.EMPTY, key("g")), all.get(0).span());
        assertEquals(new KeySpan(key("p"), ByteString.EMPTY), all.get(2).span());

        List<RoutingTable.Piece> inner = table.pieces(new KeySpan(key("c"), key("h"))).orElseThrow();
        assertEquals(List.of(new KeySpan(key("c"), key("g")), new KeySpan(key("g"), key("h"))),
                inner.stream().map(RoutingTable.Piece::span).toList());

        List<RoutingTable.Piece> one = table.pieces(new KeySpan(key("h"), key("i"))).orElseThrow();
        assertEquals(1, one.size());
        assertEquals(2, one.get(0).entry().getRangeId());

        List<RoutingTable.Piece> endsAtBoundary = table.pieces(new KeySpan(key("a"), key("g"))).orElseThrow();
        assertEquals(1, endsAtBoundary.size());
    }

    @Test
    void groupsNodesAndMembersAreIndexed() {
        RoutingTable table = RoutingTable.of(meta());

        assertEquals(List.of("n1", "n2"), table.members(1).stream().map(NodeRecord::getNodeId).toList());
        // A member the registry does not know (yet) is left out.
        assertEquals(List.of("n2"), table.members(2).stream().map(NodeRecord::getNodeId).toList());
        assertEquals(List.of(), table.members(9));
        assertEquals("h2:1", table.node("n2").orElseThrow().getAddress());
        assertEquals(List.of(1L, 3L), table.rangesOfGroup(1).stream().map(DirectoryEntry::getRangeId).toList());
        assertEquals(3, table.directory().size());
    }
}
