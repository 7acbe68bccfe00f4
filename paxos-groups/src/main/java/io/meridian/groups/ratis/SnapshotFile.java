package io.meridian.groups.ratis;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The file a replica's snapshot lives in, in Ratis' state-machine directory (named
 * {@code snapshot.<term>_<index>} by Ratis' convention, with an MD5 file beside it): a header of
 * {@value #HEADER_BYTES} bytes (magic, format version, the group state machine's applied index)
 * followed by what {@code GroupStateMachine.writeSnapshot} wrote. The applied index is kept
 * because it may be below the Raft index in the file name (entries after the last command, such
 * as configuration changes, do not reach the group state machine); it decides whether a replica
 * must install the snapshot.
 */
final class SnapshotFile {

    /** {@code "MRDNSNAP"} in ASCII. */
    private static final long MAGIC = 0x4d52444e534e4150L;
    private static final int FORMAT_VERSION = 1;
    static final int HEADER_BYTES = Long.BYTES + Integer.BYTES + Long.BYTES;

    /** Writes the body of a snapshot; returns the state machine's applied index it reflects. */
    @FunctionalInterface
    interface BodyWriter {
        long write(OutputStream out) throws IOException;
    }

    /** Reads the body of a snapshot. */
    @FunctionalInterface
    interface BodyReader {
        void read(InputStream in) throws IOException;
    }

    private SnapshotFile() {
    }

    /**
     * Writes a snapshot to {@code file} atomically: to a temporary sibling first, forced to disk,
     * then renamed, so a crash never leaves a partial file under a snapshot name.
     *
     * @return the applied index the body reflects
     */
    static long write(Path file, BodyWriter body) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        long appliedIndex;
        boolean complete = false;
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            channel.position(HEADER_BYTES);
            OutputStream buffered = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            appliedIndex = body.write(new FilterOutputStream(buffered) {
                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    out.write(bytes, offset, length);
                }

                @Override
                public void close() throws IOException {
                    // The body writer may close its stream; the header is still to be written.
                    flush();
                }
            });
            buffered.flush();
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).putLong(MAGIC).putInt(FORMAT_VERSION)
                    .putLong(appliedIndex).flip();
            while (header.hasRemaining()) {
                channel.write(header, header.position());
            }
            channel.force(true);
            complete = true;
        } finally {
            if (!complete) {
                Files.deleteIfExists(partial);
            }
        }
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return appliedIndex;
    }

    /** The state machine's applied index recorded in {@code file}'s header. */
    static long appliedIndex(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            return readHeader(in, file);
        }
    }

    /** Hands the body of {@code file} to {@code body}; returns the applied index of the header. */
    static long read(Path file, BodyReader body) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            long appliedIndex = readHeader(in, file);
            body.read(in);
            return appliedIndex;
        }
    }

    private static long readHeader(DataInputStream in, Path file) throws IOException {
        long magic = in.readLong();
        int version = in.readInt();
        if (magic != MAGIC || version != FORMAT_VERSION) {
            throw new IOException(file + " is not a Meridian snapshot of format " + FORMAT_VERSION
                    + " (magic " + Long.toHexString(magic) + ", version " + version + ")");
        }
        return in.readLong();
    }
}
