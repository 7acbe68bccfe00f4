/**
 * The Meridian node process: configuration, wiring of the modules, the public and internal gRPC
 * services, health, metrics and {@code main}. This is one of the places allowed to touch real
 * time and threads.
 *
 * <p>Today it holds {@link io.meridian.server.Main} with the guided tour of the storage and
 * TrueTime layers that {@code bin/meridian} runs; the "Replicated ranges" issue makes it start a
 * local cluster.
 */
package io.meridian.server;
