package io.meridian.storage;

import com.google.protobuf.ByteString;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of {@link MvccStore#versions}: stored versions in key order, each key's versions
 * oldest first, never splitting one key's versions across pages.
 *
 * @param versions the versions of this page
 * @param resumeAfterKey present when more keys of the span may hold versions: pass it back as
 *     {@code resumeAfterKey} to read the next page (it is the last key this page covered)
 */
public record VersionPage(List<StoredVersion> versions, Optional<ByteString> resumeAfterKey) {

    public VersionPage {
        versions = List.copyOf(versions);
        Objects.requireNonNull(resumeAfterKey, "resumeAfterKey");
    }
}
