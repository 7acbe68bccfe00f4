package io.meridian.bench.load;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What a load-generator client does, as a mix of operations: the core YCSB workloads (Cooper et
 * al., SoCC 2010) A, B, C, E and F, a single-key blind-write workload for comparing write paths
 * with other stores, and bank transfers. YCSB's "update" writes one whole value here (there
 * are no fields), and "read-modify-write" is a read-write transaction.
 *
 * @param name     the name given to {@code --workload}
 * @param mix      each operation's share; the shares add up to 1
 * @param zipfian  whether records are chosen with YCSB's Zipfian skew (else uniformly)
 */
public record Workload(String name, Map<Op, Double> mix, boolean zipfian) {

    /** One kind of operation. */
    public enum Op {
        /** A strong single-key read. */
        READ,
        /** A blind single-key write of an existing record. */
        UPDATE,
        /** A blind write of a new record, after the loaded ones. */
        INSERT,
        /** A strong scan of up to {@value Workload#SCAN_LENGTH_MAX} records from a chosen one. */
        SCAN,
        /** A read-write transaction: read a record, write it back changed. */
        READ_MODIFY_WRITE,
        /** A read-write transaction moving an amount between two accounts. */
        TRANSFER;

        /** The lower-case name used in reports. */
        public String label() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    /** The longest scan of workload E (YCSB draws lengths uniformly from 1 to 100). */
    public static final int SCAN_LENGTH_MAX = 100;

    /** Every workload's name, in the order the usage lists them. */
    public static final List<String> NAMES = List.of("ycsb-a", "ycsb-b", "ycsb-c", "ycsb-e", "ycsb-f", "write", "bank");

    public Workload {
        double sum = mix.values().stream().mapToDouble(Double::doubleValue).sum();
        if (Math.abs(sum - 1.0) > 1e-9) {
            throw new IllegalArgumentException("a workload's shares add up to 1, not " + sum);
        }
        mix = Map.copyOf(mix);
    }

    /** The workload named {@code name}. */
    public static Workload named(String name) {
        return switch (name) {
            case "ycsb-a" -> new Workload(name, Map.of(Op.READ, 0.5, Op.UPDATE, 0.5), true);
            case "ycsb-b" -> new Workload(name, Map.of(Op.READ, 0.95, Op.UPDATE, 0.05), true);
            case "ycsb-c" -> new Workload(name, Map.of(Op.READ, 1.0), true);
            case "ycsb-e" -> new Workload(name, Map.of(Op.SCAN, 0.95, Op.INSERT, 0.05), true);
            case "ycsb-f" -> new Workload(name, Map.of(Op.READ, 0.5, Op.READ_MODIFY_WRITE, 0.5), true);
            case "write" -> new Workload(name, Map.of(Op.UPDATE, 1.0), false);
            case "bank" -> new Workload(name, Map.of(Op.TRANSFER, 1.0), false);
            default -> throw new IllegalArgumentException("--workload must be one of " + String.join(", ", NAMES)
                    + ": " + name);
        };
    }

    /** Draws the next operation. */
    public Op next(SplittableRandom random) {
        double u = random.nextDouble();
        double cumulative = 0;
        Op last = null;
        for (Op op : Op.values()) {
            Double share = mix.get(op);
            if (share == null) {
                continue;
            }
            cumulative += share;
            last = op;
            if (u < cumulative) {
                return op;
            }
        }
        return last;
    }

    /** The chooser of existing records for this workload over {@code records} records. */
    public KeyChooser chooser(long records) {
        return zipfian ? new KeyChooser.ScrambledZipfian(records) : new KeyChooser.Uniform(records);
    }
}
