package io.meridian.chaos.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shows the JSON-lines form of every kind of operation, unobserved values as null. */
class HistoryFilesTest {

    private static Operation op(long index, Outcome outcome, Action action) {
        return new Operation(index, 2, 100 + index, 200 + index, outcome, action);
    }

    @Test
    void everyActionIsOneJsonLine(@TempDir Path dir) throws Exception {
        History history = new History(List.of(
                op(0, Outcome.OK, new Action.ListTxn(List.of(new Action.Append("k", 5),
                        new Action.ReadList("k", List.of(1L, 5L))))),
                op(1, Outcome.INFO, new Action.ListTxn(List.of(new Action.ReadList("k", null)))),
                op(2, Outcome.OK, new Action.RegisterRead("r", null)),
                op(3, Outcome.FAIL, new Action.RegisterCas("r", 1, 2)),
                op(4, Outcome.OK, new Action.RegisterWrite("r", 3)),
                op(5, Outcome.OK, new Action.Transfer("a", "b", 4)),
                op(6, Outcome.OK, new Action.BankRead(Map.of("b", 7L, "a", 3L), 99)),
                op(7, Outcome.FAIL, new Action.BankRead(null, 0))));
        Path file = dir.resolve("history.jsonl");

        HistoryFiles.write(history, file);

        assertEquals(List.of(
                "{\"index\":0,\"process\":2,\"invoke_ns\":100,\"complete_ns\":200,\"outcome\":\"ok\",\"type\":\"txn\","
                        + "\"ops\":[[\"append\",\"k\",5],[\"r\",\"k\",[1,5]]]}",
                "{\"index\":1,\"process\":2,\"invoke_ns\":101,\"complete_ns\":201,\"outcome\":\"info\",\"type\":\"txn\","
                        + "\"ops\":[[\"r\",\"k\",null]]}",
                "{\"index\":2,\"process\":2,\"invoke_ns\":102,\"complete_ns\":202,\"outcome\":\"ok\",\"type\":\"read\","
                        + "\"key\":\"r\",\"value\":null}",
                "{\"index\":3,\"process\":2,\"invoke_ns\":103,\"complete_ns\":203,\"outcome\":\"fail\",\"type\":\"cas\","
                        + "\"key\":\"r\",\"expected\":1,\"next\":2}",
                "{\"index\":4,\"process\":2,\"invoke_ns\":104,\"complete_ns\":204,\"outcome\":\"ok\",\"type\":\"write\","
                        + "\"key\":\"r\",\"value\":3}",
                "{\"index\":5,\"process\":2,\"invoke_ns\":105,\"complete_ns\":205,\"outcome\":\"ok\",\"type\":\"transfer\","
                        + "\"from\":\"a\",\"to\":\"b\",\"amount\":4}",
                "{\"index\":6,\"process\":2,\"invoke_ns\":106,\"complete_ns\":206,\"outcome\":\"ok\",\"type\":\"read-all\","
                        + "\"read_ts_us\":99,\"balances\":{\"a\":3,\"b\":7}}",
                "{\"index\":7,\"process\":2,\"invoke_ns\":107,\"complete_ns\":207,\"outcome\":\"fail\",\"type\":\"read-all\","
                        + "\"read_ts_us\":0,\"balances\":null}"),
                Files.readAllLines(file));
    }
}
