/**
 * The Java client SDK (transactions, retries of definite aborts only, timestamp bounds,
 * leader-aware routing) and the {@code meridian} CLI shell.
 *
 * <p>Empty until "The Java client SDK and the meridian CLI" issue.
 */
package io.meridian.client;
