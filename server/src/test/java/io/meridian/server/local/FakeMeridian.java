package io.meridian.server.local;

import com.google.protobuf.ByteString;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.meridian.api.v1.AdminGrpc;
import io.meridian.api.v1.KeyRange;
import io.meridian.api.v1.ListRangesRequest;
import io.meridian.api.v1.ListRangesResponse;
import io.meridian.api.v1.RangeDescriptor;
import io.meridian.api.v1.RangeInfo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A fake Meridian node for {@link ClusterReadinessTest}: an Admin service whose {@code ListRanges}
 * answers a fixed two-range layout, the second range leaderless until {@link #secondRangeLed} is
 * set (an election in progress), served by a gRPC server inside the test JVM on a loopback port.
 */
final class FakeMeridian implements AutoCloseable {

    /** Whether range 2 has a leader yet (it has none at first). */
    volatile boolean secondRangeLed;
    private final Server server;

    FakeMeridian() throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress(LocalCluster.HOST, 0), InsecureServerCredentials.create())
                .addService(new FakeAdmin())
                .build()
                .start();
    }

    /** @return {@code host:port} to connect to */
    String target() {
        return LocalCluster.HOST + ":" + server.getPort();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private final class FakeAdmin extends AdminGrpc.AdminImplBase {
        @Override
        public void listRanges(ListRangesRequest request, StreamObserver<ListRangesResponse> response) {
            ByteString split = ByteString.copyFromUtf8("m");
            response.onNext(ListRangesResponse.newBuilder()
                    .addRanges(RangeInfo.newBuilder().setRange(range(1, KeyRange.newBuilder().setEnd(split).build(), "n1")))
                    .addRanges(RangeInfo.newBuilder().setRange(range(2, KeyRange.newBuilder().setStart(split).build(),
                            secondRangeLed ? "n2" : "")))
                    .build());
            response.onCompleted();
        }

        private RangeDescriptor range(long id, KeyRange span, String leader) {
            return RangeDescriptor.newBuilder().setRangeId(id).setSpan(span).setGroupId(1).setGeneration(1)
                    .addAllReplicaNodeIds(List.of("n1", "n2", "n3")).setLeaderNodeId(leader).build();
        }
    }
}
