package dev.conduit.provider;

import java.net.URI;

/**
 * Picks the base URL a deployment's calls go to. A regional endpoint with no path (such as {@code
 * https://eu.api.openai.com}) replaces only the origin of the provider's base URL, keeping its path
 * ({@code /v1}); one with a path replaces the base URL whole.
 */
public final class RegionalEndpoints {
  private RegionalEndpoints() {}

  public static String baseUrl(String providerBaseUrl, Provider provider, String region) {
    return provider
        .regionalEndpoint(region)
        .map(endpoint -> apply(providerBaseUrl, endpoint))
        .orElse(providerBaseUrl);
  }

  static String apply(String baseUrl, String endpoint) {
    URI regional = URI.create(endpoint);
    String path = regional.getRawPath();
    String trimmed =
        endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    if (baseUrl == null || (path != null && !path.isEmpty() && !path.equals("/"))) {
      return trimmed; // a provider may have regional URLs only (azure without baseUrl)
    }
    String basePath = URI.create(baseUrl).getRawPath();
    return trimmed + (basePath == null ? "" : basePath);
  }

  /** Whether {@code url} is an absolute http:// or https:// URL with a host. */
  public static boolean isHttpUrl(String url) {
    try {
      URI uri = URI.create(url);
      String scheme = uri.getScheme();
      return scheme != null
          && (scheme.equals("http") || scheme.equals("https"))
          && uri.getHost() != null
          && uri.getRawQuery() == null
          && uri.getRawFragment() == null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
