package io.meridian.server.service;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.stub.StreamObserver;
import io.meridian.server.status.CallKind;
import io.meridian.server.status.StatusMapper;
import io.meridian.storage.GroupId;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * How the services run a unary call: compute the answer on the handler's thread, send it, or map
 * the failure through the {@link StatusMapper}. Stateless.
 */
final class Calls {

    /** The deadline of a call whose client set none: 30 s. */
    static final long DEFAULT_DEADLINE_SECONDS = 30;

    private Calls() {
    }

    /** The current call's deadline, or {@link #DEFAULT_DEADLINE_SECONDS} from now. */
    static Deadline deadline() {
        Deadline deadline = Context.current().getDeadline();
        return deadline != null ? deadline : Deadline.after(DEFAULT_DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    /** Answers with {@code body}'s value, or with the status of its failure. */
    static <T> void unary(StreamObserver<T> observer, StatusMapper mapper, CallKind kind, Supplier<T> body) {
        unary(observer, mapper, kind, Optional.empty(), body);
    }

    /** As {@link #unary(StreamObserver, StatusMapper, CallKind, Supplier)}, about {@code group}. */
    static <T> void unary(StreamObserver<T> observer, StatusMapper mapper, CallKind kind, Optional<GroupId> group,
            Supplier<T> body) {
        T answer;
        try {
            answer = body.get();
        } catch (Throwable e) {
            if (e instanceof VirtualMachineError error) {
                throw error;
            }
            observer.onError(mapper.toStatus(e, kind, group));
            return;
        }
        observer.onNext(answer);
        observer.onCompleted();
    }
}
