package io.meridian.chaos.history;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a history as JSON lines, one operation per line in invocation order, for people and
 * plotting tools: {@code {"index":3,"process":1,"invoke_ns":..,"complete_ns":..,"outcome":"ok",
 * "type":"transfer",...}}. Values a failed or ambiguous operation did not observe are {@code null}.
 */
public final class HistoryFiles {

    private HistoryFiles() {
    }

    /** Writes {@code history} to {@code file}, replacing it. */
    public static void write(History history, Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Operation op : history.operations()) {
                out.write(line(op));
                out.write('\n');
            }
        }
    }

    /** One operation as one JSON object, without a line break. */
    static String line(Operation op) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonWriter json = new JsonWriter(text)) {
            json.setSerializeNulls(true);
            json.beginObject();
            json.name("index").value(op.index());
            json.name("process").value(op.process());
            json.name("invoke_ns").value(op.invokeNanos());
            json.name("complete_ns").value(op.completeNanos());
            json.name("outcome").value(op.outcome().name().toLowerCase());
            action(json, op.action());
            json.endObject();
        }
        return text.toString();
    }

    private static void action(JsonWriter json, Action action) throws IOException {
        switch (action) {
            case Action.ListTxn txn -> {
                json.name("type").value("txn");
                json.name("ops").beginArray();
                for (Action.MicroOp op : txn.ops()) {
                    json.beginArray();
                    switch (op) {
                        case Action.Append append -> json.value("append").value(append.key()).value(append.element());
                        case Action.ReadList read -> {
                            json.value("r").value(read.key());
                            longs(json, read.observed());
                        }
                    }
                    json.endArray();
                }
                json.endArray();
            }
            case Action.RegisterRead read -> json.name("type").value("read").name("key").value(read.key())
                    .name("value").value(read.observed());
            case Action.RegisterWrite write -> json.name("type").value("write").name("key").value(write.key())
                    .name("value").value(write.value());
            case Action.RegisterCas cas -> json.name("type").value("cas").name("key").value(cas.key())
                    .name("expected").value(cas.expected()).name("next").value(cas.next());
            case Action.Transfer transfer -> json.name("type").value("transfer").name("from").value(transfer.from())
                    .name("to").value(transfer.to()).name("amount").value(transfer.amount());
            case Action.TimedWrite write -> json.name("type").value("timed-write").name("key").value(write.key())
                    .name("value").value(write.value()).name("commit_ts_us").value(write.commitTimestampMicros());
            case Action.TimedRead read -> json.name("type").value("timed-read").name("key").value(read.key())
                    .name("bound").value(read.bound().name().toLowerCase()).name("bound_us").value(read.boundMicros())
                    .name("invoked_at_us").value(read.invokedAtMicros())
                    .name("completed_at_us").value(read.completedAtMicros()).name("value").value(read.observed())
                    .name("read_ts_us").value(read.readTimestampMicros());
            case Action.BankRead read -> {
                json.name("type").value("read-all").name("read_ts_us").value(read.readTimestampMicros());
                json.name("balances");
                if (read.balances() == null) {
                    json.nullValue();
                } else {
                    json.beginObject();
                    for (Map.Entry<String, Long> balance : new TreeMap<>(read.balances()).entrySet()) {
                        json.name(balance.getKey()).value(balance.getValue());
                    }
                    json.endObject();
                }
            }
        }
    }

    private static void longs(JsonWriter json, List<Long> values) throws IOException {
        if (values == null) {
            json.nullValue();
            return;
        }
        json.beginArray();
        for (long value : values) {
            json.value(value);
        }
        json.endArray();
    }
}
