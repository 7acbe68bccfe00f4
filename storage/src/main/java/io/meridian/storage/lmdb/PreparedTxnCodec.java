package io.meridian.storage.lmdb;

import io.meridian.storage.GroupId;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Mutation;
import io.meridian.storage.PreparedTxn;
import io.meridian.storage.TxnId;
import io.meridian.truetime.Timestamp;

import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of a prepared-transaction record, stored in LMDB and carried in span
 * snapshots: txn id (16 bytes), prepare timestamp, coordinator group, then the mutations, each
 * a tag byte and its length-prefixed fields, then the deadline (8 bytes). Decoding rebuilds the
 * public records, so their checks (key sizes, span order) run again.
 *
 * <p>The deadline came later: a record that ends after its mutations (written before) decodes
 * with the deadline {@link Timestamp#MAX}, so stores and snapshots of store format 2 written
 * without it stay readable.
 */
final class PreparedTxnCodec {

    private static final int PUT = 1;
    private static final int DELETE = 2;
    private static final int DELETE_RANGE = 3;

    private PreparedTxnCodec() {
    }

    static RecordWriter encode(PreparedTxn prepared) {
        RecordWriter out = new RecordWriter((int) Math.min(prepared.sizeBytes() + 64, 1 << 20));
        out.putLong(prepared.id().high()).putLong(prepared.id().low());
        out.putLong(prepared.prepareTs().micros()).putLong(prepared.coordinator().value());
        out.putInt(prepared.writes().size());
        for (Mutation write : prepared.writes()) {
            switch (write) {
                case Mutation.Put put -> out.putByte(PUT).putShortBytes(put.key()).putIntBytes(put.value());
                case Mutation.Delete delete -> out.putByte(DELETE).putShortBytes(delete.key());
                case Mutation.DeleteRange range ->
                        out.putByte(DELETE_RANGE).putShortBytes(range.start()).putShortBytes(range.end());
            }
        }
        out.putLong(prepared.deadline().micros());
        return out;
    }

    /**
     * Decodes one record that fills {@code in}.
     *
     * @throws IllegalArgumentException when the bytes are not a valid record
     */
    static PreparedTxn decode(RecordReader in) {
        TxnId id = new TxnId(in.getLong("txn id"), in.getLong("txn id"));
        Timestamp prepareTs = new Timestamp(in.getLong("prepare timestamp"));
        GroupId coordinator = new GroupId(in.getLong("coordinator"));
        int count = in.getInt("write count");
        if (count < 0 || count > in.remaining()) {
            throw new IllegalArgumentException("impossible write count " + count + " in prepared record");
        }
        List<Mutation> writes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            writes.add(decodeMutation(in));
        }
        Timestamp deadline = in.hasRemaining() ? new Timestamp(in.getLong("deadline")) : Timestamp.MAX;
        in.expectEnd("prepared record of " + id);
        return new PreparedTxn(id, prepareTs, coordinator, writes, deadline);
    }

    private static Mutation decodeMutation(RecordReader in) {
        int tag = in.getByte("mutation tag");
        return switch (tag) {
            case PUT -> new Mutation.Put(in.getShortBytes("key"), in.getIntBytes("value"));
            case DELETE -> new Mutation.Delete(in.getShortBytes("key"));
            case DELETE_RANGE -> {
                KeySpan span = new KeySpan(in.getShortBytes("range start"), in.getShortBytes("range end"));
                yield new Mutation.DeleteRange(span.start(), span.end());
            }
            default -> throw new IllegalArgumentException("unknown mutation tag " + tag);
        };
    }
}
