/**
 * Meridian's wire contract: the {@code .proto} files under {@code src/main/proto} and the
 * protobuf and gRPC classes generated from them. Public services live in {@code meridian.v1};
 * node-to-node services (time masters, later range routing and two-phase commit) live in
 * {@code meridian.internal.v1} and are generated into {@code io.meridian.api.internal.v1}.
 * This module holds no hand-written logic.
 */
package io.meridian.api;
