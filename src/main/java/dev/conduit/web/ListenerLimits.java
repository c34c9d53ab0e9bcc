package dev.conduit.web;

import dev.conduit.config.ServerConfig;

/**
 * The deadlines and connection cap of one listener ({@link ConnectionGuard}).
 *
 * @param headersTimeoutMs a request's line and headers must arrive within this, from its first byte
 * @param bodyTimeoutMs a request's body must arrive within this, from the end of its headers
 * @param keepAliveTimeoutMs a connection with no request in progress is closed when no byte of a
 *     next request came within this
 * @param maxConnections open connections accepted; more are closed at once
 */
public record ListenerLimits(
    long headersTimeoutMs, long bodyTimeoutMs, long keepAliveTimeoutMs, int maxConnections) {

  /** The client API listener's limits. */
  public static ListenerLimits client(ServerConfig server) {
    return new ListenerLimits(
        server.headersTimeoutMs(),
        server.bodyTimeoutMs(),
        server.keepAliveTimeoutMs(),
        server.maxConnections());
  }

  /** The admin listener's limits: the same deadlines, its own cap. */
  public static ListenerLimits admin(ServerConfig server) {
    return new ListenerLimits(
        server.headersTimeoutMs(),
        server.bodyTimeoutMs(),
        server.keepAliveTimeoutMs(),
        server.adminMaxConnections());
  }
}
