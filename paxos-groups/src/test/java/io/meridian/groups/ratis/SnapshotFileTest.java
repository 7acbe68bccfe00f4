package io.meridian.groups.ratis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shows the snapshot file: the state machine's applied index is readable from the header without
 * reading the body; the body comes back byte for byte even when the writer closes its stream; a
 * writer that fails leaves no file; a file that is not a Meridian snapshot is refused.
 */
class SnapshotFileTest {

    @TempDir
    Path directory;

    @Test
    void theHeaderCarriesTheAppliedIndexAndTheBodyComesBackWhole() throws IOException {
        Path file = directory.resolve("snapshot.3_120");
        byte[] body = "the state of the replica".getBytes(StandardCharsets.UTF_8);
        long written = SnapshotFile.write(file, out -> {
            out.write(body);
            out.close();
            return 117;
        });
        assertEquals(117, written);
        assertEquals(117, SnapshotFile.appliedIndex(file));
        assertEquals(SnapshotFile.HEADER_BYTES + body.length, Files.size(file));
        AtomicReference<byte[]> read = new AtomicReference<>();
        assertEquals(117, SnapshotFile.read(file, in -> read.set(in.readAllBytes())));
        assertArrayEquals(body, read.get());
    }

    @Test
    void aFailedWriteLeavesNoFile() throws IOException {
        Path file = directory.resolve("snapshot.3_121");
        assertThrows(IOException.class, () -> SnapshotFile.write(file, out -> {
            out.write(new byte[100]);
            throw new IOException("disk full");
        }));
        assertFalse(Files.exists(file));
        try (var files = Files.list(directory)) {
            assertEquals(0, files.count(), "no partial file is left behind");
        }
    }

    @Test
    void aFileOfAnotherFormatIsRefused() throws IOException {
        Path file = directory.resolve("snapshot.1_1");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(new byte[SnapshotFile.HEADER_BYTES + 10]);
        }
        IOException refused = assertThrows(IOException.class, () -> SnapshotFile.appliedIndex(file));
        assertTrue(refused.getMessage().contains("not a Meridian snapshot"), refused.getMessage());
    }
}
