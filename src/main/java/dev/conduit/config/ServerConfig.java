package dev.conduit.config;

/**
 * Listener settings.
 *
 * @param port client API port (OpenAI-compatible API, health, metrics)
 * @param adminPort admin API port
 * @param host interface both listeners bind to
 * @param masterKey admin master key; normally from {@code CONDUIT_MASTER_KEY}, never logged
 * @param maxBodyBytes request bodies above this answer 413
 * @param maxBodyBytesInFlight request-body bytes the client listener holds at once, across all
 *     requests; a body that would go over answers 503 with {@code Retry-After}. Default: an eighth
 *     of the maximum heap (a body is held in about three copies while proxied), and never less than
 *     {@code maxBodyBytes}
 * @param eventLoops client API event loops (verticle instances); 0 means one per core
 * @param upstreamPoolSize maximum pooled HTTP/1.1 connections per upstream host and event loop
 * @param shutdownGraceMs the older name of {@code drain.timeoutMs}, used only when the
 *     configuration has no {@code drain} block; null when unset
 * @param trustedProxies CIDRs of load balancers whose {@code X-Forwarded-For} is believed when
 *     finding the caller's address (for IP allowlists and filters); empty trusts none
 * @param headersTimeoutMs how long a request's line and headers may take to arrive, from its first
 *     byte
 * @param bodyTimeoutMs how long a request's body may take to arrive, from the end of its headers
 * @param keepAliveTimeoutMs how long a connection may wait, with no request in progress, for the
 *     first byte of its next request (a new connection for its first); then it is closed
 * @param maxConnections open connections the client listener accepts; more are closed at once
 * @param adminMaxConnections open connections the admin listener accepts
 * @param metricsOnClientPort whether {@code /metrics} is served on the client port too; when false
 *     only the admin listener serves it
 * @param http2ClearText whether the client listener also speaks cleartext HTTP/2 (h2c); its
 *     connections then escape the request deadlines and the strict decoder
 */
public record ServerConfig(
    Integer port,
    Integer adminPort,
    String host,
    String masterKey,
    Long maxBodyBytes,
    Integer eventLoops,
    Integer upstreamPoolSize,
    Long shutdownGraceMs,
    java.util.List<String> trustedProxies,
    Long headersTimeoutMs,
    Long bodyTimeoutMs,
    Long keepAliveTimeoutMs,
    Integer maxConnections,
    Integer adminMaxConnections,
    Boolean metricsOnClientPort,
    Boolean http2ClearText,
    Long maxBodyBytesInFlight) {

  public static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;

  public ServerConfig {
    port = port == null ? 8080 : port;
    adminPort = adminPort == null ? 8081 : adminPort;
    host = host == null || host.isBlank() ? "0.0.0.0" : host;
    maxBodyBytes = maxBodyBytes == null ? DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
    eventLoops = eventLoops == null ? 0 : eventLoops;
    upstreamPoolSize = upstreamPoolSize == null ? 8192 : upstreamPoolSize;
    trustedProxies =
        trustedProxies == null ? java.util.List.of() : java.util.List.copyOf(trustedProxies);
    // Defaults for a public endpoint behind a load balancer (docs/operations.md, "Listener limits
    // and timeouts"): the keep-alive outlasts the common balancer idle timeouts (60 s), so the
    // balancer, not Conduit, closes an idle pooled connection and never reuses one being closed.
    headersTimeoutMs = headersTimeoutMs == null ? 10_000L : headersTimeoutMs;
    bodyTimeoutMs = bodyTimeoutMs == null ? 60_000L : bodyTimeoutMs;
    keepAliveTimeoutMs = keepAliveTimeoutMs == null ? 75_000L : keepAliveTimeoutMs;
    maxConnections = maxConnections == null ? 20_000 : maxConnections;
    adminMaxConnections = adminMaxConnections == null ? 100 : adminMaxConnections;
    metricsOnClientPort = metricsOnClientPort == null || metricsOnClientPort;
    http2ClearText = http2ClearText != null && http2ClearText;
    maxBodyBytesInFlight =
        maxBodyBytesInFlight == null
            ? Math.max(Runtime.getRuntime().maxMemory() / 8, maxBodyBytes)
            : maxBodyBytesInFlight;
  }

  public static ServerConfig defaults() {
    return new ServerConfig(
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null);
  }

  public ServerConfig withPorts(int newPort, int newAdminPort) {
    return new ServerConfig(
        newPort,
        newAdminPort,
        host,
        masterKey,
        maxBodyBytes,
        eventLoops,
        upstreamPoolSize,
        shutdownGraceMs,
        trustedProxies,
        headersTimeoutMs,
        bodyTimeoutMs,
        keepAliveTimeoutMs,
        maxConnections,
        adminMaxConnections,
        metricsOnClientPort,
        http2ClearText,
        maxBodyBytesInFlight);
  }

  public ServerConfig withMasterKey(String newMasterKey) {
    return new ServerConfig(
        port,
        adminPort,
        host,
        newMasterKey,
        maxBodyBytes,
        eventLoops,
        upstreamPoolSize,
        shutdownGraceMs,
        trustedProxies,
        headersTimeoutMs,
        bodyTimeoutMs,
        keepAliveTimeoutMs,
        maxConnections,
        adminMaxConnections,
        metricsOnClientPort,
        http2ClearText,
        maxBodyBytesInFlight);
  }

  /** Never print the master key: records' generated toString would. */
  @Override
  public String toString() {
    return "ServerConfig[port="
        + port
        + ", adminPort="
        + adminPort
        + ", host="
        + host
        + ", masterKey="
        + (masterKey == null ? "unset" : "***")
        + "]";
  }
}
