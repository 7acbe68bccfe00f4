package io.meridian.txn.sim;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.meridian.api.internal.v1.CommandReply;
import io.meridian.api.internal.v1.GroupCommand;
import io.meridian.api.internal.v1.RangeState;
import io.meridian.groups.Mutations;
import io.meridian.groups.SimGroupLog;
import io.meridian.storage.KeySpan;
import io.meridian.storage.PreparedTxn;
import io.meridian.storage.StoredVersion;
import io.meridian.storage.VersionPage;
import io.meridian.truetime.Timestamp;
import io.meridian.txn.sim.History.Outcome;
import io.meridian.txn.sim.SimWorld.Group;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One simulated run from a {@link SimConfig}: builds the {@link SimWorld}, runs the workloads
 * with faults for the configured true time, heals every fault, lets every transaction finish and
 * every prepared transaction resolve, commits a final transaction over every key and reads a
 * final snapshot, then gathers the {@link Observations} (history, final stored versions, the
 * groups' logs) and runs {@link HistoryChecks}.
 */
final class SimRun {

    /** How long clients get to finish once faults have healed. */
    static final long DRAIN_LIMIT_MICROS = 10_000_000;
    /** How long prepared transactions get to resolve after that. */
    static final long RESOLVE_LIMIT_MICROS = 5_000_000;

    /** What a run found. */
    record Result(SimConfig config, List<Violation> violations, String summary) {
        boolean passed() {
            return violations.isEmpty();
        }
    }

    private SimRun() {
    }

    /** Runs {@code config} with its stores in a fresh directory under {@code baseDir}, deleted afterwards. */
    static Result run(SimConfig config, Path baseDir) {
        Path dir;
        try {
            dir = Files.createTempDirectory(baseDir, "sim-" + config.seed() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long wallStartNanos = System.nanoTime();
        try (SimWorld world = new SimWorld(config, dir)) {
            return runIn(world, wallStartNanos);
        } finally {
            delete(dir);
        }
    }

    private static Result runIn(SimWorld world, long wallStartNanos) {
        world.start();
        long beganMicros = world.nowMicros();
        Workloads workloads = clients(world);
        long stopMicros = beganMicros + world.config.workload().toNanos() / 1_000;
        SimFaults faults = new SimFaults(world, stopMicros);
        if (world.config.faults()) {
            faults.start();
        }
        workloads.start(stopMicros);
        world.scheduler.runUntil(stopMicros);
        faults.healAll();
        List<String> leftovers = settle(world, workloads);
        workloads.closeOpenAttempts();
        world.checkClocksHonest();

        Observations observations = new Observations(workloads.history, finalModel(world), loggedCommands(world),
                leftovers, world.violations, world.accounts, SimWorld.INITIAL_BALANCE * world.accounts.size(),
                world.listKeys);
        List<Violation> violations = HistoryChecks.run(observations);
        long wallMillis = (System.nanoTime() - wallStartNanos) / 1_000_000;
        String summary = "seed " + world.config.seed() + " (" + world.config.clocks() + "): " + world.nodes.size()
                + " nodes, " + world.groups.size() + " groups, " + world.accounts.size() + " accounts, "
                + world.listKeys.size() + " lists; " + (world.nowMicros() - beganMicros) / 1_000 + " ms simulated in "
                + wallMillis + " ms; " + multiGroupCommits(world, workloads.history) + " multi-group commits; attempts "
                + workloads.tally() + "; faults " + world.faultTally() + "; network "
                + world.network.tally() + "; " + violations.size() + " violations";
        return new Result(world.config, violations, summary);
    }

    /** Two to four bank clients, two or three list-append clients, a snapshot reader of each. */
    private static Workloads clients(SimWorld world) {
        Workloads workloads = new Workloads(world);
        for (int i = 0, n = 2 + world.random.nextInt(3); i < n; i++) {
            workloads.add(new BankClient(workloads, "bank" + i));
        }
        for (int i = 0, n = 2 + world.random.nextInt(2); i < n; i++) {
            workloads.add(new ListAppendClient(workloads, "list" + i));
        }
        workloads.add(new SnapshotClient(workloads, "audit", world.accounts, Integer.MAX_VALUE));
        workloads.add(new SnapshotClient(workloads, "lists", world.listKeys, Integer.MAX_VALUE));
        return workloads;
    }

    /**
     * After the faults healed: lets every client finish, every prepared transaction resolve, then
     * commits the final transaction over every key and reads the final snapshots. Returns what
     * was left over (a liveness failure).
     */
    private static List<String> settle(SimWorld world, Workloads workloads) {
        List<String> leftovers = new ArrayList<>();
        if (!world.runWhileNot(workloads::idle, DRAIN_LIMIT_MICROS)) {
            leftovers.add("clients still busy " + DRAIN_LIMIT_MICROS + "us after the faults healed");
        }
        if (!world.runWhileNot(() -> prepared(world).isEmpty(), RESOLVE_LIMIT_MICROS)) {
            leftovers.add("prepared transactions never resolved: " + prepared(world));
        }
        FinalTransaction last = new FinalTransaction(workloads);
        last.start(Long.MAX_VALUE);
        world.runWhileNot(last::idle, DRAIN_LIMIT_MICROS);
        if (workloads.history.attempts().stream().noneMatch(a -> a.txn().startsWith(FinalTransaction.NAME)
                && a.outcome() instanceof Outcome.Committed)) {
            leftovers.add("the final transaction over every key never committed: a lock was left behind");
        }
        SnapshotClient finalBank = new SnapshotClient(workloads, "final-audit", world.accounts, 1);
        SnapshotClient finalLists = new SnapshotClient(workloads, "final-lists", world.listKeys, 1);
        finalBank.start(Long.MAX_VALUE);
        finalLists.start(Long.MAX_VALUE);
        world.runWhileNot(() -> finalBank.idle() && finalLists.idle(), DRAIN_LIMIT_MICROS);
        return leftovers;
    }

    /** Acknowledged commits that wrote in more than one group: the two-phase commits. */
    private static long multiGroupCommits(SimWorld world, History history) {
        return history.attempts().stream().filter(a -> a.committedTs().isPresent())
                .filter(a -> a.writes().stream().map(w -> world.router.groupOf(TaggedValue.bytes(w.key()))).distinct()
                        .count() > 1)
                .count();
    }

    /** Prepared transactions still held by any replica, described. */
    private static List<String> prepared(SimWorld world) {
        List<String> found = new ArrayList<>();
        for (Group group : world.groups.values()) {
            for (SimNode node : group.replicas()) {
                if (!node.up()) {
                    continue;
                }
                for (PreparedTxn txn : node.replica(group.id()).orElseThrow().replica.preparedTxns()) {
                    found.add(group.id() + " at " + node.id + ": " + txn.id() + " prepared at " + txn.prepareTs());
                }
            }
        }
        return found;
    }

    /**
     * The versions every group's replicas hold for the group's ranges; replicas that disagree are
     * a violation (the first replica's versions go into the model).
     */
    private static VersionModel finalModel(SimWorld world) {
        VersionModel model = new VersionModel();
        for (Group group : world.groups.values()) {
            List<StoredVersion> first = null;
            for (SimNode node : group.replicas()) {
                List<StoredVersion> versions = new ArrayList<>();
                for (RangeState range : group.ranges()) {
                    versions.addAll(versions(node, Mutations.span(range.getSpan())));
                }
                if (first == null) {
                    first = versions;
                } else if (!first.equals(versions)) {
                    world.violations.add(new Violation(HistoryChecks.WORLD, "the replicas of " + group.id()
                            + " disagree: " + group.replicas().get(0).id + " holds " + describe(first) + ", " + node.id
                            + " holds " + describe(versions)));
                }
            }
            for (StoredVersion version : first) {
                model.add(TaggedValue.text(version.key()), version.ts().micros(), version.value().map(TaggedValue::text));
            }
        }
        return model;
    }

    private static List<StoredVersion> versions(SimNode node, KeySpan span) {
        List<StoredVersion> all = new ArrayList<>();
        Optional<ByteString> resume = Optional.empty();
        do {
            VersionPage page = node.store().versions(span, Timestamp.MIN, Timestamp.MAX, resume, 10_000);
            all.addAll(page.versions());
            resume = page.resumeAfterKey();
        } while (resume.isPresent());
        return all;
    }

    private static String describe(List<StoredVersion> versions) {
        return versions.size() + " versions " + versions.stream()
                .map(v -> TaggedValue.text(v.key()) + "@" + v.ts().micros()).toList();
    }

    /** The timestamped commands of every group's log that the state machines have answered. */
    static List<LoggedCommand> loggedCommands(SimWorld world) {
        List<LoggedCommand> commands = new ArrayList<>();
        for (Group group : world.groups.values()) {
            SimGroupLog log = group.log();
            for (SimGroupLog.Entry entry : log.entries()) {
                Optional<ByteString> reply = log.reply(entry.index());
                if (reply.isEmpty() || reply.get().isEmpty()) {
                    continue;
                }
                GroupCommand command;
                CommandReply answer;
                try {
                    command = GroupCommand.parseFrom(entry.command());
                    answer = CommandReply.parseFrom(reply.get());
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalStateException(e);
                }
                long ts;
                String kind;
                switch (command.getKindCase()) {
                    case WRITE -> {
                        kind = LoggedCommand.WRITE;
                        ts = command.getWrite().getCommitTsMicros();
                    }
                    case PREPARE -> {
                        kind = LoggedCommand.PREPARE;
                        ts = command.getPrepare().getPrepareTsMicros();
                    }
                    case COMMIT_TXN -> {
                        kind = LoggedCommand.COMMIT_TXN;
                        ts = command.getCommitTxn().getCommitTsMicros();
                    }
                    case LEASE -> {
                        kind = LoggedCommand.LEASE;
                        ts = command.getLease().getClosedTsMicros();
                    }
                    default -> {
                        continue;
                    }
                }
                boolean applied = answer.hasApplied();
                commands.add(new LoggedCommand(group.id().value(), entry.index(), kind, ts, applied,
                        applied ? "" : answer.getRejected().getReason().name()));
            }
        }
        commands.sort(Comparator.comparingLong(LoggedCommand::group).thenComparingLong(LoggedCommand::index));
        return commands;
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
