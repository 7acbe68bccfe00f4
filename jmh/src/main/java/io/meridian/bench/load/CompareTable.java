package io.meridian.bench.load;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Prints a Markdown table of load runs from their JSON results ({@code --json}): one row per
 * file with target, workload, clients, throughput and the latency percentiles of all
 * operations. Used by {@code jmh/compare/etcd/run.sh}.
 */
public final class CompareTable {

    private CompareTable() {
    }

    public static void main(String[] files) throws IOException {
        System.out.println("| target | workload | clients | groups | ops/s | p50 ms | p99 ms | p99.9 ms | errors |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (String file : files) {
            System.out.println(row(JsonParser.parseString(Files.readString(Path.of(file))).getAsJsonObject()));
        }
    }

    static String row(JsonObject run) {
        JsonObject all = run.getAsJsonObject("operations").getAsJsonObject("all");
        long errors = run.getAsJsonObject("errors").entrySet().stream().mapToLong(e -> e.getValue().getAsLong()).sum();
        return String.format(Locale.ROOT, "| %s | %s | %d | %d | %,.0f | %.2f | %.2f | %.2f | %d |",
                run.get("target").getAsString(), run.get("workload").getAsString(), run.get("clients").getAsInt(),
                run.get("groups").getAsInt(), run.get("throughput").getAsDouble(), all.get("p50Ms").getAsDouble(),
                all.get("p99Ms").getAsDouble(), all.get("p999Ms").getAsDouble(), errors);
    }
}
