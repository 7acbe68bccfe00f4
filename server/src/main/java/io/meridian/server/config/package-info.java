/**
 * The node's configuration: {@link io.meridian.server.config.NodeConfig} parsed from command-line
 * flags and an optional properties file (flags win), and the identity file that ties a data
 * directory to one node of one cluster.
 *
 * <p>Every problem is a {@link io.meridian.server.config.ConfigException} naming the flag or file
 * at fault; {@code Main} turns it into exit code 2. Nothing here starts threads or opens sockets.
 */
package io.meridian.server.config;
