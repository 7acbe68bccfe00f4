package io.meridian.storage.lmdb;

import com.google.protobuf.ByteString;
import io.meridian.storage.GroupId;
import io.meridian.storage.IncompleteImport;
import io.meridian.storage.IncompleteImportException;
import io.meridian.storage.KeySpan;
import io.meridian.storage.Mutation;
import io.meridian.storage.PreparedTxn;
import io.meridian.storage.ScanDirection;
import io.meridian.storage.ScanResult;
import io.meridian.storage.SnapshotFormatException;
import io.meridian.storage.SpanSnapshot;
import io.meridian.storage.TxnId;
import io.meridian.storage.WriteBatch;
import io.meridian.truetime.Timestamp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static io.meridian.storage.lmdb.TestData.GROUP;
import static io.meridian.storage.lmdb.TestData.bytes;
import static io.meridian.storage.lmdb.TestData.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shows span export and import: a round trip into a fresh store reproduces every version,
 * the metadata, prepared records, applied index and GC horizon; an import replaces only its
 * span; a snapshot ignores writes after it was taken; spans larger than one frame stream in
 * several frames; a truncated or corrupt stream is refused, and an interrupted import stays
 * visible (also after reopening) until a full import of the same spans succeeds.
 */
class SpanSnapshotTest {

    private static final KeySpan SPAN = new KeySpan(bytes("b"), bytes("m"));

    @TempDir
    Path dir;

    private LmdbMvccStore source;
    private LmdbMvccStore target;
    private long index;

    @BeforeEach
    void open() {
        source = TestData.open(dir.resolve("source"));
        target = TestData.open(dir.resolve("target"));
    }

    @AfterEach
    void close() {
        source.close();
        target.close();
    }

