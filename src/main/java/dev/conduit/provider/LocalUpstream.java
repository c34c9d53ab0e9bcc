package dev.conduit.provider;

import io.vertx.core.Context;

/**
 * An upstream served inside the process (the demo {@code simulated} provider), reached through
 * {@link UpstreamClient} like any other so the whole proxy path runs unchanged.
 */
public interface LocalUpstream {
  /** URL scheme this upstream answers, e.g. {@code simulated}. */
  String scheme();

  UpstreamExchange send(UpstreamRequest request, Context context);
}
