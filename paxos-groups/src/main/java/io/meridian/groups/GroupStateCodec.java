package io.meridian.groups;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;
import io.meridian.api.internal.v1.Lease;
import io.meridian.api.internal.v1.MetaState;
import io.meridian.api.internal.v1.RangeState;
import io.meridian.truetime.Timestamp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a {@link GroupState} is stored as group metadata. Two entries: {@link #STATE_NAME} holds
 * everything but the meta state, encoded in protobuf wire format as the message
 * <pre>
 *   message GroupStateRecord {
 *     int32 format_version = 1;  bool initialized = 2;  bool meta = 3;
 *     repeated RangeState ranges = 4;  int64 last_ts_micros = 5;
 *     Lease lease = 6;  // holder_node_id, term, end_micros
 *     int64 prior_lease_end_micros = 7;  int64 next_range_sequence = 8;
 *     repeated RangeState incoming = 9;
 *   }
 * </pre>
 * so it can move into {@code group_commands.proto} unchanged; {@link #META_NAME} holds the
 * {@link MetaState} and is written only when a meta command changes it. The applied index is
 * the store's own, and the prepared transactions and decision records ({@link GroupTxns}) are
 * the store's prepared records and {@code "txn/"} metadata.
 */
final class GroupStateCodec {

    /** Metadata name of the encoded state. */
    static final String STATE_NAME = "groups.state";

    /** Metadata name of the meta group's {@link MetaState}. */
    static final String META_NAME = "groups.meta-state";

    private static final int FORMAT_VERSION = 1;

    private GroupStateCodec() {
    }

    /** Encodes everything but the applied index, the meta state and the transactions. */
    static ByteString encode(GroupState state) {
        ByteString.Output bytes = ByteString.newOutput();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            out.writeInt32(1, FORMAT_VERSION);
            out.writeBool(2, state.initialized());
            out.writeBool(3, state.meta());
            for (RangeState range : state.ranges()) {
                out.writeMessage(4, range);
            }
            out.writeInt64(5, state.lastTs().micros());
            if (state.lease().isPresent()) {
                GroupLease lease = state.lease().get();
                out.writeMessage(6, Lease.newBuilder().setHolderNodeId(lease.holder().value())
                        .setTerm(lease.term()).setEndMicros(lease.end().micros()).build());
            }
            out.writeInt64(7, state.priorLeaseEnd().micros());
            out.writeInt64(8, state.nextRangeSequence());
            for (RangeState range : state.incoming()) {
                out.writeMessage(9, range);
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("encoding to memory cannot fail", e);
        }
        return bytes.toByteString();
    }

    /**
     * Decodes a stored state.
     *
     * @throws IllegalStateException when the stored bytes are corrupt or of a newer format
     */
    static GroupState decode(ByteString encoded, long appliedIndex, Optional<MetaState> metaState, GroupTxns txns) {
        try {
            return read(encoded.newCodedInput(), appliedIndex, metaState, txns);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("corrupt group state metadata: " + e.getMessage(), e);
        }
    }

    /** Decodes the stored meta state. */
    static MetaState decodeMeta(ByteString encoded) {
        try {
            return MetaState.parseFrom(encoded);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt meta state metadata: " + e.getMessage(), e);
        }
    }

    private static GroupState read(CodedInputStream in, long appliedIndex, Optional<MetaState> metaState,
            GroupTxns txns) throws IOException {
        int version = 0;
        boolean initialized = false;
        boolean meta = false;
        List<RangeState> ranges = new ArrayList<>();
        List<RangeState> incoming = new ArrayList<>();
        long lastTs = 0;
        Optional<GroupLease> lease = Optional.empty();
        long priorLeaseEnd = 0;
        long nextRangeSequence = GroupState.FIRST_RANGE_SEQUENCE;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (tag >>> 3) {
                case 1 -> version = in.readInt32();
                case 2 -> initialized = in.readBool();
                case 3 -> meta = in.readBool();
                case 4 -> ranges.add(in.readMessage(RangeState.parser(), ExtensionRegistryLite.getEmptyRegistry()));
                case 5 -> lastTs = in.readInt64();
                case 6 -> {
                    Lease stored = in.readMessage(Lease.parser(), ExtensionRegistryLite.getEmptyRegistry());
                    lease = Optional.of(new GroupLease(new NodeId(stored.getHolderNodeId()), stored.getTerm(),
                            new Timestamp(stored.getEndMicros())));
                }
                case 7 -> priorLeaseEnd = in.readInt64();
                case 8 -> nextRangeSequence = in.readInt64();
                case 9 -> incoming.add(in.readMessage(RangeState.parser(), ExtensionRegistryLite.getEmptyRegistry()));
                default -> in.skipField(tag);
            }
        }
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("group state format " + version + " is not " + FORMAT_VERSION);
        }
        return new GroupState(appliedIndex, initialized, meta, ranges, new Timestamp(lastTs), lease,
                new Timestamp(priorLeaseEnd), nextRangeSequence, metaState, incoming, txns);
    }
}