    private void write(LmdbMvccStore store, long micros, String... keyValues) {
        WriteBatch.Builder batch = WriteBatch.builder(GROUP, ++index).commitTs(ts(micros));
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] == null) {
                batch.delete(bytes(keyValues[i]));
            } else {
                batch.put(bytes(keyValues[i]), bytes(keyValues[i + 1]));
            }
        }
        store.apply(batch.build());
    }

    private void fillSource() {
        write(source, 100, "a", "outside", "b", "b1", "c", "c1", "d", "d1", "m", "outside");
        write(source, 200, "b", "b2", "c", null);
        PreparedTxn prepared = new PreparedTxn(new TxnId(3, 4), ts(250), new GroupId(9),
                List.of(new Mutation.Put(bytes("d"), bytes("d-prepared")), new Mutation.DeleteRange(bytes("b"), bytes("c"))),
                ts(5_000));
        source.apply(WriteBatch.builder(GROUP, ++index).commitTs(ts(300)).put(bytes("e"), bytes("e3"))
                .putMetadata("range", bytes("[b, m)")).putMetadata("txn/01", bytes("decided"))
                .putMetadata("txn/02", bytes("decided too")).putPrepared(prepared).build());
        source.collectGarbage(ts(150));
    }

    private static byte[] export(LmdbMvccStore store, KeySpan span) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SpanSnapshot snapshot = store.exportSpan(GROUP, span)) {
            snapshot.writeTo(out);
        }
        return out.toByteArray();
    }

    private static ScanResult scan(LmdbMvccStore store, KeySpan span, long micros) {
        return store.scan(span, ts(micros), 100, ScanDirection.FORWARD);
    }

    @Test
    void roundTripIntoAFreshStoreReproducesTheSpanAndTheGroupRecords() throws IOException {
        fillSource();

        target.importSpan(GROUP, SPAN, new ByteArrayInputStream(export(source, SPAN)));

        for (long micros : new long[] {150, 199, 200, 299, 300, 1000}) {
            assertEquals(scan(source, SPAN, micros), scan(target, SPAN, micros), "scan at " + micros);
        }
        assertEquals(List.of(), scan(target, new KeySpan(ByteString.EMPTY, bytes("b")), 1000).rows());
        assertEquals(Optional.empty(), target.get(bytes("m"), ts(1000)));
        assertEquals(source.appliedIndex(GROUP), target.appliedIndex(GROUP));
        assertEquals(source.metadata(GROUP, "range"), target.metadata(GROUP, "range"));
        assertEquals(source.preparedTxns(GROUP), target.preparedTxns(GROUP));
        assertEquals(ts(5_000), target.preparedTxns(GROUP).get(0).deadline(), "the deadline travels");
        assertEquals(source.metadataWithPrefix(GROUP, "txn/"), target.metadataWithPrefix(GROUP, "txn/"));
        assertEquals(2, target.metadataWithPrefix(GROUP, "txn/").size());
        assertEquals(ts(150), target.gcHorizon());
        assertEquals(List.of(), target.incompleteImports());
    }

    @Test
    void importReplacesItsSpanAndTheGroupRecordsButNothingOutside() throws IOException {
        fillSource();
        write(target, 50, "a", "target-a", "bb", "target-only", "d", "target-d", "z", "target-z");
        target.apply(WriteBatch.builder(GROUP, 1_000).putMetadata("stale", bytes("x")).build());

        target.importSpan(GROUP, SPAN, new ByteArrayInputStream(export(source, SPAN)));

        assertEquals(scan(source, SPAN, 1000), scan(target, SPAN, 1000));
        assertEquals(Optional.empty(), target.get(bytes("bb"), ts(1000)));
        assertEquals(Optional.of(bytes("target-a")), target.get(bytes("a"), ts(1000)).map(v -> v.value()));
        assertEquals(Optional.of(bytes("target-z")), target.get(bytes("z"), ts(1000)).map(v -> v.value()));
        assertEquals(Optional.empty(), target.metadata(GROUP, "stale"));
        assertEquals(source.appliedIndex(GROUP), target.appliedIndex(GROUP));
    }

    @Test
    void snapshotIgnoresWritesMadeAfterItWasTaken() throws IOException {
        write(source, 100, "c", "before");
        long indexAtSnapshot = source.appliedIndex(GROUP);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SpanSnapshot snapshot = source.exportSpan(GROUP, SPAN)) {
            write(source, 200, "c", "after", "d", "after");
            source.collectGarbage(ts(200));
            snapshot.writeTo(out);
            assertEquals(indexAtSnapshot, snapshot.appliedIndex());
            assertEquals(Timestamp.MIN, snapshot.gcHorizon());
        }

        target.importSpan(GROUP, SPAN, new ByteArrayInputStream(out.toByteArray()));

        assertEquals(Optional.of(bytes("before")), target.get(bytes("c"), ts(1000)).map(v -> v.value()));
        assertEquals(Optional.empty(), target.get(bytes("d"), ts(1000)));
        assertEquals(indexAtSnapshot, target.appliedIndex(GROUP));
    }

    @Test
    void spanLargerThanOneFrameStreamsInSeveralFrames() throws IOException {
        ByteString value = ByteString.copyFrom(new byte[20 << 10]);
        for (int i = 0; i < 60; i++) {
            source.apply(WriteBatch.builder(GROUP, ++index).commitTs(ts(100 + i))
                    .put(bytes(String.format("c%03d", i)), value).put(bytes(String.format("c%03d", i / 2)), value).build());
        }
        byte[] stream = export(source, SPAN);

        assertTrue(dataFrames(stream) >= 4, "expected several frames, got " + dataFrames(stream));
        target.importSpan(GROUP, SPAN, new ByteArrayInputStream(stream));
        for (long micros : new long[] {100, 130, 159}) {
            assertEquals(scan(source, SPAN, micros), scan(target, SPAN, micros), "scan at " + micros);
        }
    }

    @Test
    void interruptedImportStaysVisibleUntilAFullImportSucceeds() throws IOException {
        ByteString value = ByteString.copyFrom(new byte[20 << 10]);
        for (int i = 0; i < 40; i++) {
            source.apply(WriteBatch.builder(GROUP, ++index).commitTs(ts(100 + i))
                    .put(bytes(String.format("c%03d", i)), value).build());
        }
        byte[] stream = export(source, SPAN);
        byte[] truncated = Arrays.copyOf(stream, stream.length * 2 / 3);

        SnapshotFormatException error = assertThrows(SnapshotFormatException.class,
                () -> target.importSpan(GROUP, SPAN, new ByteArrayInputStream(truncated)));
        assertTrue(error.getMessage().contains("truncated"), error.getMessage());
        List<IncompleteImport> expected = List.of(new IncompleteImport(GROUP, List.of(SPAN)));
        assertEquals(expected, target.incompleteImports());

        target.close();
        target = TestData.open(dir.resolve("target"));
        assertEquals(expected, target.incompleteImports());
        WriteBatch next = WriteBatch.builder(GROUP, 1_000).build();
        assertThrows(IncompleteImportException.class, () -> target.apply(next));
        assertThrows(IncompleteImportException.class, () -> target.exportSpan(GROUP, SPAN));
        IllegalArgumentException narrower = assertThrows(IllegalArgumentException.class, () -> target.importSpan(GROUP,
                new KeySpan(bytes("c"), bytes("m")), new ByteArrayInputStream(export(source, new KeySpan(bytes("c"), bytes("m"))))));
        assertTrue(narrower.getMessage().contains("half-replaced"), narrower.getMessage());

        target.importSpan(GROUP, SPAN, new ByteArrayInputStream(stream));
        assertEquals(List.of(), target.incompleteImports());
        assertEquals(scan(source, SPAN, 1000), scan(target, SPAN, 1000));
        assertEquals(source.appliedIndex(GROUP), target.appliedIndex(GROUP));
    }

    @Test
    void corruptOrMismatchedStreamsAreRefused() throws IOException {
        fillSource();
        byte[] stream = export(source, SPAN);

        byte[] flipped = stream.clone();
        flipped[flipped.length / 2] ^= 0x40;
        SnapshotFormatException checksum = assertThrows(SnapshotFormatException.class,
                () -> target.importSpan(GROUP, SPAN, new ByteArrayInputStream(flipped)));
        assertTrue(checksum.getMessage().contains("checksum"), checksum.getMessage());

        byte[] badMagic = stream.clone();
        badMagic[0] = 'X';
        assertThrows(SnapshotFormatException.class, () -> target.importSpan(GROUP, SPAN, new ByteArrayInputStream(badMagic)));

        byte[] trailing = Arrays.copyOf(stream, stream.length + 1);
        assertThrows(SnapshotFormatException.class, () -> target.importSpan(GROUP, SPAN, new ByteArrayInputStream(trailing)));

        assertThrows(IllegalArgumentException.class,
                () -> target.importSpan(new GroupId(2), SPAN, new ByteArrayInputStream(stream)));
        assertThrows(IllegalArgumentException.class,
                () -> target.importSpan(GROUP, KeySpan.ALL, new ByteArrayInputStream(stream)));
    }

    @Test
    void multiSpanSnapshotCoversEverySpanAtOneInstant() throws IOException {
        fillSource();
        List<KeySpan> spans = List.of(new KeySpan(ByteString.EMPTY, bytes("b")), new KeySpan(bytes("d"), bytes("e")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SpanSnapshot snapshot = source.exportSpans(GROUP, spans)) {
            snapshot.writeTo(out);
        }

        target.importSpans(GROUP, spans, new ByteArrayInputStream(out.toByteArray()));

        for (KeySpan span : spans) {
            assertEquals(scan(source, span, 1000), scan(target, span, 1000));
        }
        assertEquals(Optional.empty(), target.get(bytes("e"), ts(1000)));
    }

    private static int dataFrames(byte[] stream) throws IOException {
        FrameReader reader = new FrameReader(new ByteArrayInputStream(stream));
        int frames = 0;
        while (reader.next().type() != SnapshotFormat.FrameType.END) {
            frames++;
        }
        return frames;
    }
}
