package dev.conduit.provider;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/**
 * An HTTP request for a provider, built by an adapter and sent by {@link UpstreamClient}.
 *
 * @param method HTTP method
 * @param url absolute URL
 * @param headers request headers, including credentials
 * @param body request body, or null
 * @param apiKey the provider key this request carries (from the provider's {@link ApiKeyRing}), so
 *     a key the provider rejects can be taken out of rotation; null when none
 */
public record UpstreamRequest(
    HttpMethod method, String url, MultiMap headers, Buffer body, String apiKey) {

  public UpstreamRequest(HttpMethod method, String url, MultiMap headers, Buffer body) {
    this(method, url, headers, body, null);
  }

  public static UpstreamRequest post(String url, MultiMap headers, Buffer body) {
    return new UpstreamRequest(HttpMethod.POST, url, headers, body);
  }

  public static UpstreamRequest get(String url, MultiMap headers) {
    return new UpstreamRequest(HttpMethod.GET, url, headers, null);
  }

  /** The same request, noting which provider key it carries. */
  public UpstreamRequest withApiKey(String key) {
    return new UpstreamRequest(method, url, headers, body, key);
  }

  /** The same request with header {@code name} set to {@code value} (replacing any). */
  public UpstreamRequest withHeader(String name, String value) {
    MultiMap copy = MultiMap.caseInsensitiveMultiMap().addAll(headers);
    copy.set(name, value);
    return new UpstreamRequest(method, url, copy, body, apiKey);
  }

  /** Headers hold API keys: never print them. */
  @Override
  public String toString() {
    return "UpstreamRequest[" + method + " " + url + "]";
  }
}
