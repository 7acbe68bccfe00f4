package io.meridian.server.routing;

import io.grpc.Deadline;
import io.meridian.api.internal.v1.CommittedAt;
import io.meridian.api.internal.v1.GroupReadRequest;
import io.meridian.api.internal.v1.GroupReadResponse;
import io.meridian.api.internal.v1.TxnReply;
import io.meridian.api.internal.v1.TxnRequest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A node whose group reads and commits fail with scripted exceptions, then succeed; it counts
 * the calls it received. Other operations are not used by the tests that script it.
 */
final class ScriptedLink extends ReadCommitOnlyLink {

    private final String target;
    private final Deque<RuntimeException> failures = new ArrayDeque<>();
    int calls;

    ScriptedLink(String target) {
        this.target = target;
    }

    /** The next calls fail with these, in order. */
    ScriptedLink failWith(RuntimeException... next) {
        failures.addAll(List.of(next));
        return this;
    }

    private void answer() {
        calls++;
        RuntimeException next = failures.poll();
        if (next != null) {
            throw next;
        }
    }

    @Override
    public String target() {
        return target;
    }

    @Override
    public GroupReadResponse groupRead(GroupReadRequest request, Deadline deadline) {
        answer();
        return GroupReadResponse.newBuilder().setReadTsMicros(calls).build();
    }

    @Override
    public TxnReply txn(TxnRequest request, Deadline deadline) {
        answer();
        return TxnReply.newBuilder().setCommitted(CommittedAt.newBuilder().setCommitTsMicros(100)).build();
    }
}
