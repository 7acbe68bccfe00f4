package io.meridian.bench.load;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * etcd v3 over its gRPC API, for side-by-side figures: {@code Put} for writes and {@code Range}
 * (linearizable, etcd's default) for reads. The two messages are encoded and decoded by hand
 * from their published field numbers (key = 1, value = 2 in {@code PutRequest}; key = 1 in
 * {@code RangeRequest}; kvs = 2 in {@code RangeResponse}), so no etcd code or generated stub is
 * needed. Calls go round-robin over the endpoints (members forward writes to their leader, as
 * etcd's own clients rely on). Only the read and write workloads run here.
 */
final class EtcdTarget implements Target {

    private static final Set<String> WORKLOADS = Set.of("write", "ycsb-a", "ycsb-b", "ycsb-c");
    private static final long CALL_TIMEOUT_SECONDS = 10;

    private static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private static final MethodDescriptor<byte[], byte[]> PUT = method("etcdserverpb.KV/Put");
    private static final MethodDescriptor<byte[], byte[]> RANGE = method("etcdserverpb.KV/Range");

    private final List<ManagedChannel> channels = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    EtcdTarget(List<String> endpoints) {
        for (String endpoint : endpoints) {
            channels.add(ManagedChannelBuilder.forTarget(endpoint).usePlaintext().build());
        }
    }

    private static MethodDescriptor<byte[], byte[]> method(String fullName) {
        return MethodDescriptor.<byte[], byte[]>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(fullName).setRequestMarshaller(RAW).setResponseMarshaller(RAW).build();
    }

    @Override
    public String name() {
        return "etcd";
    }

    @Override
    public void check(Workload workload) {
        if (!WORKLOADS.contains(workload.name())) {
            throw new IllegalArgumentException("the etcd target runs the workloads " + WORKLOADS + ", not "
                    + workload.name());
        }
    }

    @Override
    public void load(List<String> keys, byte[] value) {
        for (String key : keys) {
            write(key, value);
        }
    }

    @Override
    public boolean read(String key) {
        byte[] reply = call(RANGE, message(key, null));
        try {
            CodedInputStream in = CodedInputStream.newInstance(reply);
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) == 2) {
                    return true;
                }
                in.skipField(tag);
            }
            return false;
        } catch (IOException e) {
            throw new IllegalStateException("etcd sent a RangeResponse that does not parse", e);
        }
    }

    @Override
    public void write(String key, byte[] value) {
        call(PUT, message(key, value));
    }

    @Override
    public int scan(String from, String end, int limit) {
        throw new UnsupportedOperationException("scans are not driven on etcd");
    }

    @Override
    public int readModifyWrite(String key, byte[] value) {
        throw new UnsupportedOperationException("transactions are not driven on etcd");
    }

    @Override
    public int transfer(String from, String to, long amount) {
        throw new UnsupportedOperationException("transactions are not driven on etcd");
    }

    @Override
    public long total(List<String> accounts) {
        throw new UnsupportedOperationException("transactions are not driven on etcd");
    }

    private byte[] call(MethodDescriptor<byte[], byte[]> method, byte[] request) {
        ManagedChannel channel = channels.get(Math.floorMod(next.getAndIncrement(), channels.size()));
        return ClientCalls.blockingUnaryCall(channel, method,
                CallOptions.DEFAULT.withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS), request);
    }

    /** Field 1: the key; field 2, when given: the value. */
    private static byte[] message(String key, byte[] value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(key.length() + (value == null ? 0 : value.length) + 8);
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            out.writeBytes(1, ByteString.copyFrom(key, StandardCharsets.UTF_8));
            if (value != null) {
                out.writeBytes(2, ByteString.copyFrom(value));
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public void close() {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow();
        }
    }
}
