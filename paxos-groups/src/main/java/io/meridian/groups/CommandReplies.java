package io.meridian.groups;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.meridian.api.internal.v1.CommandReply;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Turns the reply a proposer gets from its replica's state machine into a value or a failure:
 * {@code Applied} into the value, {@code Rejected} into {@link CommandRejectedException}, an empty
 * reply (a snapshot overtook the command here) into {@link ReplicationException}. Stateless.
 */
final class CommandReplies {

    private CommandReplies() {
    }

    /** The value {@code onApplied} derives from an {@code Applied} reply; fails on any other. */
    static <T> CompletableFuture<T> onApplied(CompletableFuture<ByteString> reply,
            Function<CommandReply.Applied, T> onApplied) {
        return reply.thenCompose(bytes -> {
            CommandReply parsed = parse(bytes);
            return switch (parsed.getKindCase()) {
                case APPLIED -> CompletableFuture.completedFuture(onApplied.apply(parsed.getApplied()));
                case REJECTED -> CompletableFuture.failedFuture(rejected(parsed.getRejected()));
                case KIND_NOT_SET -> CompletableFuture.failedFuture(unknownOutcome());
            };
        });
    }

    /** The exception for a {@code Rejected} reply. */
    static CommandRejectedException rejected(CommandReply.Rejected rejected) {
        return new CommandRejectedException(rejected.getReason(), rejected.getMessage(), rejected.getRangesList());
    }

    /** The exception for an empty reply: the command's outcome is unknown to the proposer. */
    static ReplicationException unknownOutcome() {
        return new ReplicationException(
                "the command's index was already applied here (a snapshot overtook it); its outcome is unknown", null);
    }

    /** Parses a state machine's reply; an unreadable one is a bug. */
    static CommandReply parse(ByteString bytes) {
        try {
            return CommandReply.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("the state machine returned an unreadable reply", e);
        }
    }
}
