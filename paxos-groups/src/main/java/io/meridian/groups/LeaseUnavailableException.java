package io.meridian.groups;

import io.meridian.storage.GroupId;

/**
 * The group's leader on this node cannot assign timestamps or serve strong reads right now:
 * it is waiting out the previous leader's lease, renewing its own, or its TrueTime
 * uncertainty is above the bound. Nothing was done; retrying shortly is safe.
 */
public final class LeaseUnavailableException extends RuntimeException {

    public LeaseUnavailableException(GroupId group, String why) {
        super(group + " cannot serve at its leader now: " + why);
    }
}
