package io.meridian.txn.sim;

import io.meridian.txn.sim.History.KeyRead;
import io.meridian.txn.sim.History.Write;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The transaction that ends a run, once faults have healed: it takes locks on every key and
 * writes every existing value back unchanged (under its own tag). It can commit only if no lock
 * was left behind by a transaction that died, and no prepared transaction stayed in doubt.
 */
final class FinalTransaction extends ReadWriteClient {

    static final String NAME = "final";

    FinalTransaction(Workloads workloads) {
        super(workloads, NAME, 1);
    }

    @Override
    List<String> keysToRead() {
        List<String> keys = new ArrayList<>(world.accounts);
        keys.addAll(world.listKeys);
        return keys;
    }

    @Override
    Decision decide(List<String> keys, Map<String, KeyRead> read, String tag) {
        List<Write> writes = new ArrayList<>();
        for (String key : keys) {
            KeyRead keyRead = read.get(key);
            keyRead.observed().ifPresent(seen -> writes.add(new Write(keyRead.key(),
                    new TaggedValue(TaggedValue.payloadOf(seen.value()), tag).toString())));
        }
        return Decision.commit(writes);
    }
}
