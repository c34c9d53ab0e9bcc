package dev.conduit.pipeline;

import dev.conduit.core.Usage;

/**
 * The token counts of one answer as far as they are known: what the upstream reported, completed by
 * the gateway's own count where the upstream said nothing (it never reported usage, or the stream
 * ended before it could). The answer's text is collected as it passes so it can be counted at the
 * end; counting happens only when needed.
 */
public final class UsageTally {
  private final byte[] requestBody;
  private final StringBuilder output = new StringBuilder();
  private Usage reported = Usage.NONE;

  /**
   * @param requestBody the caller's body, whose prompt is counted if the upstream reports none
   */
  public UsageTally(byte[] requestBody) {
    this.requestBody = requestBody;
  }

  /** Usage the upstream reported; each report replaces the previous one (they are cumulative). */
  public void reported(Usage usage) {
    if (usage != null && usage.isKnown()) {
      reported = usage;
    }
  }

  /** Text the model produced (answer, reasoning, tool arguments). */
  public void output(CharSequence text) {
    output.append(text);
  }

  /** Collects text straight into the tally. */
  public StringBuilder outputBuffer() {
    return output;
  }

  /**
   * The usage to record.
   *
   * @param complete whether the answer ended properly; then the upstream's report is trusted as is.
   *     Otherwise (or without a report) the missing counts are the gateway's own.
   */
  public Usage usage(boolean complete) {
    if (complete && reported.inputTokens() > 0 && reported.outputTokens() > 0) {
      return reported;
    }
    long input =
        reported.inputTokens() > 0 ? reported.inputTokens() : TokenCounter.countPrompt(requestBody);
    long counted = output.length() == 0 ? 0 : TokenCounter.count(output);
    long out =
        complete && reported.outputTokens() > 0
            ? reported.outputTokens()
            : Math.max(reported.outputTokens(), counted);
    return new Usage(
        input,
        out,
        reported.cachedInputTokens(),
        reported.cacheWriteTokens(),
        reported.reasoningTokens());
  }
}
