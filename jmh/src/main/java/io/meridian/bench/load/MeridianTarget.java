package io.meridian.bench.load;

import com.google.protobuf.ByteString;
import io.meridian.client.KeySpan;
import io.meridian.client.KeyValue;
import io.meridian.client.MeridianClient;
import io.meridian.client.Mutation;
import io.meridian.client.ScanOptions;
import io.meridian.client.Scan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Meridian through its Java SDK: leader-aware routing, strong reads, read-write transactions. */
final class MeridianTarget implements Target {

    private final MeridianClient client;

    MeridianTarget(List<String> endpoints) {
        this.client = MeridianClient.builder().endpoints(endpoints).callTimeout(Duration.ofSeconds(10))
                .transactionTimeout(Duration.ofSeconds(30)).build();
    }

    @Override
    public String name() {
        return "meridian";
    }

    @Override
    public void check(Workload workload) {
        // Every workload runs on Meridian.
    }

    @Override
    public void load(List<String> keys, byte[] value) {
        ByteString bytes = ByteString.copyFrom(value);
        List<Mutation> puts = new ArrayList<>(keys.size());
        for (String key : keys) {
            puts.add(Mutation.put(ByteString.copyFromUtf8(key), bytes));
        }
        client.write(puts);
    }

    @Override
    public boolean read(String key) {
        return client.singleUse().get(key).isPresent();
    }

    @Override
    public void write(String key, byte[] value) {
        client.write(Mutation.put(ByteString.copyFromUtf8(key), ByteString.copyFrom(value)));
    }

    @Override
    public int scan(String from, String end, int limit) {
        try (Scan scan = client.singleUse().scan(KeySpan.of(from, end), ScanOptions.defaults().withLimit(limit)
                .withPageSize(Math.min(limit, ScanOptions.PAGE_SIZE_MAX)))) {
            int count = 0;
            for (KeyValue ignored : scan) {
                count++;
            }
            return count;
        }
    }

    @Override
    public int readModifyWrite(String key, byte[] value) {
        ByteString bytes = ByteString.copyFrom(value);
        return client.readWriteTransaction(txn -> {
            // YCSB's read-modify-write: the read takes a shared lock that the write upgrades at commit.
            txn.get(key);
            txn.put(ByteString.copyFromUtf8(key), bytes);
            return null;
        }).attempts();
    }

    @Override
    public int transfer(String from, String to, long amount) {
        return client.readWriteTransaction(txn -> {
            long fromBalance = balance(txn.get(from));
            if (fromBalance < amount) {
                return null;
            }
            long toBalance = balance(txn.get(to));
            txn.put(from, Long.toString(fromBalance - amount));
            txn.put(to, Long.toString(toBalance + amount));
            return null;
        }).attempts();
    }

    @Override
    public long total(List<String> accounts) {
        long sum = 0;
        for (KeyValue row : client.singleUse().read(accounts.toArray(String[]::new)).rows()) {
            sum += Long.parseLong(row.valueUtf8());
        }
        return sum;
    }

    private static long balance(Optional<KeyValue> row) {
        return row.map(kv -> Long.parseLong(kv.valueUtf8())).orElse(0L);
    }

    @Override
    public void close() {
        client.close();
    }
}
