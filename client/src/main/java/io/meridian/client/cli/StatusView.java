package io.meridian.client.cli;

import io.meridian.api.v1.GroupInfo;
import io.meridian.api.v1.KeyRange;
import io.meridian.api.v1.Node;
import io.meridian.api.v1.NodeHealth;
import io.meridian.api.v1.RangeDescriptor;
import io.meridian.api.v1.RangeInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The shell's cluster tables, for {@code status} and {@code ranges}: nodes (address, zone, health,
 * ε), ranges (span, group, leader, replicas, size) and groups (leader, replicas, ranges), as
 * aligned plain text with a header line. Stateless.
 */
final class StatusView {

    private StatusView() {
    }

    /**
     * The nodes table.
     *
     * @param nodes what Admin.ListNodes returned
     * @return the lines, header first
     */
    static List<String> nodes(List<Node> nodes) {
        Table table = new Table("node", "address", "region", "zone", "health", "epsilon");
        for (Node node : nodes) {
            table.row(node.getNodeId(), node.getAddress(), node.getRegion(), node.getZone(),
                    health(node.getHealth()), ShellText.epsilon(node.getEpsilonMicros()));
        }
        return table.lines();
    }

    /**
     * The ranges table.
     *
     * @param ranges what Admin.ListRanges returned
     * @return the lines, header first
     */
    static List<String> ranges(List<RangeInfo> ranges) {
        Table table = new Table("range", "span", "group", "leader", "replicas", "bytes");
        for (RangeInfo info : ranges) {
            RangeDescriptor range = info.getRange();
            table.row(Long.toString(range.getRangeId()), span(range.getSpan()), Long.toString(range.getGroupId()),
                    orNone(range.getLeaderNodeId()), String.join(",", range.getReplicaNodeIdsList()),
                    info.getApproximateBytes() < 0 ? "?" : Long.toString(info.getApproximateBytes()));
        }
        return table.lines();
    }

    /**
     * The groups table.
     *
     * @param groups what Admin.ListGroups returned
     * @return the lines, header first
     */
    static List<String> groups(List<GroupInfo> groups) {
        Table table = new Table("group", "leader", "replicas", "ranges");
        for (GroupInfo group : groups) {
            table.row(Long.toString(group.getGroupId()), orNone(group.getLeaderNodeId()),
                    String.join(",", group.getReplicaNodeIdsList()),
                    group.getRangeIdsList().stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
        return table.lines();
    }

    /**
     * A key range as {@code [start, end)}, with {@code -inf} and {@code +inf} for the open ends.
     *
     * @param span the range
     * @return the text
     */
    static String span(KeyRange span) {
        String start = span.getStart().isEmpty() ? "-inf" : ShellText.show(span.getStart());
        String end = span.getEnd().isEmpty() ? "+inf" : ShellText.show(span.getEnd());
        return "[" + start + ", " + end + ")";
    }

    private static String health(NodeHealth health) {
        return switch (health) {
            case NODE_HEALTH_SERVING -> "serving";
            case NODE_HEALTH_FENCED -> "FENCED";
            case NODE_HEALTH_UNREACHABLE -> "UNREACHABLE";
            case NODE_HEALTH_UNSPECIFIED, UNRECOGNIZED -> "?";
        };
    }

    private static String orNone(String nodeId) {
        return nodeId.isEmpty() ? "(none)" : nodeId;
    }

    /** Columns padded to their widest cell, two spaces apart. */
    private static final class Table {
        private final List<String[]> rows = new ArrayList<>();

        Table(String... header) {
            rows.add(header);
        }

        void row(String... cells) {
            rows.add(cells);
        }

        List<String> lines() {
            int columns = rows.get(0).length;
            int[] widths = new int[columns];
            for (String[] row : rows) {
                for (int c = 0; c < columns; c++) {
                    widths[c] = Math.max(widths[c], row[c].length());
                }
            }
            List<String> lines = new ArrayList<>();
            for (String[] row : rows) {
                StringBuilder line = new StringBuilder(" ");
                for (int c = 0; c < columns; c++) {
                    line.append(' ').append(c == columns - 1 ? row[c] : pad(row[c], widths[c])).append(c == columns - 1 ? "" : " ");
                }
                lines.add(line.toString().stripTrailing());
            }
            return lines;
        }

        private static String pad(String cell, int width) {
            return cell + " ".repeat(width - cell.length());
        }
    }
}
