package io.meridian.server.routing;

import com.google.protobuf.ByteString;
import io.meridian.api.internal.v1.DirectoryEntry;
import io.meridian.api.internal.v1.GroupRecord;
import io.meridian.api.internal.v1.MetaState;
import io.meridian.api.internal.v1.NodeRecord;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Keys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable, indexed view of one {@link MetaState}: the directory by start key, the groups
 * and the nodes by id. Lookups are {@code O(log ranges)}. Thread-safe.
 *
 * <p>The directory may be briefly behind a split (the left half still covering the right one);
 * a key then maps to the entry with the greatest start at or below it that contains it, which is
 * the newer, narrower one.
 */
public final class RoutingTable {

    /** The table of a node that knows nothing yet. */
    public static final RoutingTable EMPTY = new RoutingTable(MetaState.getDefaultInstance());

    private final MetaState meta;
    private final NavigableMap<ByteString, DirectoryEntry> byStart = new TreeMap<>(Keys.ORDER);
    private final Map<Long, GroupRecord> groups = new HashMap<>();
    private final Map<String, NodeRecord> nodes = new HashMap<>();

    private RoutingTable(MetaState meta) {
        this.meta = meta;
        for (DirectoryEntry entry : meta.getDirectoryList()) {
            DirectoryEntry previous = byStart.put(entry.getSpan().getStart(), entry);
            // Two entries with one start: a stale one left by a split; keep the narrower.
            if (previous != null && isNarrower(previous, entry)) {
                byStart.put(previous.getSpan().getStart(), previous);
            }
        }
        meta.getGroupsList().forEach(g -> groups.put(g.getGroupId(), g));
        meta.getNodesList().forEach(n -> nodes.put(n.getNodeId(), n));
    }

    /** The table for {@code meta}. */
    public static RoutingTable of(MetaState meta) {
        return new RoutingTable(Objects.requireNonNull(meta, "meta"));
    }

    private static boolean isNarrower(DirectoryEntry a, DirectoryEntry b) {
        ByteString endA = a.getSpan().getEnd();
        ByteString endB = b.getSpan().getEnd();
        return !endA.isEmpty() && (endB.isEmpty() || Keys.compare(endA, endB) < 0);
    }

    /** The meta state this table indexes. */
    public MetaState meta() {
        return meta;
    }

    /** True when the table has a directory at all. */
    public boolean isKnown() {
        return !byStart.isEmpty();
    }

    /** The directory entry whose span contains {@code key}, if any. */
    public Optional<DirectoryEntry> rangeFor(ByteString key) {
        var floor = byStart.floorEntry(key);
        if (floor == null) {
            return Optional.empty();
        }
        DirectoryEntry entry = floor.getValue();
        ByteString end = entry.getSpan().getEnd();
        return end.isEmpty() || Keys.compare(key, end) < 0 ? Optional.of(entry) : Optional.empty();
    }

    /**
     * The directory entries overlapping {@code span}, in key order. The caller checks that they
     * cover it (see {@link #covers}).
     */
    public List<DirectoryEntry> rangesOverlapping(KeySpan span) {
        List<DirectoryEntry> found = new ArrayList<>();
        ByteString from = Optional.ofNullable(byStart.floorKey(span.start())).orElse(span.start());
        for (DirectoryEntry entry : byStart.tailMap(from, true).values()) {
            ByteString start = entry.getSpan().getStart();
            if (span.hasEnd() && Keys.compare(start, span.end()) >= 0) {
                break;
            }
            ByteString end = entry.getSpan().getEnd();
            if (end.isEmpty() || Keys.compare(end, span.start()) > 0) {
                found.add(entry);
            }
        }
        return found;
    }

    /**
     * One piece of a span: the part of it one directory entry serves.
     *
     * @param entry the directory entry
     * @param span the part of the requested span inside the entry, clipped so pieces never overlap
     */
    public record Piece(DirectoryEntry entry, KeySpan span) {
    }

    /**
     * Splits {@code span} into pieces, one per directory entry, in key order, without gaps or
     * overlaps; empty when the directory does not cover the whole span.
     */
    public Optional<List<Piece>> pieces(KeySpan span) {
        List<DirectoryEntry> entries = rangesOverlapping(span);
        List<Piece> pieces = new ArrayList<>();
        ByteString reached = span.start();
        for (int i = 0; i < entries.size(); i++) {
            DirectoryEntry entry = entries.get(i);
            if (Keys.compare(entry.getSpan().getStart(), reached) > 0) {
                return Optional.empty();
            }
            ByteString end = entry.getSpan().getEnd();
            if (i + 1 < entries.size()) {
                ByteString nextStart = entries.get(i + 1).getSpan().getStart();
                if (end.isEmpty() || Keys.compare(nextStart, end) < 0) {
                    end = nextStart;
                }
            }
            if (span.hasEnd() && (end.isEmpty() || Keys.compare(end, span.end()) > 0)) {
                end = span.end();
            }
            if (!end.isEmpty() && Keys.compare(end, reached) <= 0) {
                continue;
            }
            pieces.add(new Piece(entry, new KeySpan(reached, end)));
            if (end.isEmpty() || (span.hasEnd() && end.equals(span.end()))) {
                return Optional.of(pieces);
            }
            reached = end;
        }
        return Optional.empty();
    }

    /** The group record of {@code groupId}, if known. */
    public Optional<GroupRecord> group(long groupId) {
        return Optional.ofNullable(groups.get(groupId));
    }

    /** The node record of {@code nodeId}, if registered. */
    public Optional<NodeRecord> node(String nodeId) {
        return Optional.ofNullable(nodes.get(nodeId));
    }

    /** The registered nodes holding a replica of {@code groupId}, in the group record's order. */
    public List<NodeRecord> members(long groupId) {
        return group(groupId).map(g -> g.getReplicaNodeIdsList().stream()
                .map(nodes::get).filter(Objects::nonNull).toList()).orElse(List.of());
    }

    /** The directory entries of ranges in {@code groupId}, in key order. */
    public List<DirectoryEntry> rangesOfGroup(long groupId) {
        return byStart.values().stream().filter(e -> e.getGroupId() == groupId).toList();
    }

    /** Every directory entry in key order. */
    public List<DirectoryEntry> directory() {
        return List.copyOf(byStart.values());
    }
}
