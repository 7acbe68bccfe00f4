package io.meridian.server.cluster;

import io.meridian.client.AmbiguousCommitException;
import io.meridian.client.KeySpan;
import io.meridian.client.KeyValue;
import io.meridian.client.MeridianClient;
import io.meridian.client.Mutation;
import io.meridian.client.ReadOnlyTransaction;
import io.meridian.client.Scan;
import io.meridian.client.ScanOptions;
import io.meridian.client.Timestamp;
import io.meridian.client.TimestampBound;
import io.meridian.client.TransactionResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The examples of {@code docs/client.md}, compiled and run against a real cluster by
 * {@link ClientSdkIT}: each method is one example, as the document shows it, and returns what
 * the document says it prints.
 */
final class ClientExamples {

    private ClientExamples() {
    }

    /** "Connect": any node's client address will do; the client finds the leaders. */
    static MeridianClient connect(List<String> endpoints) {
        return MeridianClient.builder()
                .endpoints(endpoints)                      // e.g. "127.0.0.1:7001", "127.0.0.1:7002"
                .callTimeout(Duration.ofSeconds(10))       // each RPC
                .transactionTimeout(Duration.ofSeconds(30)) // all attempts of one transaction
                .build();
    }

    /** "Write and read": a blind write, then a strong read of it. */
    static String writeAndRead(MeridianClient client) {
        Timestamp committed = client.write(Mutation.put("user/1", "Ada"), Mutation.put("user/2", "Grace"));
        KeyValue ada = client.singleUse().get("user/1").orElseThrow();
        return ada.valueUtf8() + " written at " + committed + ", version " + ada.versionTimestamp();
    }

    /** "A read-write transaction": move 10 from one account to another, retried on aborts. */
    static long transfer(MeridianClient client, String from, String to, long amount) {
        TransactionResult<Long> result = client.readWriteTransaction(txn -> {
            long source = txn.get(from).map(row -> Long.parseLong(row.valueUtf8())).orElse(0L);
            long target = txn.get(to).map(row -> Long.parseLong(row.valueUtf8())).orElse(0L);
            if (source < amount) {
                throw new IllegalStateException("insufficient funds in " + from + ": " + source);
            }
            txn.put(from, Long.toString(source - amount));
            txn.put(to, Long.toString(target + amount));
            return source - amount;
        });
        return result.value(); // result.commitTimestamp(), result.attempts() tell when and how
    }

    /** "An ambiguous commit": find out, by reading, whether it applied. */
    static boolean writeOnceAndFindOut(MeridianClient client, String key, String value) {
        try {
            client.write(Mutation.put(key, value));
            return true;
        } catch (AmbiguousCommitException e) {
            // It may or may not have applied; the SDK never re-sends it. Read to decide.
            return client.singleUse().get(key).map(row -> row.valueUtf8().equals(value)).orElse(false);
        }
    }

    /** "Read-only transactions and stale reads": one snapshot, and a read 10 s in the past. */
    static String snapshots(MeridianClient client) {
        String both;
        try (ReadOnlyTransaction snapshot = client.readOnlyTransaction()) { // strong by default
            Optional<KeyValue> ada = snapshot.get("user/1");
            Optional<KeyValue> grace = snapshot.get("user/2");
            both = ada.map(KeyValue::valueUtf8).orElse("-") + " and " + grace.map(KeyValue::valueUtf8).orElse("-")
                    + " at " + snapshot.readTimestamp();
        }
        Optional<KeyValue> tenSecondsAgo = client.singleUse(TimestampBound.exactStaleness(Duration.ofSeconds(10)))
                .get("user/1");
        return both + "; 10 s ago user/1 was " + tenSecondsAgo.map(KeyValue::valueUtf8).orElse("absent");
    }

    /** "Scans": a lazy, paged scan of a prefix, as a stream, all pages at one timestamp. */
    static List<String> scanUsers(MeridianClient client) {
        try (Scan scan = client.singleUse().scan(KeySpan.prefix("user/"), ScanOptions.defaults().withPageSize(100))) {
            return scan.stream().map(row -> row.keyUtf8() + "=" + row.valueUtf8()).toList();
        }
    }

    /** "Asynchronous calls": the same operations as futures. */
    static CompletableFuture<String> asyncRead(MeridianClient client) {
        return client.async().write(Mutation.put("async/1", "done"))
                .thenCompose(ts -> client.async().get("async/1"))
                .thenApply(row -> row.map(KeyValue::valueUtf8).orElse("absent"));
    }
}
