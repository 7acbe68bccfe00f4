package io.meridian.txn.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the database finally holds: every stored version of every key, with its commit
 * timestamp, read from the replicas' stores after the run (the stores keep every version: the
 * run is far shorter than the retention window). It is the ground truth the read checks compare
 * against: a read at {@code t} must return exactly {@link #visibleAt}{@code (key, t)}.
 */
final class VersionModel {

    /** One stored version; an empty value is a tombstone. */
    record Version(String key, long tsMicros, Optional<String> value) {
    }

    private final Map<String, List<Version>> byKey = new TreeMap<>();

    /** Adds a version; versions of a key may come in any order. */
    VersionModel add(String key, long tsMicros, Optional<String> value) {
        List<Version> versions = byKey.computeIfAbsent(key, k -> new ArrayList<>());
        versions.add(new Version(key, tsMicros, value));
        versions.sort(Comparator.comparingLong(Version::tsMicros));
        return this;
    }

    /** Adds a put. */
    VersionModel put(String key, long tsMicros, String value) {
        return add(key, tsMicros, Optional.of(value));
    }

    /** The keys holding any version, in order. */
    List<String> keys() {
        return List.copyOf(byKey.keySet());
    }

    /** Every version of {@code key}, oldest first. */
    List<Version> versions(String key) {
        return List.copyOf(byKey.getOrDefault(key, List.of()));
    }

    /** Every version of every key, by key then timestamp. */
    List<Version> all() {
        List<Version> all = new ArrayList<>();
        byKey.values().forEach(all::addAll);
        return all;
    }

    /** The newest version at or below {@code tsMicros}, unless there is none or it is a tombstone. */
    Optional<Version> visibleAt(String key, long tsMicros) {
        Version newest = null;
        for (Version version : byKey.getOrDefault(key, List.of())) {
            if (version.tsMicros() <= tsMicros) {
                newest = version;
            }
        }
        return newest == null || newest.value().isEmpty() ? Optional.empty() : Optional.of(newest);
    }

    /** The newest visible version strictly below {@code tsMicros}: what a transaction at that timestamp reads. */
    Optional<Version> visibleBefore(String key, long tsMicros) {
        return tsMicros == Long.MIN_VALUE ? Optional.empty() : visibleAt(key, tsMicros - 1);
    }

    /** The newest visible version of {@code key}. */
    Optional<Version> latest(String key) {
        return visibleAt(key, Long.MAX_VALUE);
    }

    /** The version of {@code key} at exactly {@code tsMicros}, if one is stored. */
    Optional<Version> at(String key, long tsMicros) {
        return byKey.getOrDefault(key, List.of()).stream().filter(v -> v.tsMicros() == tsMicros).findFirst();
    }

    /** The put versions written by the attempt tagged {@code tag}. */
    List<Version> writtenBy(String tag) {
        return all().stream().filter(v -> v.value().isPresent() && TaggedValue.tagOf(v.value().get()).equals(tag))
                .toList();
    }

    /** Put versions by writer tag, tags in order. */
    Map<String, List<Version>> byTag() {
        Map<String, List<Version>> tags = new TreeMap<>();
        for (Version version : all()) {
            version.value().ifPresent(value ->
                    tags.computeIfAbsent(TaggedValue.tagOf(value), t -> new ArrayList<>()).add(version));
        }
        return tags;
    }
}
