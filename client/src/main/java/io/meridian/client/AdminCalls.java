package io.meridian.client;

import io.meridian.api.v1.AdminGrpc;
import io.meridian.api.v1.GroupInfo;
import io.meridian.api.v1.ListGroupsRequest;
import io.meridian.api.v1.ListGroupsResponse;
import io.meridian.api.v1.ListNodesRequest;
import io.meridian.api.v1.ListNodesResponse;
import io.meridian.api.v1.ListRangesRequest;
import io.meridian.api.v1.ListRangesResponse;
import io.meridian.api.v1.Node;
import io.meridian.api.v1.RangeInfo;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The read-only {@code Admin} calls (nodes, ranges, groups), each sent to one endpoint after
 * another until one answers. They change nothing, so any failure may move on to the next
 * endpoint; the last failure is reported when none answers. Thread-safe.
 */
final class AdminCalls {

    private final Rpc rpc;
    private final Endpoints endpoints;

    AdminCalls(Rpc rpc, Endpoints endpoints) {
        this.rpc = rpc;
        this.endpoints = endpoints;
    }

    CompletableFuture<List<Node>> listNodes() {
        return firstAnswer(endpoints.candidates(Optional.empty()), 0,
                address -> rpc.call(address, AdminGrpc.getListNodesMethod(), ListNodesRequest.getDefaultInstance()))
                .thenApply(ListNodesResponse::getNodesList);
    }

    CompletableFuture<List<RangeInfo>> listRanges() {
        return firstAnswer(endpoints.candidates(Optional.empty()), 0,
                address -> rpc.call(address, AdminGrpc.getListRangesMethod(), ListRangesRequest.getDefaultInstance()))
                .thenApply(ListRangesResponse::getRangesList);
    }

    CompletableFuture<List<GroupInfo>> listGroups() {
        return firstAnswer(endpoints.candidates(Optional.empty()), 0,
                address -> rpc.call(address, AdminGrpc.getListGroupsMethod(), ListGroupsRequest.getDefaultInstance()))
                .thenApply(ListGroupsResponse::getGroupsList);
    }

    /** Calls {@code candidates[index]}, then the following ones while calls fail. */
    private <R> CompletableFuture<R> firstAnswer(List<String> candidates, int index,
            Function<String, CompletableFuture<R>> call) {
        String address = candidates.get(index);
        return call.apply(address).handle((value, error) -> {
            if (error == null) {
                endpoints.markUp(address);
                return CompletableFuture.completedFuture(value);
            }
            MeridianException failure = StatusErrors.toException(error);
            if (!failure.details().fromNode()) {
                endpoints.markDown(address);
            }
            if (index + 1 < candidates.size()) {
                return firstAnswer(candidates, index + 1, call);
            }
            return CompletableFuture.<R>failedFuture(failure);
        }).thenCompose(future -> future);
    }
}
