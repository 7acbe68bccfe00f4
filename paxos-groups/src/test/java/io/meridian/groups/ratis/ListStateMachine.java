package io.meridian.groups.ratis;

import com.google.protobuf.ByteString;
import io.meridian.groups.GroupStateMachine;
import io.meridian.groups.NodeId;
import io.meridian.storage.GroupId;
import io.meridian.storage.MvccStore;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test {@link GroupStateMachine}: keeps the commands it applied, in order, and appends each to
 * a file so that it survives a restart the way a durable store does (its applied index is the
 * last record's). Replies {@code "applied <index>: <command>"}. The command {@link #POISON} makes
 * {@link #apply} throw a {@link PoisonError}.
 */
final class ListStateMachine implements GroupStateMachine {

    /** A command whose application throws {@link PoisonError}. */
    static final ByteString POISON = ByteString.copyFromUtf8("poison");

    /** The error {@link #POISON} throws: a stand-in for a bug in a real state machine. */
    static final class PoisonError extends Error {
        PoisonError(long index) {
            super("poisoned command at index " + index);
        }
    }

    /** A leadership notification as the state machine received it. */
    record LeaderEvent(Optional<NodeId> leader, long term) {
    }

    private record Entry(long index, long term, ByteString command) {
    }

    private final GroupId group;
    private final Path file;
    private final List<Entry> entries = new ArrayList<>();
    private final List<LeaderEvent> leaderEvents = new CopyOnWriteArrayList<>();
    private int snapshotsInstalled;
    private int snapshotsWritten;

    /** Opens the state kept in {@code file} (empty if there is none). */
    ListStateMachine(GroupId group, Path file) {
        this.group = group;
        this.file = file;
        try {
            Files.createDirectories(file.getParent());
            if (Files.exists(file)) {
                try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
                    entries.addAll(readRecords(in, Integer.MAX_VALUE));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public GroupId group() {
        return group;
    }

    @Override
    public synchronized long appliedIndex() {
        return entries.isEmpty() ? MvccStore.NO_APPLIED_INDEX : entries.getLast().index();
    }

    @Override
    public synchronized ByteString apply(long index, long term, ByteString command) {
        if (index <= appliedIndex()) {
            return ByteString.EMPTY;
        }
        if (command.equals(POISON)) {
            throw new PoisonError(index);
        }
        Entry entry = new Entry(index, term, command);
        try {
            Files.write(file, recordBytes(List.of(entry)), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        entries.add(entry);
        return ByteString.copyFromUtf8("applied " + index + ": " + command.toStringUtf8());
    }

    @Override
    public synchronized long writeSnapshot(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(entries.size());
        data.write(recordBytes(entries));
        data.flush();
        snapshotsWritten++;
        return appliedIndex();
    }

    @Override
    public synchronized void installSnapshot(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int count = data.readInt();
        List<Entry> installed = readRecords(data, count);
        if (installed.size() != count) {
            throw new IOException("snapshot of " + group + " is truncated: " + installed.size() + " of " + count);
        }
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.write(partial, recordBytes(installed));
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        entries.clear();
        entries.addAll(installed);
        snapshotsInstalled++;
    }

    @Override
    public void leaderChanged(Optional<NodeId> leader, long term) {
        leaderEvents.add(new LeaderEvent(leader, term));
    }

    /** The commands applied so far, in order. */
    synchronized List<String> commands() {
        return entries.stream().map(entry -> entry.command().toStringUtf8()).toList();
    }

    synchronized List<Long> indices() {
        return entries.stream().map(Entry::index).toList();
    }

    synchronized int snapshotsInstalled() {
        return snapshotsInstalled;
    }

    synchronized int snapshotsWritten() {
        return snapshotsWritten;
    }

    List<LeaderEvent> leaderEvents() {
        return List.copyOf(leaderEvents);
    }

    private static byte[] recordBytes(List<Entry> records) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (Entry entry : records) {
            out.writeLong(entry.index());
            out.writeLong(entry.term());
            out.writeInt(entry.command().size());
            entry.command().writeTo(out);
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static List<Entry> readRecords(DataInputStream in, int countMax) throws IOException {
        List<Entry> records = new ArrayList<>();
        try {
            while (records.size() < countMax) {
                long index = in.readLong();
                long term = in.readLong();
                byte[] command = new byte[in.readInt()];
                in.readFully(command);
                records.add(new Entry(index, term, ByteString.copyFrom(command)));
            }
        } catch (EOFException end) {
            // The end of the records; a record cut short by a crash is dropped with it.
        }
        return records;
    }
}
