package io.meridian.txn.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Invariant 3: in every group, the timestamps leaders assign strictly increase in log order,
 * across leader changes. Read from the groups' logs: every applied {@code Write},
 * {@code Prepare} and {@code CommitTxn} timestamp must be above every timestamp assigned before
 * it in the group and above every closed timestamp an earlier applied lease promised. A command
 * the state machine refused as stale ({@code STALE_TIMESTAMP}) is a leader that assigned a
 * timestamp at or below one already used, and counts too.
 */
final class LogTimestampCheck implements HistoryCheck {

    static final String NAME = "3 per-group timestamps";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Violation> check(Observations observations) {
        Map<Long, List<LoggedCommand>> byGroup = new TreeMap<>();
        for (LoggedCommand command : observations.log()) {
            byGroup.computeIfAbsent(command.group(), g -> new ArrayList<>()).add(command);
        }
        List<Violation> found = new ArrayList<>();
        for (List<LoggedCommand> commands : byGroup.values()) {
            commands.sort(java.util.Comparator.comparingLong(LoggedCommand::index));
            LoggedCommand highest = null;
            for (LoggedCommand command : commands) {
                if (!command.applied()) {
                    if (command.rejectReason().contains("STALE_TIMESTAMP")) {
                        found.add(new Violation(NAME, describe(command) + " was refused as stale: its leader assigned a"
                                + " timestamp not above the group's last"));
                    }
                    continue;
                }
                boolean assigned = !command.kind().equals(LoggedCommand.LEASE);
                if (assigned && highest != null && command.tsMicros() <= highest.tsMicros()) {
                    found.add(new Violation(NAME, describe(command) + " is not above " + describe(highest)
                            + " earlier in the log"));
                }
                if (highest == null || command.tsMicros() > highest.tsMicros()) {
                    highest = command;
                }
            }
        }
        return Reports.capped(NAME, found);
    }

    private static String describe(LoggedCommand command) {
        return "group-" + command.group() + " " + command.kind() + " at index " + command.index() + " ts "
                + command.tsMicros() + "us";
    }
}
