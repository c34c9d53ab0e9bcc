package dev.conduit.provider;

import io.vertx.core.Future;

/** A call in flight to a provider: its response to come, and a way to abandon it. */
public interface UpstreamExchange {
  /**
   * Completes with the response once its status line arrives; fails with {@link UpstreamFailure}
   * when the provider cannot be reached or does not answer in time.
   */
  Future<UpstreamResponse> response();

  /** Abandons the call at any stage (the caller left): the upstream connection is reset. */
  void cancel();
}
