/**
 * A user-space, fault-injecting TCP proxy for network faults between real node processes.
 *
 * <p>The test machines' kernels have no {@code netem} and the harness runs without root, so
 * faults between nodes are made here: each node is told to reach a peer through a
 * {@link io.meridian.chaos.proxy.Link} of a {@link io.meridian.chaos.proxy.FaultProxy}
 * instead of directly, and the nemesis changes the link's
 * {@link io.meridian.chaos.proxy.LinkFaults} while the workload runs.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Within one connection and direction bytes are delivered in the order they were read;
 *       delay and jitter never reorder them (each direction has its own delay line).</li>
 *   <li>The proxy never alters, drops or inserts a byte. It can only hold bytes back (a delay,
 *       or a blackhole until it lifts, as TCP retransmits across a cut network) or reset the
 *       whole connection. TCP offers no way to lose a segment without corrupting the stream,
 *       so "packet loss" is modelled as a connection reset
 *       ({@link io.meridian.chaos.proxy.LinkFaults#resetProbability()}).</li>
 *   <li>Fault changes take effect for the next chunk read on every existing connection, not
 *       only for new ones.</li>
 *   <li>Every thread the proxy starts is a virtual thread that ends by the time
 *       {@link io.meridian.chaos.proxy.FaultProxy#close()} returns; every socket it opened is
 *       closed by then.</li>
 *   <li>All randomness comes from the {@link java.util.Random} passed to the proxy, so the
 *       seed is printed and recorded with the run (thread interleaving still varies).</li>
 * </ul>
 *
 * <p>This is an adapter to the real network: it reads {@link java.lang.System#nanoTime()} and
 * starts threads, which protocol packages must not do.
 */
package io.meridian.chaos.proxy;
