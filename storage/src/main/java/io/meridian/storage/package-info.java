/**
 * Meridian's storage seam: {@link io.meridian.storage.MvccStore}, a multi-version key-value
 * store holding every Raft group of a node, and the values it speaks in (keys as
 * {@code ByteString}, {@link io.meridian.storage.Mutation}, {@link io.meridian.storage.WriteBatch},
 * {@link io.meridian.storage.Version}, {@link io.meridian.storage.KeySpan}).
 *
 * <p>Invariants every implementation keeps:
 * <ul>
 *   <li>A read at {@code t} sees exactly the versions with timestamp {@code <= t}, and the same
 *       read gives the same answer for as long as {@code t} is at or above the GC horizon.</li>
 *   <li>Per key, version timestamps strictly increase; a batch that breaks this is refused.</li>
 *   <li>A batch and its group's applied index are written together atomically; a batch at or
 *       below the applied index is skipped, so replay is exact.</li>
 *   <li>Every {@link io.meridian.storage.Limit} is checked before anything is written.</li>
 *   <li>The GC horizon never moves backwards and is stored before versions below it go.</li>
 * </ul>
 *
 * <p>This package has no storage-engine types; the LMDB implementation lives in
 * {@code io.meridian.storage.lmdb}.
 */
package io.meridian.storage;
