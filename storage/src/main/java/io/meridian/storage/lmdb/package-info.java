/**
 * The LMDB implementation of {@link io.meridian.storage.MvccStore}: the only package that
 * touches LMDB types.
 *
 * <p>Roles: {@link io.meridian.storage.lmdb.LmdbMvccStore} is the facade;
 * {@code LmdbTables} owns the environment and the transaction discipline; {@code KeyCodec}
 * is the on-disk layout; {@code VersionReader}, {@code BatchWriter} and
 * {@code GarbageCollector} read, write and collect versions; {@code StoreRecords} keeps the
 * per-group and store-wide bookkeeping; {@code LmdbSpanSnapshot} and {@code SpanImporter}
 * stream spans out and in through {@code SnapshotFormat}; {@code SyncMarker} detects a store
 * left unsynced by a machine crash.
 *
 * <p>Invariants:
 * <ul>
 *   <li>At most one write transaction at a time, always under the writer lock; reads never
 *       take it.</li>
 *   <li>Every put in {@code versions} has exactly one value in {@code values} under the same
 *       key and timestamp; tombstones have none. A key has at most one version per
 *       timestamp.</li>
 *   <li>A batch's writes and its applied index commit in the same transaction.</li>
 *   <li>No LMDB buffer escapes its transaction: everything returned is copied.</li>
 *   <li>The environment is closed only when no transaction is open ({@code StoreGate}).</li>
 * </ul>
 */
package io.meridian.storage.lmdb;
