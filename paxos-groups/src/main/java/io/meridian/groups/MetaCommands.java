package io.meridian.groups;

import io.meridian.api.internal.v1.CommandReply;
import io.meridian.api.internal.v1.DirectoryEntry;
import io.meridian.api.internal.v1.DirectoryUpdate;
import io.meridian.api.internal.v1.GroupRecord;
import io.meridian.api.internal.v1.MetaCommand;
import io.meridian.api.internal.v1.MetaState;
import io.meridian.api.internal.v1.NodeRecord;
import io.meridian.storage.Keys;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The meta group's commands as a pure function of the applied {@link MetaState} and a
 * {@link MetaCommand}. Lists in the state are kept sorted (nodes by id, groups by id, the
 * directory by span start then range id) so that equal histories give byte-equal states.
 *
 * <ul>
 *   <li>{@code bootstrap}: the first one sets the whole state (with {@code next_group_id}
 *       raised above every group it lists, and to at least 1); later ones change nothing.</li>
 *   <li>{@code upsert_node}, {@code upsert_group}: replace the record with the same id, or add
 *       it; an upserted group raises {@code next_group_id} above its id.</li>
 *   <li>{@code directory_update}: each entry replaces the entry of its range id unless the
 *       stored one has a higher generation; then {@code removed_range_ids} are deleted.</li>
 *   <li>{@code allocate_group_id}: replies with {@code next_group_id} in
 *       {@code Applied.ts_micros} and increments it.</li>
 * </ul>
 * Every command but {@code bootstrap} is refused ({@code INVALID}) before the bootstrap.
 */
final class MetaCommands {

    private static final Comparator<DirectoryEntry> DIRECTORY_ORDER =
            Comparator.comparing((DirectoryEntry entry) -> entry.getSpan().getStart(), Keys.ORDER)
                    .thenComparingLong(DirectoryEntry::getRangeId);

    /** The state after a command and the reply; a rejection leaves the state as it was. */
    record Result(Optional<MetaState> state, CommandReply reply) {
    }

    private MetaCommands() {
    }

    /** Applies {@code command} to {@code current} (empty before the bootstrap). */
    static Result apply(Optional<MetaState> current, MetaCommand command) {
        if (command.getKindCase() == MetaCommand.KindCase.BOOTSTRAP) {
            return current.isPresent()
                    ? applied(current, 0)
                    : applied(Optional.of(bootstrap(command.getBootstrap())), 0);
        }
        if (current.isEmpty()) {
            return rejected(current, "the meta group is not bootstrapped");
        }
        MetaState state = current.get();
        return switch (command.getKindCase()) {
            case UPSERT_NODE -> applied(Optional.of(upsertNode(state, command.getUpsertNode())), 0);
            case UPSERT_GROUP -> applied(Optional.of(upsertGroup(state, command.getUpsertGroup())), 0);
            case DIRECTORY_UPDATE -> applied(Optional.of(updateDirectory(state, command.getDirectoryUpdate())), 0);
            case ALLOCATE_GROUP_ID -> applied(Optional.of(state.toBuilder()
                    .setNextGroupId(state.getNextGroupId() + 1).build()), state.getNextGroupId());
            case BOOTSTRAP, KIND_NOT_SET -> rejected(current, "meta command has no kind");
        };
    }

    private static MetaState bootstrap(MetaState given) {
        MetaState.Builder state = given.toBuilder()
                .clearNodes().addAllNodes(sortedNodes(given.getNodesList()))
                .clearGroups().addAllGroups(sortedGroups(given.getGroupsList()))
                .clearDirectory().addAllDirectory(given.getDirectoryList().stream().sorted(DIRECTORY_ORDER).toList());
        long next = Math.max(1, given.getNextGroupId());
        for (GroupRecord group : given.getGroupsList()) {
            next = Math.max(next, group.getGroupId() + 1);
        }
        return state.setNextGroupId(next).build();
    }

    private static MetaState upsertNode(MetaState state, NodeRecord node) {
        List<NodeRecord> nodes = new ArrayList<>(state.getNodesList());
        nodes.removeIf(existing -> existing.getNodeId().equals(node.getNodeId()));
        nodes.add(node);
        return state.toBuilder().clearNodes().addAllNodes(sortedNodes(nodes)).build();
    }

    private static MetaState upsertGroup(MetaState state, GroupRecord group) {
        List<GroupRecord> groups = new ArrayList<>(state.getGroupsList());
        groups.removeIf(existing -> existing.getGroupId() == group.getGroupId());
        groups.add(group);
        return state.toBuilder().clearGroups().addAllGroups(sortedGroups(groups))
                .setNextGroupId(Math.max(state.getNextGroupId(), group.getGroupId() + 1)).build();
    }

    private static MetaState updateDirectory(MetaState state, DirectoryUpdate update) {
        Map<Long, DirectoryEntry> byRange = new LinkedHashMap<>();
        state.getDirectoryList().forEach(entry -> byRange.put(entry.getRangeId(), entry));
        for (DirectoryEntry entry : update.getEntriesList()) {
            DirectoryEntry stored = byRange.get(entry.getRangeId());
            if (stored == null || entry.getGeneration() >= stored.getGeneration()) {
                byRange.put(entry.getRangeId(), entry);
            }
        }
        Set<Long> removed = new HashSet<>(update.getRemovedRangeIdsList());
        List<DirectoryEntry> directory = byRange.values().stream()
                .filter(entry -> !removed.contains(entry.getRangeId()))
                .sorted(DIRECTORY_ORDER)
                .toList();
        return state.toBuilder().clearDirectory().addAllDirectory(directory).build();
    }

    private static List<NodeRecord> sortedNodes(List<NodeRecord> nodes) {
        return nodes.stream().sorted(Comparator.comparing(NodeRecord::getNodeId)).toList();
    }

    private static List<GroupRecord> sortedGroups(List<GroupRecord> groups) {
        return groups.stream().sorted(Comparator.comparingLong(GroupRecord::getGroupId)).toList();
    }

    private static Result applied(Optional<MetaState> state, long value) {
        return new Result(state, CommandReply.newBuilder()
                .setApplied(CommandReply.Applied.newBuilder().setTsMicros(value)).build());
    }

    private static Result rejected(Optional<MetaState> state, String message) {
        return new Result(state, Rejection.invalid(message).reply(List.of()));
    }
}
