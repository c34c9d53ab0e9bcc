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
 */
public record UpstreamRequest(HttpMethod method, String url, MultiMap headers, Buffer body) {

  public static UpstreamRequest post(String url, MultiMap headers, Buffer body) {
    return new UpstreamRequest(HttpMethod.POST, url, headers, body);
  }

  /** Headers hold API keys: never print them. */
  @Override
  public String toString() {
    return "UpstreamRequest[" + method + " " + url + "]";
  }
}
