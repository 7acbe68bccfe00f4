package io.meridian.storage;

import com.google.protobuf.ByteString;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a scan.
 *
 * <p>The resume key is present exactly when the span holds more visible rows than this page
 * returned. Its meaning depends on the direction, so that both continue with a plain span:
 * <ul>
 *   <li>{@link ScanDirection#FORWARD}: the first key not yet returned; the rest of the scan
 *       is {@code [resumeKey, end)}.</li>
 *   <li>{@link ScanDirection#REVERSE}: the last key returned; the rest of the scan is
 *       {@code [start, resumeKey)}.</li>
 * </ul>
 * {@link #remainder} builds that span.
 *
 * @param rows the visible versions, in scan order
 * @param resumeKey where the next page starts, as above; empty when the scan is complete
 */
public record ScanResult(List<Version> rows, Optional<ByteString> resumeKey) {

    public ScanResult {
        rows = List.copyOf(rows);
        Objects.requireNonNull(resumeKey, "resumeKey");
    }

    /**
     * The part of {@code scanned} still to read, or empty when the scan is complete.
     *
     * @param scanned the span this page was scanned over
     * @param direction the direction it was scanned in
     */
    public Optional<KeySpan> remainder(KeySpan scanned, ScanDirection direction) {
        return resumeKey.map(resume -> switch (direction) {
            case FORWARD -> new KeySpan(resume, scanned.end());
            case REVERSE -> new KeySpan(scanned.start(), resume);
        });
    }
}
