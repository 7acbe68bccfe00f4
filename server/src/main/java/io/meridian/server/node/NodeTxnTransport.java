package io.meridian.server.node;

import io.grpc.Deadline;
import io.meridian.api.internal.v1.TxnReply;
import io.meridian.api.internal.v1.TxnRequest;
import io.meridian.groups.NotLeaderException;
import io.meridian.server.routing.GroupCaller;
import io.meridian.server.status.CallKind;
import io.meridian.server.status.ErrorReason;
import io.meridian.server.status.NodeUnreachableException;
import io.meridian.server.status.RequestFailedException;
import io.meridian.storage.GroupId;
import io.meridian.txn.TxnTransport;
import io.meridian.txn.TxnUnreachableException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The node's {@link TxnTransport}: each step runs through {@link GroupCaller#atLeader} on a
 * virtual thread. Steps that change replicated state ({@code Prepare}, one-phase commit,
 * coordinate) are {@link CallKind#COMMIT} calls: never re-sent once a node may have received
 * them, and an unanswered one fails with {@link TxnUnreachableException}. The others are retried
 * at the leader as reads are. A call that found no leader in time fails with
 * {@link NotLeaderException}: nothing was done.
 */
public final class NodeTxnTransport implements TxnTransport {

    private final GroupCaller caller;
    private final Executor executor;
    private final Duration timeout;

    /**
     * @param timeout the deadline of each step
     */
    public NodeTxnTransport(GroupCaller caller, Executor executor, Duration timeout) {
        this.caller = Objects.requireNonNull(caller, "caller");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** The kind of call a step is: whether it may be re-sent after an unanswered attempt. */
    public static CallKind kindOf(TxnRequest request) {
        return switch (request.getOpCase()) {
            case PREPARE, COMMIT_ONE_PHASE, COORDINATE -> CallKind.COMMIT;
            default -> CallKind.READ;
        };
    }

    @Override
    public CompletableFuture<TxnReply> send(TxnRequest request) {
        Deadline deadline = Deadline.after(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return caller.atLeader(request.getGroupId(), kindOf(request), deadline,
                        (link, d) -> link.txn(request, d));
            } catch (NodeUnreachableException e) {
                throw new TxnUnreachableException("no answer from the leader of group-" + request.getGroupId()
                        + ": " + e.getMessage(), e);
            } catch (RequestFailedException e) {
                if (e.reason() == ErrorReason.UNAVAILABLE || e.reason() == ErrorReason.DEADLINE) {
                    throw new NotLeaderException(new GroupId(request.getGroupId()), Optional.empty());
                }
                throw e;
            }
        }, executor);
    }
}
