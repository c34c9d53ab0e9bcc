package dev.conduit.pipeline;

import dev.conduit.route.Router.Candidate;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * The retries one call may still make after its first pass over the candidates: which candidates
 * failed in a way worth trying again (in the order they failed), the Retry-After each one asked
 * for, and how many retries are left. Confined to the call's event loop, like {@link ProxyCall}.
 */
final class Retries {
  private final List<Candidate> retryable = new ArrayList<>();
  private final IdentityHashMap<Candidate, Long> retryAfterMs = new IdentityHashMap<>();
  private int left;
  private int done;

  Retries(int allowed) {
    this.left = allowed;
  }

  /** Whether no retry is left: none allowed any more, or no candidate worth one. */
  boolean exhausted() {
    return left <= 0 || retryable.isEmpty();
  }

  /** The candidate the next retry goes to: the ones worth a retry, in turn. */
  Candidate nextCandidate() {
    return retryable.get(done % retryable.size());
  }

  /** 1 for the first retry, 2 for the second, ... (the backoff grows with it). */
  int nextNumber() {
    return done + 1;
  }

  /** The Retry-After the candidate last answered with, or -1 when it gave none. */
  long retryAfterMs(Candidate candidate) {
    return retryAfterMs.getOrDefault(candidate, -1L);
  }

  /** The next retry is scheduled. */
  void taken() {
    left--;
    done++;
  }

  /** The candidate failed in a way a later attempt may not repeat. */
  void worthRetrying(Candidate candidate, long retryAfter) {
    if (!retryable.contains(candidate)) {
      retryable.add(candidate);
    }
    if (retryAfter >= 0) {
      retryAfterMs.put(candidate, retryAfter);
    }
  }

  /** The candidate failed in a way another attempt would repeat, or asked to wait too long. */
  void notWorthRetrying(Candidate candidate) {
    retryable.remove(candidate);
  }
}
