package dev.conduit.provider;

import java.util.Map;
import java.util.Objects;

/**
 * Where a provider's calls go: its base URL, and a URL per region. This is the one place the
 * origin of an upstream call is decided. The table is an immutable snapshot replaced atomically,
 * so it can be changed while traffic flows (e.g. from the admin API) without locks on the request
 * path.
 */
public final class BaseUrls {
  private volatile Snapshot snapshot;

  /**
   * @param baseUrl the URL used when no region applies; may be null for types that have none and
   *     rely on regional URLs
   * @param defaultRegion the region used when a deployment names none; may be null
   * @param regionalEndpoints region name to base URL
   */
  public BaseUrls(String baseUrl, String defaultRegion, Map<String, String> regionalEndpoints) {
    this.snapshot = new Snapshot(trimSlash(baseUrl), defaultRegion, trimAll(regionalEndpoints));
  }

  /**
   * The base URL (no trailing slash) and region for a call to a deployment in {@code region}
   * (null: the provider's default region). A region without its own URL falls back to the base
   * URL, keeping the region name for providers whose URLs or signatures embed it.
   */
  public Target resolve(String region) {
    Snapshot current = snapshot;
    String effective = region != null ? region : current.defaultRegion();
    String regional = effective == null ? null : current.regionalEndpoints().get(effective);
    return new Target(regional != null ? regional : current.baseUrl(), effective);
  }

  public Snapshot current() {
    return snapshot;
  }

  /** Replaces the regional URLs; calls started afterwards use them. */
  public void replaceRegionalEndpoints(Map<String, String> regionalEndpoints) {
    Snapshot current = snapshot;
    snapshot = new Snapshot(current.baseUrl(), current.defaultRegion(),
        trimAll(regionalEndpoints));
  }

  private static Map<String, String> trimAll(Map<String, String> urls) {
    if (urls == null) {
      return Map.of();
    }
    Map<String, String> copy = new java.util.LinkedHashMap<>();
    urls.forEach((region, url) -> copy.put(Objects.requireNonNull(region),
        trimSlash(Objects.requireNonNull(url))));
    return java.util.Collections.unmodifiableMap(copy);
  }

  private static String trimSlash(String url) {
    return url != null && url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /**
   * The URLs at one moment.
   *
   * @param baseUrl default base URL, without trailing slash; may be null
   * @param defaultRegion region for deployments that name none; may be null
   * @param regionalEndpoints region to base URL
   */
  public record Snapshot(String baseUrl, String defaultRegion,
      Map<String, String> regionalEndpoints) {}

  /**
   * Where one call goes.
   *
   * @param baseUrl base URL without trailing slash; null if the provider has none for this region
   * @param region the region in effect; may be null
   */
  public record Target(String baseUrl, String region) {}
}
