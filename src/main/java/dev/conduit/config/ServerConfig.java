package dev.conduit.config;

/**
 * Listener settings.
 *
 * @param port client API port (OpenAI-compatible API, health, metrics)
 * @param adminPort admin API port
 * @param host interface both listeners bind to
 * @param masterKey admin master key; normally from {@code CONDUIT_MASTER_KEY}, never logged
 * @param maxBodyBytes request bodies above this answer 413
 * @param eventLoops client API event loops (verticle instances); 0 means one per core
 * @param upstreamPoolSize maximum pooled HTTP/1.1 connections per upstream host and event loop
 * @param shutdownGraceMs how long a stop waits for in-flight requests before closing
 * @param trustedProxies CIDRs of load balancers whose {@code X-Forwarded-For} is believed when
 *     finding the caller's address (for IP allowlists and filters); empty trusts none
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
    java.util.List<String> trustedProxies) {

  public static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;

  public ServerConfig {
    port = port == null ? 8080 : port;
    adminPort = adminPort == null ? 8081 : adminPort;
    host = host == null || host.isBlank() ? "0.0.0.0" : host;
    maxBodyBytes = maxBodyBytes == null ? DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
    eventLoops = eventLoops == null ? 0 : eventLoops;
    upstreamPoolSize = upstreamPoolSize == null ? 8192 : upstreamPoolSize;
    shutdownGraceMs = shutdownGraceMs == null ? 10_000L : shutdownGraceMs;
    trustedProxies =
        trustedProxies == null ? java.util.List.of() : java.util.List.copyOf(trustedProxies);
  }

  public static ServerConfig defaults() {
    return new ServerConfig(null, null, null, null, null, null, null, null, null);
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
        trustedProxies);
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
        trustedProxies);
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
