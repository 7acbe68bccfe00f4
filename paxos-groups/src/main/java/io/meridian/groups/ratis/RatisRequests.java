package io.meridian.groups.ratis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.protocol.TransferLeadershipRequest;

/**
 * Builds the requests a host submits to its own Ratis server. They all carry the host's one
 * {@link ClientId} and call ids that increase from 1, so Ratis' retry cache never mistakes one
 * request for a retry of another. Thread-safe.
 */
final class RatisRequests {

    private final ClientId clientId = ClientId.randomId();
    private final RaftPeerId self;
    private final AtomicLong lastCallId = new AtomicLong();

    RatisRequests(RaftPeerId self) {
        this.self = self;
    }

    ClientId clientId() {
        return clientId;
    }

    long nextCallId() {
        return lastCallId.incrementAndGet();
    }

    /** A write of {@code command} to {@code group}'s log, as call {@code callId}. */
    RaftClientRequest write(RaftGroupId group, long callId, org.apache.ratis.thirdparty.com.google.protobuf.ByteString command) {
        return RaftClientRequest.newBuilder()
                .setClientId(clientId)
                .setServerId(self)
                .setGroupId(group)
                .setCallId(callId)
                .setMessage(Message.valueOf(command))
                .setType(RaftClientRequest.writeRequestType())
                .build();
    }

    SetConfigurationRequest setConfiguration(RaftGroupId group, List<RaftPeer> peers) {
        return new SetConfigurationRequest(clientId, self, group, nextCallId(), peers);
    }

    TransferLeadershipRequest transferLeadership(RaftGroupId group, RaftPeerId target, Duration timeout) {
        return new TransferLeadershipRequest(clientId, self, group, nextCallId(), target, timeout.toMillis());
    }

    GroupManagementRequest addGroup(RaftGroup group) {
        return GroupManagementRequest.newAdd(clientId, self, nextCallId(), group, true);
    }

    GroupManagementRequest removeGroup(RaftGroupId group) {
        return GroupManagementRequest.newRemove(clientId, self, nextCallId(), group, true, false);
    }
}
