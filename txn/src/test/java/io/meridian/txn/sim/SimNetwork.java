package io.meridian.txn.sim;

import io.meridian.api.internal.v1.TxnReply;
import io.meridian.api.internal.v1.TxnRequest;
import io.meridian.groups.LeaseUnavailableException;
import io.meridian.groups.NodeId;
import io.meridian.groups.NotLeaderException;
import io.meridian.storage.GroupId;
import io.meridian.txn.TxnParticipant;
import io.meridian.txn.TxnTransport;
import io.meridian.txn.TxnUnreachableException;
import io.meridian.truetime.sim.SimScheduler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The simulated network between nodes, and {@link TxnTransport} over it ({@link #transportFrom}).
 * A request travels from its sender to the node the sender believes leads the request's group,
 * is handed to that node's {@link TxnParticipant}, and the answer travels back. Every message
 * may be lost, duplicated (all but one-phase commits, which the transport delivers at most
 * once) or delayed (long delays reorder messages), never crosses a cut link
 * (a partition), and never reaches or leaves a node that is down; a node's answers to requests
 * that reached an earlier incarnation of it are lost.
 *
 * <p>Each sender keeps a guess of every group's leader: it follows {@code NotLeader} hints,
 * tries the next replica when there is no hint or when a request went unanswered, and retries
 * {@code NotLeader} and {@code LeaseUnavailable} answers until the request's deadline.
 *
 * <p>The transport's contract is kept honestly: a send fails with {@code NotLeaderException} or
 * {@code LeaseUnavailableException} (nothing done) only when every copy it sent was answered
 * that way; if any copy is unanswered at the deadline, it fails with
 * {@link TxnUnreachableException} (the step may have run, possibly later, by a delayed copy).
 *
 * <p>Deterministic: one seeded {@link Random}, the {@link SimScheduler}, ordered collections.
 * Not thread-safe: the simulation's thread drives it.
 */
final class SimNetwork {

    /** How long a sender waits for an answer before the step is unreachable. */
    static final long REQUEST_TIMEOUT_MICROS = 500_000;
    /** Delay before retrying at the hinted leader. */
    static final long NOT_LEADER_BACKOFF_MICROS = 2_000;
    /** Delay before retrying a leader without a usable lease. */
    static final long LEASE_BACKOFF_MICROS = 15_000;
    /** Delay of a message a node sends itself. */
    static final long LOCAL_DELAY_MICROS = 20;

    /** What the network needs to know of the nodes. */
    interface Nodes {
        boolean up(NodeId node);

        /** Changes every time the node restarts. */
        int incarnation(NodeId node);

        /** The node's transaction layer for {@code group}, if it hosts a replica of it and is up. */
        Optional<TxnParticipant> participant(NodeId node, GroupId group);

        /** The nodes holding replicas of {@code group}, in a fixed order. */
        List<NodeId> replicas(GroupId group);
    }

    /** The fault rates of a run. */
    record Faults(double dropProbability, double duplicateProbability, double longDelayProbability,
            long minDelayMicros, long maxDelayMicros, long longDelayMaxMicros) {

        static final Faults NONE = new Faults(0, 0, 0, 100, 500, 0);

        static Faults random(Random random) {
            long min = 100 + random.nextInt(400);
            return new Faults(random.nextDouble() * 0.03, random.nextDouble() * 0.03, random.nextDouble() * 0.05,
                    min, min + 200 + random.nextInt(2_000), 5_000 + random.nextInt(25_000));
        }
    }

    private final SimScheduler scheduler;
    private final Random random;
    private final Nodes nodes;
    private final TreeSet<String> cutLinks = new TreeSet<>();
    private final Map<String, NodeId> leaderGuess = new HashMap<>();
    private Faults faults = Faults.NONE;
    private final Map<String, Integer> tally = new java.util.TreeMap<>();

    SimNetwork(SimScheduler scheduler, Random random, Nodes nodes) {
        this.scheduler = scheduler;
        this.random = random;
        this.nodes = nodes;
    }

    /** The transport a node's driver and participants send through. */
    TxnTransport transportFrom(NodeId from) {
        return request -> new Exchange(from, request).start();
    }

    void setFaults(Faults faults) {
        this.faults = faults;
    }

    /** Cuts the link between two nodes both ways. */
    void cut(NodeId a, NodeId b) {
        cutLinks.add(link(a, b));
    }

    /** Restores every link. */
    void healAll() {
        cutLinks.clear();
    }

    boolean partitioned() {
        return !cutLinks.isEmpty();
    }

    /** Counts of what happened to messages, for the run's summary. */
    Map<String, Integer> tally() {
        return Map.copyOf(tally);
    }

    private static String link(NodeId a, NodeId b) {
        return a.value().compareTo(b.value()) < 0 ? a + "|" + b : b + "|" + a;
    }

    private void count(String what) {
        tally.merge(what, 1, Integer::sum);
    }

    /** Whether a message from {@code from} to {@code to} gets through; counts losses. */
    private boolean passes(NodeId from, NodeId to) {
        if (!nodes.up(from) || !nodes.up(to)) {
            count("lost to a down node");
            return false;
        }
        if (from.equals(to)) {
            return true;
        }
        if (cutLinks.contains(link(from, to))) {
            count("lost to a partition");
            return false;
        }
        if (random.nextDouble() < faults.dropProbability()) {
            count("dropped");
            return false;
        }
        return true;
    }

    private long delayMicros(NodeId from, NodeId to) {
        if (from.equals(to)) {
            return LOCAL_DELAY_MICROS;
        }
        long delay = faults.minDelayMicros() + (long) (random.nextDouble() * (faults.maxDelayMicros() - faults.minDelayMicros()));
        if (random.nextDouble() < faults.longDelayProbability()) {
            count("delayed long");
            delay += (long) (random.nextDouble() * faults.longDelayMaxMicros());
        }
        return delay;
    }

    private NodeId guess(NodeId from, GroupId group) {
        return leaderGuess.computeIfAbsent(from + "/" + group.value(), k -> nodes.replicas(group).get(0));
    }

    private void setGuess(NodeId from, GroupId group, NodeId leader) {
        leaderGuess.put(from + "/" + group.value(), leader);
    }

    private void nextGuess(NodeId from, GroupId group) {
        List<NodeId> replicas = nodes.replicas(group);
        int at = replicas.indexOf(guess(from, group));
        setGuess(from, group, replicas.get((at + 1) % replicas.size()));
    }

    /** One send: its copies, retries and outcome. */
    private final class Exchange {
        private final NodeId from;
        private final int fromIncarnation;
        private final TxnRequest request;
        private final GroupId group;
        private final long deadlineMicros;
        private final CompletableFuture<TxnReply> result = new CompletableFuture<>();
        private int unanswered;
        private RuntimeException nothingDone;

        Exchange(NodeId from, TxnRequest request) {
            this.from = from;
            this.fromIncarnation = nodes.incarnation(from);
            this.request = request;
            this.group = new GroupId(request.getGroupId());
            this.deadlineMicros = scheduler.nowMicros() + REQUEST_TIMEOUT_MICROS;
        }

        CompletableFuture<TxnReply> start() {
            count("requests");
            attempt();
            scheduler.schedule(this::expire, REQUEST_TIMEOUT_MICROS);
            return result;
        }

        private void attempt() {
            if (result.isDone()) {
                return;
            }
            NodeId target = guess(from, group);
            transmit(target);
            // A node's call to itself is in-process: never duplicated (nor dropped, see passes).
            // A one-phase commit is never duplicated either: the transport delivers it at most
            // once (TxnTransport's contract; gRPC over one connection does not duplicate calls).
            if (!target.equals(from) && request.getOpCase() != TxnRequest.OpCase.COMMIT_ONE_PHASE
                    && random.nextDouble() < faults.duplicateProbability()) {
                count("duplicated");
                transmit(target);
            }
        }

        private void transmit(NodeId target) {
            unanswered++;
            if (passes(from, target)) {
                scheduler.schedule(() -> deliver(target), delayMicros(from, target));
            }
        }

        private void deliver(NodeId target) {
            if (!nodes.up(target)) {
                count("lost to a down node");
                return;
            }
            int incarnation = nodes.incarnation(target);
            Optional<TxnParticipant> participant = nodes.participant(target, group);
            CompletableFuture<TxnReply> handled;
            if (participant.isEmpty()) {
                handled = CompletableFuture.failedFuture(new NotLeaderException(group, Optional.empty()));
            } else {
                try {
                    handled = participant.get().handle(request);
                } catch (RuntimeException e) {
                    handled = CompletableFuture.failedFuture(e);
                }
            }
            handled.whenComplete((reply, failure) -> {
                if (!nodes.up(target) || nodes.incarnation(target) != incarnation) {
                    count("answer lost to a crash");
                    return;
                }
                if (passes(target, from)) {
                    scheduler.schedule(() -> answered(reply, failure), delayMicros(target, from));
                }
            });
        }

        private void answered(TxnReply reply, Throwable failure) {
            if (!nodes.up(from) || nodes.incarnation(from) != fromIncarnation) {
                count("answer lost to a crash");
                return;
            }
            unanswered--;
            if (result.isDone()) {
                return;
            }
            if (failure == null) {
                result.complete(reply);
                return;
            }
            Throwable cause = unwrap(failure);
            long backoff;
            if (cause instanceof NotLeaderException notLeader) {
                notLeader.leaderHint().filter(hint -> nodes.replicas(group).contains(hint))
                        .ifPresentOrElse(hint -> setGuess(from, group, hint), () -> nextGuess(from, group));
                backoff = NOT_LEADER_BACKOFF_MICROS;
            } else if (cause instanceof LeaseUnavailableException) {
                backoff = LEASE_BACKOFF_MICROS;
            } else {
                result.completeExceptionally(cause);
                return;
            }
            nothingDone = (RuntimeException) cause;
            if (scheduler.nowMicros() + backoff < deadlineMicros) {
                count("retried");
                scheduler.schedule(this::attempt, backoff);
            } else if (unanswered == 0) {
                result.completeExceptionally(nothingDone);
            }
        }

        private void expire() {
            if (result.isDone()) {
                return;
            }
            if (unanswered == 0 && nothingDone != null) {
                result.completeExceptionally(nothingDone);
                return;
            }
            count("unreachable");
            // The guessed leader did not answer: try another replica next time.
            nextGuess(from, group);
            result.completeExceptionally(new TxnUnreachableException(request.getOpCase() + " to group-" + group.value()
                    + " from " + from + " got no answer within " + REQUEST_TIMEOUT_MICROS + "us", null));
        }
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
