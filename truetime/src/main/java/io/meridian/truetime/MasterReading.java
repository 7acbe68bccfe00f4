package io.meridian.truetime;

import java.util.Objects;

/**
 * One source's claim about true time: the source named {@code masterId} says true time is
 * inside {@code interval}. The input of {@link Marzullo}.
 *
 * @param masterId the source's name, used to report it when it is rejected
 * @param interval where the source says true time is
 */
public record MasterReading(String masterId, TTInterval interval) {

    /** Checks that both fields are present. */
    public MasterReading {
        Objects.requireNonNull(masterId, "masterId");
        Objects.requireNonNull(interval, "interval");
    }
}
