package io.meridian.txn.sim;

import io.meridian.txn.sim.History.KeyRead;
import io.meridian.txn.sim.History.Write;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The list-append workload's client (Elle-style): each transaction reads one to three lists with
 * locking reads and appends a fresh, run-unique element to some of them (writing the list back
 * with the element at its end); one that appends nothing commits its reads alone. Every element
 * thus names its writer, and every read shows a prefix of its key's version order.
 */
final class ListAppendClient extends ReadWriteClient {

    ListAppendClient(Workloads workloads, String name) {
        super(workloads, name, Integer.MAX_VALUE);
    }

    @Override
    List<String> keysToRead() {
        List<String> keys = new ArrayList<>(world.listKeys);
        Collections.shuffle(keys, random);
        return List.copyOf(keys.subList(0, 1 + random.nextInt(Math.min(3, keys.size()))));
    }

    @Override
    Decision decide(List<String> keys, Map<String, KeyRead> read, String tag) {
        List<Write> writes = new ArrayList<>();
        for (String key : keys) {
            KeyRead keyRead = read.get(key);
            if (random.nextInt(10) < 6) {
                List<Long> list = new ArrayList<>(keyRead.observed()
                        .map(o -> ListAppendCheck.parse(TaggedValue.payloadOf(o.value()))).orElse(List.of()));
                list.add(workloads.nextElement());
                writes.add(new Write(keyRead.key(), new TaggedValue(ListAppendCheck.format(list), tag).toString()));
            }
        }
        return Decision.commit(writes);
    }
}
