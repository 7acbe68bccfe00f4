package io.meridian.bench.ratis;

import java.util.concurrent.CompletableFuture;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;

/**
 * A state machine that does nothing but acknowledge: applying an entry only advances the applied
 * index and replies with an empty message. What a write costs against it is the cost of Ratis
 * itself (client RPC, leader log append and fsync, replication to a majority, commit, reply).
 * One instance per group (the registry makes a fresh one for every division).
 */
final class NoopStateMachine extends BaseStateMachine {

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        return CompletableFuture.completedFuture(Message.EMPTY);
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        return CompletableFuture.completedFuture(Message.EMPTY);
    }
}
