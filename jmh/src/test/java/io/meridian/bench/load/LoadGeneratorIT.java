package io.meridian.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load generator end to end against a real local 3-node cluster it starts itself
 * ({@code --local 3}): YCSB A over two groups reports reads and updates, with percentiles and
 * a timeline in its JSON; bank transfers keep the total. Short runs: this checks what the
 * generator reports, not how fast the cluster is.
 */
class LoadGeneratorIT {

    @TempDir
    Path dir;

    @Test
    void ycsbAReportsReadsAndUpdatesAsTextAndJson() throws Exception {
        Path json = dir.resolve("a.json");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        boolean sound = LoadMain.run(LoadOptions.parse("--workload", "ycsb-a", "--local", "3", "--groups", "2",
                "--clients", "4", "--warmup", "1s", "--duration", "3s", "--records", "200", "--json", json.toString()),
                new PrintStream(text, true, StandardCharsets.UTF_8));
        String out = text.toString(StandardCharsets.UTF_8);
        assertTrue(sound, out);
        assertTrue(out.contains("loaded 200 records"), out);
        assertTrue(out.contains("warming up"), out);
        assertTrue(out.contains("ops/s  p50"), out);
        JsonObject result = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals("ycsb-a", result.get("workload").getAsString());
        JsonObject ops = result.getAsJsonObject("operations");
        long reads = ops.getAsJsonObject("read").get("count").getAsLong();
        long updates = ops.getAsJsonObject("update").get("count").getAsLong();
        assertTrue(reads > 0 && updates > 0, ops.toString());
        assertEquals(reads + updates, ops.getAsJsonObject("all").get("count").getAsLong());
        JsonObject all = ops.getAsJsonObject("all");
        assertTrue(all.get("p50Ms").getAsDouble() > 0, all.toString());
        assertTrue(all.get("p99Ms").getAsDouble() >= all.get("p50Ms").getAsDouble(), all.toString());
        assertEquals(3, result.getAsJsonArray("timeline").size(), result.getAsJsonArray("timeline").toString());
        assertEquals(0, result.getAsJsonObject("errors").size(), result.getAsJsonObject("errors").toString());
    }

    @Test
    void bankTransfersAcrossGroupsKeepTheTotal() throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        boolean sound = LoadMain.run(LoadOptions.parse("--workload", "bank", "--local", "3", "--groups", "2",
                "--clients", "4", "--warmup", "0s", "--duration", "3s", "--records", "20"),
                new PrintStream(text, true, StandardCharsets.UTF_8));
        String out = text.toString(StandardCharsets.UTF_8);
        assertTrue(sound, out);
        assertTrue(out.contains("bank total after the run: 20,000 (expected 20,000): ok"), out);
        assertTrue(out.matches("(?s).*\\ntransfer +[1-9][0-9,]* .*"), out);
    }
}
