package io.meridian.bench.ratis;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What Linux says about a process: {@code /proc/<pid>/status} ({@code Threads:}, {@code VmRSS:})
 * and {@code /proc/<pid>/stat} (user + system CPU time). Linux only.
 */
final class ProcStat {

    private static final long CLOCK_TICKS = clockTicks();

    private ProcStat() {
    }

    /** Live threads of the process. */
    static int threads(long pid) throws IOException {
        return (int) statusField(pid, "Threads:");
    }

    /** Resident set size in KiB. */
    static long rssKiB(long pid) throws IOException {
        return statusField(pid, "VmRSS:");
    }

    /** User + system CPU time consumed so far, in nanoseconds. */
    static long cpuNanos(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        // The command name (field 2) is in parentheses and may hold spaces: split after it.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // f[0] is field 3 (state); utime is field 14, stime field 15.
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return ticks * TimeUnit.SECONDS.toNanos(1) / CLOCK_TICKS;
    }

    /**
     * Whole-box CPU time so far from {@code /proc/stat}: {@code [busy, total]} in nanoseconds
     * summed over all cores (busy = user + nice + system + irq + softirq + steal).
     */
    static long[] boxCpuNanos() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("cpu ")) {
                String[] f = line.trim().split("\\s+");
                long user = Long.parseLong(f[1]);
                long nice = Long.parseLong(f[2]);
                long system = Long.parseLong(f[3]);
                long idle = Long.parseLong(f[4]);
                long iowait = Long.parseLong(f[5]);
                long irq = Long.parseLong(f[6]);
                long softirq = Long.parseLong(f[7]);
                long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
                long busy = user + nice + system + irq + softirq + steal;
                long total = busy + idle + iowait;
                long perTick = TimeUnit.SECONDS.toNanos(1) / CLOCK_TICKS;
                return new long[] {busy * perTick, total * perTick};
            }
        }
        throw new IOException("no cpu line in /proc/stat");
    }

    /**
     * How busy the box was during a window, split into "ours" (the given processes) and
     * "foreign" (everything else: other engineers' builds on a shared box), both as % of the
     * whole box (100 % = every core busy).
     */
    static final class Window {
        private final long[] pids;
        private final long[] box0;
        private final long ours0;
        private final long jit0;

        Window(long... pids) throws IOException {
            this.pids = pids.clone();
            this.box0 = boxCpuNanos();
            this.ours0 = ours();
            this.jit0 = jit();
        }

        private long jit() {
            long sum = 0;
            for (long pid : pids) {
                sum += jitCpuNanos(pid);
            }
            return sum;
        }

        private long ours() throws IOException {
            long sum = 0;
            for (long pid : pids) {
                try {
                    sum += cpuNanos(pid);
                } catch (IOException e) {
                    // the process is gone: it no longer adds
                }
            }
            return sum;
        }

        /**
         * {@code [box busy %, ours %, foreign %, jit %]} since construction, all as % of the whole
         * box; jit is the part of ours spent in our JVMs' JIT compiler threads.
         */
        double[] percent() throws IOException {
            long[] box1 = boxCpuNanos();
            long total = box1[1] - box0[1];
            if (total <= 0) {
                return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
            }
            double busy = 100.0 * (box1[0] - box0[0]) / total;
            double ours = 100.0 * (ours() - ours0) / total;
            double jit = 100.0 * (jit() - jit0) / total;
            return new double[] {busy, ours, Math.max(0, busy - ours), jit};
        }
    }

    /**
     * Waits (at most {@code max}) until the rest of the box has been quiet, i.e. foreign CPU
     * under {@code thresholdPct} of the box over a 5 s sample; returns the last sample's foreign %.
     */
    static double awaitQuiet(double thresholdPct, Duration max, PrintStream log) throws IOException {
        long deadline = System.nanoTime() + max.toNanos();
        double foreign;
        while (true) {
            Window w = new Window(ProcessHandle.current().pid());
            RatisCluster.sleep(Duration.ofSeconds(5));
            foreign = w.percent()[2];
            if (foreign < thresholdPct || System.nanoTime() > deadline) {
                break;
            }
            log.printf(Locale.ROOT, "  box busy with other work (%.0f%% of the box); waiting for it to calm down%n", foreign);
        }
        return foreign;
    }

    /**
     * CPU time so far of the process's JIT compiler threads ({@code C1/C2 CompilerThread*}), in
     * nanoseconds: how much of a run went to compiling rather than to the code under test.
     */
    static long jitCpuNanos(long pid) {
        long ticks = 0;
        java.io.File[] tasks = new java.io.File("/proc/" + pid + "/task").listFiles();
        if (tasks == null) {
            return 0;
        }
        for (java.io.File t : tasks) {
            try {
                String stat = Files.readString(t.toPath().resolve("stat"), StandardCharsets.US_ASCII);
                String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                }
            } catch (IOException | RuntimeException e) {
                // the thread ended
            }
        }
        return ticks * TimeUnit.SECONDS.toNanos(1) / CLOCK_TICKS;
    }

    /** One line of the load average ({@code /proc/loadavg}), for the record. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static long statusField(long pid, String name) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.US_ASCII)) {
            if (line.startsWith(name)) {
                return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IOException("no " + name + " in /proc/" + pid + "/status");
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return Long.parseLong(out);
            }
        } catch (IOException | NumberFormatException e) {
            // fall through to the usual value
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
