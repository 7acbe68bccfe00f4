package io.meridian.truetime.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.meridian.api.internal.v1.NowRequest;
import io.meridian.api.internal.v1.NowResponse;
import io.meridian.api.internal.v1.TimeMasterGrpc;
import io.meridian.truetime.FixedEpsilonSource;
import io.meridian.truetime.TTInterval;
import io.meridian.truetime.TimeMasterClient;
import io.meridian.truetime.TimeMasterSource;
import io.meridian.truetime.TimeMasterSource.PollOutcome;
import io.meridian.truetime.TrueTime;
import io.meridian.truetime.sim.SimClock;
import io.meridian.truetime.system.ExecutorScheduler;
import io.meridian.truetime.system.SystemClock;
import io.meridian.truetime.system.SystemTimeSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

// Shows the time-master protocol over real gRPC on loopback (Netty, 127.0.0.1, port 0): a
// TimeMasterSource polls three TimeMasterService servers through GrpcTimeMasterClient, one of
// them lying by ten seconds; the agreed interval contains the system clock and the liar is
// named. Also: a master that never answers is reported silent when the poll times out, and a
// client pointed at the wrong master refuses its answer.
class GrpcTimeMasterTest {

    private static final Duration MASTER_EPSILON = Duration.ofMillis(5);
    private static final Duration DEADLINE = Duration.ofSeconds(2);

    private final List<Server> servers = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final ExecutorScheduler scheduler = new ExecutorScheduler("truetime-grpc-test");

    @AfterEach
    void shutDown() throws InterruptedException {
        channels.forEach(ManagedChannel::shutdownNow);
        servers.forEach(Server::shutdownNow);
        for (Server server : servers) {
            server.awaitTermination(5, TimeUnit.SECONDS);
        }
        scheduler.close();
    }

    /** A master that accepts calls and never answers them. */
    private static final class HangingMaster extends TimeMasterGrpc.TimeMasterImplBase {
        @Override
        public void now(NowRequest request, StreamObserver<NowResponse> responseObserver) {
            // Never answers: callers must give up on their own.
        }
    }

    private ManagedChannel serve(BindableService service) throws IOException {
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(service)
                .build()
                .start();
        servers.add(server);
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
        channels.add(channel);
        return channel;
    }

    private TimeMasterClient master(String id, TrueTime masterTime) throws IOException {
        return new GrpcTimeMasterClient(id, serve(new TimeMasterService(id, masterTime)), DEADLINE);
    }

    private static TrueTime systemClockSkewedBy(Duration skew) {
        SimClock skewed = new SimClock(SystemClock.INSTANCE::nowMicros).setSkew(skew);
        return new FixedEpsilonSource(skewed, MASTER_EPSILON);
    }

    @Test
    void theLiarIsNamedAndTheIntervalContainsTheSystemClock() throws Exception {
        TimeMasterSource source = new TimeMasterSource(SystemClock.INSTANCE, scheduler, List.of(
                master("m1", new SystemTimeSource(MASTER_EPSILON)),
                master("liar", systemClockSkewedBy(Duration.ofSeconds(10))),
                master("m3", new SystemTimeSource(MASTER_EPSILON))), TimeMasterSource.Config.defaults());

        PollOutcome.Synced synced = assertInstanceOf(PollOutcome.Synced.class,
                source.pollOnce().get(10, TimeUnit.SECONDS));

        assertEquals(List.of("liar"), synced.agreement().rejected());
        assertEquals(List.of(), synced.silent());
        long before = SystemClock.wallMicros();
        TTInterval now = source.now();
        long after = SystemClock.wallMicros();
        assertTrue(now.earliestMicros() <= after && now.latestMicros() >= before, now + " misses " + before);
        assertTrue(now.epsilonMicros() < 1_000_000, "the liar did not stretch the interval: " + now);
    }

    @Test
    void aMasterThatNeverAnswersIsSilentWhenThePollTimesOut() throws Exception {
        TimeMasterSource source = new TimeMasterSource(SystemClock.INSTANCE, scheduler, List.of(
                master("m1", new SystemTimeSource(MASTER_EPSILON)),
                new GrpcTimeMasterClient("hanging", serve(new HangingMaster()), DEADLINE),
                master("m3", new SystemTimeSource(MASTER_EPSILON))),
                new TimeMasterSource.Config(Duration.ofSeconds(1), Duration.ofMillis(300), 200));

        PollOutcome.Synced synced = assertInstanceOf(PollOutcome.Synced.class,
                source.pollOnce().get(10, TimeUnit.SECONDS));

        assertEquals(List.of("hanging"), synced.silent());
        assertTrue(source.now().contains(SystemClock.wallMicros()));
    }

    @Test
    void aClientPointedAtTheWrongMasterRefusesItsAnswer() throws Exception {
        ManagedChannel channel = serve(new TimeMasterService("m2", new SystemTimeSource(MASTER_EPSILON)));
        GrpcTimeMasterClient client = new GrpcTimeMasterClient("m1", channel, DEADLINE);

        ExecutionException failure = assertThrows(ExecutionException.class, () -> client.now().get(10, TimeUnit.SECONDS));

        assertTrue(failure.getCause().getMessage().contains("expected time master m1 but m2 answered"));
    }

    @Test
    void theDeadlineFailsACallThatTakesTooLong() throws Exception {
        GrpcTimeMasterClient client = new GrpcTimeMasterClient("hanging", serve(new HangingMaster()), Duration.ofMillis(200));

        ExecutionException failure = assertThrows(ExecutionException.class, () -> client.now().get(10, TimeUnit.SECONDS));

        StatusRuntimeException status = assertInstanceOf(StatusRuntimeException.class, failure.getCause());
        assertEquals(Status.Code.DEADLINE_EXCEEDED, status.getStatus().getCode());
    }
}
