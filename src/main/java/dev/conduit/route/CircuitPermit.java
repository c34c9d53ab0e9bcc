package dev.conduit.route;

import java.util.concurrent.TimeUnit;

/**
 * A deployment's circuit breaker's permission for one call, settled exactly once: the call
 * succeeded, failed, or was never judged (released). Later settlements are ignored.
 *
 * <p>An outcome counts only in the breaker episode that granted the permission. A call that started
 * before its deployment's circuit opened (say, hanging until its first-byte timeout) may end after
 * the circuit half-opened; counted then, its failure, which belongs to the outage already judged,
 * would be taken for a probe's verdict and reopen the circuit of a deployment that has healed
 * (issue 11 item 13). Such an outcome is dropped; so is the release of a permission an earlier
 * episode granted, which the current one does not owe.
 */
public final class CircuitPermit {
  private final DeploymentState state;
  private final long episode;
  private boolean settled;

  CircuitPermit(DeploymentState state, long episode) {
    this.state = state;
    this.episode = episode;
  }

  /** The call succeeded (or the deployment answered and the fault was the caller's). */
  public void succeeded(long elapsedNanos) {
    if (settle()) {
      state.breaker().onSuccess(elapsedNanos, TimeUnit.NANOSECONDS);
    }
  }

  /** The call failed: counts toward opening the circuit. */
  public void failed(long elapsedNanos, Throwable why) {
    if (settle()) {
      state.breaker().onError(elapsedNanos, TimeUnit.NANOSECONDS, why);
    }
  }

  /** The call was abandoned or never made: no verdict, the permission goes back. */
  public void released() {
    if (settle()) {
      state.breaker().releasePermission();
    }
  }

  /** Whether this settlement is the first and still belongs to the breaker's current episode. */
  private boolean settle() {
    if (settled) {
      return false;
    }
    settled = true;
    return state.episode() == episode;
  }
}
