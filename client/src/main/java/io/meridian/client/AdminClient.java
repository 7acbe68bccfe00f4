package io.meridian.client;

import io.meridian.api.v1.GroupInfo;
import io.meridian.api.v1.Node;
import io.meridian.api.v1.RangeInfo;
import java.util.List;

/**
 * Read access to the cluster's layout through the {@code Admin} service: nodes, ranges and
 * groups, as the wire messages of {@code meridian/v1/admin.proto}. Each call goes to one
 * reachable endpoint (failing over to others while they refuse connections). Thread-safe.
 * Obtained from {@link MeridianClient#admin()}.
 */
public final class AdminClient {

    private final AdminCalls calls;

    AdminClient(AdminCalls calls) {
        this.calls = calls;
    }

    /**
     * The nodes of the cluster, with their client addresses and health.
     *
     * @throws MeridianException if no endpoint could answer
     */
    public List<Node> listNodes() {
        return Blocking.join(calls.listNodes());
    }

    /**
     * Every range with its span, group, replicas and leader.
     *
     * @throws MeridianException if no endpoint could answer
     */
    public List<RangeInfo> listRanges() {
        return Blocking.join(calls.listRanges());
    }

    /**
     * Every group with its replicas, leader and ranges.
     *
     * @throws MeridianException if no endpoint could answer
     */
    public List<GroupInfo> listGroups() {
        return Blocking.join(calls.listGroups());
    }
}
