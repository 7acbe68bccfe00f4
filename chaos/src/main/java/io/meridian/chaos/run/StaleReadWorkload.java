package io.meridian.chaos.run;

import io.meridian.chaos.history.Action;
import io.meridian.chaos.history.Action.ReadBound;
import io.meridian.chaos.history.Checker;
import io.meridian.chaos.history.Outcome;
import io.meridian.chaos.history.StaleReadChecker;
import io.meridian.client.MeridianClient;
import io.meridian.client.Mutation;
import io.meridian.client.ReadResult;
import io.meridian.client.Timestamp;
import io.meridian.client.TimestampBound;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * stale-read: blind writes of run-unique values to a few keys, and single-use reads of them
 * with bounded staleness ({@code maxStaleness}), exact staleness, or at a timestamp an earlier
 * read reported (to read one snapshot twice). Every read reports its timestamp and every write
 * its commit timestamp, so {@link StaleReadChecker} can say whether each read honoured its
 * bound and saw exactly the snapshot at its timestamp.
 */
public final class StaleReadWorkload implements Workload {

    /** The default key prefix: {@code stale/0}, {@code stale/1}, … */
    public static final String PREFIX = "stale/";
    /** Staleness bounds the reads use. */
    private static final List<Duration> BOUNDS = List.of(Duration.ofMillis(5), Duration.ofMillis(50),
            Duration.ofMillis(500));
    /** How far a node's TrueTime may be from this JVM's clock on one machine (the default max ε). */
    private static final long SLACK_MICROS = 10_000;
    /** Recent read timestamps kept to read again, per key: a small ring. */
    private static final int RECENT = 16;

    private final String prefix;
    private final int keyCount;
    private final AtomicLong nextValue = new AtomicLong(1);
    private final AtomicLongArray recentReads;
    private final AtomicLong recentCursor = new AtomicLong();

    /**
     * @param prefix   the keys' prefix; a run needs keys no earlier run touched
     * @param keyCount how many keys, at least 1
     */
    public StaleReadWorkload(String prefix, int keyCount) {
        if (keyCount < 1) {
            throw new IllegalArgumentException("stale-read needs a key: " + keyCount);
        }
        this.prefix = prefix;
        this.keyCount = keyCount;
        this.recentReads = new AtomicLongArray(RECENT * keyCount);
    }

    @Override
    public String name() {
        return "stale-read";
    }

    @Override
    public Action next(int process, Random random) {
        int keyIndex = random.nextInt(keyCount);
        String key = prefix + keyIndex;
        int choice = random.nextInt(10);
        if (choice < 4) {
            return new Action.TimedWrite(key, nextValue.getAndIncrement(), 0);
        }
        long again = recentReads.get(keyIndex * RECENT + random.nextInt(RECENT));
        if (choice < 6 && again != 0) {
            return new Action.TimedRead(key, ReadBound.AT_TIMESTAMP, again, 0, 0, null, 0);
        }
        long bound = BOUNDS.get(random.nextInt(BOUNDS.size())).toNanos() / 1_000;
        return new Action.TimedRead(key, choice < 8 ? ReadBound.MAX_STALENESS : ReadBound.EXACT_STALENESS, bound, 0, 0,
                null, 0);
    }

    @Override
    public Done run(MeridianClient client, Action planned) {
        try {
            return switch (planned) {
                case Action.TimedWrite write -> {
                    Timestamp ts = client.write(Mutation.put(write.key(), Long.toString(write.value())));
                    yield new Done(Outcome.OK, new Action.TimedWrite(write.key(), write.value(), ts.micros()));
                }
                case Action.TimedRead read -> new Done(Outcome.OK, read(client, read));
                default -> throw new IllegalArgumentException("not a stale-read action: " + planned);
            };
        } catch (RuntimeException e) {
            boolean read = planned instanceof Action.TimedRead;
            Outcome outcome = read ? Outcomes.ofRead(e) : Outcomes.ofWrite(e);
            if (Outcomes.unexpected(e)) {
                throw new UnexpectedFailure(outcome, planned, e);
            }
            return new Done(outcome, planned);
        }
    }

    private Action.TimedRead read(MeridianClient client, Action.TimedRead read) {
        TimestampBound bound = switch (read.bound()) {
            case MAX_STALENESS -> TimestampBound.maxStaleness(Duration.ofNanos(read.boundMicros() * 1_000));
            case EXACT_STALENESS -> TimestampBound.exactStaleness(Duration.ofNanos(read.boundMicros() * 1_000));
            case AT_TIMESTAMP -> TimestampBound.readTimestamp(Timestamp.ofMicros(read.boundMicros()));
        };
        long invoked = nowMicros();
        ReadResult result = client.singleUse(bound).read(read.key());
        long completed = nowMicros();
        Long observed = result.get(read.key()).map(row -> Long.parseLong(row.valueUtf8())).orElse(null);
        long ts = result.readTimestamp().micros();
        int keyIndex = Integer.parseInt(read.key().substring(prefix.length()));
        recentReads.set(keyIndex * RECENT + (int) (recentCursor.getAndIncrement() % RECENT), ts);
        return new Action.TimedRead(read.key(), read.bound(), read.boundMicros(), invoked, completed, observed, ts);
    }

    private static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    /** Every key but the first starts a range. */
    @Override
    public List<String> splitKeys() {
        List<String> keys = new ArrayList<>();
        for (int i = 1; i < keyCount; i++) {
            keys.add(prefix + i);
        }
        return keys;
    }

    @Override
    public List<Checker> checkers() {
        return List.of(new StaleReadChecker(SLACK_MICROS));
    }
}
