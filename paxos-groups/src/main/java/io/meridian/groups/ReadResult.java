package io.meridian.groups;

import com.google.protobuf.ByteString;
import io.meridian.storage.Version;
import java.util.List;
import java.util.Optional;

/**
 * The answer to a read at one replica.
 *
 * @param rows the visible versions, in the order the {@link ReadSpec} asks for
 * @param readTs the timestamp the read was served at
 * @param resumeKey for a span read that stopped early: the key to continue from
 */
public record ReadResult(List<Version> rows, io.meridian.truetime.Timestamp readTs,
        Optional<ByteString> resumeKey) {

    public ReadResult {
        rows = List.copyOf(rows);
    }
}
