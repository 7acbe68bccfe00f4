package io.meridian.groups;

import static io.meridian.groups.SimGroupCluster.bytes;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.meridian.api.internal.v1.CommandReply;
import io.meridian.api.internal.v1.CommitTxn;
import io.meridian.api.internal.v1.ForgetTxns;
import io.meridian.api.internal.v1.FreezeRange;
import io.meridian.api.internal.v1.GroupCommand;
import io.meridian.api.internal.v1.InitGroup;
import io.meridian.api.internal.v1.Lease;
import io.meridian.api.internal.v1.MetaCommand;
import io.meridian.api.internal.v1.Prepare;
import io.meridian.api.internal.v1.RangeState;
import io.meridian.api.internal.v1.RejectReason;
import io.meridian.api.internal.v1.ResolveTxn;
import io.meridian.api.internal.v1.Split;
import io.meridian.api.internal.v1.Write;
import io.meridian.api.v1.KeyRange;
import io.meridian.api.v1.Mutation;
import io.meridian.storage.GroupId;
import io.meridian.storage.TxnId;
import java.util.List;

/** Short builders for the commands and mutations tests apply over and over. */
final class TestCommands {

    private TestCommands() {
    }

    static ByteString init(GroupId group, boolean meta, RangeState... ranges) {
        return GroupCommand.newBuilder().setInit(InitGroup.newBuilder().setGroupId(group.value()).setMeta(meta)
                .addAllRanges(List.of(ranges))).build().toByteString();
    }

    static ByteString write(long commitTsMicros, List<Mutation> mutations) {
        return GroupCommand.newBuilder().setWrite(Write.newBuilder().setCommitTsMicros(commitTsMicros)
                .addAllMutations(mutations)).build().toByteString();
    }

    static ByteString write(long commitTsMicros, Mutation... mutations) {
        return write(commitTsMicros, List.of(mutations));
    }

    static Mutation put(String key, String value) {
        return Mutation.newBuilder().setPut(Mutation.Put.newBuilder().setKey(bytes(key)).setValue(bytes(value))).build();
    }

    static Mutation delete(String key) {
        return Mutation.newBuilder().setDelete(Mutation.Delete.newBuilder().setKey(bytes(key))).build();
    }

    static Mutation deleteRange(String start, String end) {
        return Mutation.newBuilder().setDeleteRange(Mutation.DeleteRange.newBuilder().setRange(keyRange(start, end)))
                .build();
    }

    static KeyRange keyRange(String start, String end) {
        return KeyRange.newBuilder().setStart(bytes(start)).setEnd(bytes(end)).build();
    }

    static ByteString lease(String holder, long term, long endMicros, long closedTsMicros) {
        return GroupCommand.newBuilder().setLease(Lease.newBuilder().setHolderNodeId(holder).setTerm(term)
                .setEndMicros(endMicros).setClosedTsMicros(closedTsMicros)).build().toByteString();
    }

    static ByteString split(long rangeId, String key, long newRangeId) {
        return GroupCommand.newBuilder().setSplit(Split.newBuilder().setRangeId(rangeId).setSplitKey(bytes(key))
                .setNewRangeId(newRangeId)).build().toByteString();
    }

    /** The wire id of test transaction {@code n}. */
    static ByteString txnId(long n) {
        return new TxnId(0, n).toBytes();
    }

    static ByteString prepare(long txn, long prepareTsMicros, long coordinator, long deadlineMicros,
            Mutation... writes) {
        return GroupCommand.newBuilder().setPrepare(Prepare.newBuilder().setTxnId(txnId(txn))
                .setPrepareTsMicros(prepareTsMicros).setCoordinatorGroup(coordinator).setDeadlineMicros(deadlineMicros)
                .addAllWrites(List.of(writes))).build().toByteString();
    }

    static ByteString commitTxn(long txn, long commitTsMicros, List<Long> participants, long deadlineMicros,
            Mutation... writes) {
        return GroupCommand.newBuilder().setCommitTxn(CommitTxn.newBuilder().setTxnId(txnId(txn))
                .setCommitTsMicros(commitTsMicros).addAllParticipantGroups(participants)
                .setDeadlineMicros(deadlineMicros).addAllWrites(List.of(writes))).build().toByteString();
    }

    static ByteString resolve(long txn, boolean committed, long commitTsMicros, long deadlineMicros) {
        return GroupCommand.newBuilder().setResolveTxn(ResolveTxn.newBuilder().setTxnId(txnId(txn))
                .setCommitted(committed).setCommitTsMicros(commitTsMicros).setDeadlineMicros(deadlineMicros))
                .build().toByteString();
    }

    static ByteString forget(long... txns) {
        ForgetTxns.Builder forget = ForgetTxns.newBuilder();
        for (long txn : txns) {
            forget.addTxnIds(txnId(txn));
        }
        return GroupCommand.newBuilder().setForgetTxns(forget).build().toByteString();
    }

    static ByteString freeze(long rangeId) {
        return GroupCommand.newBuilder().setFreezeRange(FreezeRange.newBuilder().setRangeId(rangeId)).build()
                .toByteString();
    }

    static ByteString meta(MetaCommand command) {
        return GroupCommand.newBuilder().setMeta(command).build().toByteString();
    }

    static CommandReply reply(ByteString bytes) {
        try {
            return CommandReply.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("unreadable reply", e);
        }
    }

    /** Fails unless {@code reply} is a rejection for {@code reason}; {@code why} prefixes the message. */
    static void assertReject(RejectReason reason, CommandReply reply, String why) {
        org.junit.jupiter.api.Assertions.assertTrue(reply.hasRejected(), why + ": expected " + reason + ", got " + reply);
        org.junit.jupiter.api.Assertions.assertEquals(reason, reply.getRejected().getReason(),
                why + ": " + reply.getRejected().getMessage());
    }

    static void assertReject(RejectReason reason, CommandReply reply) {
        assertReject(reason, reply, "");
    }
}
