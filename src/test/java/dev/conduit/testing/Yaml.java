package dev.conduit.testing;

import static java.util.stream.Collectors.joining;

import java.util.List;

/** Gateway configurations for tests. */
public final class Yaml {
  /** The API key the gateway holds for the mock upstream; must never reach a caller or a log. */
  public static final String UPSTREAM_KEY = "sk-test-upstream-secret-0123456789";

  /** Aliases routed straight to the mock, each to the mock model of the same name. */
  public static final List<String> MOCK_MODELS =
      List.of(
          "gpt-4o",
          "text-embedding-3-small",
          "fail-400",
          "fail-401",
          "fail-422",
          "fail-503",
          "html-error",
          "invalid-json",
          "hang",
          "gated",
          "cut-stream",
          "no-done",
          "error-stream",
          "no-usage");

  private Yaml() {}

  /**
   * One more alias served by the mock, to append to {@link #withMock}'s configuration (which ends
   * with its model list). The mock answers any model name normally.
   */
  public static String alias(String alias, String mockModel) {
    return alias(alias, "mock", mockModel);
  }

  /** An entry of {@code models:}: an alias with one deployment, {@code provider}'s model. */
  public static String alias(String alias, String provider, String model) {
    return """
          - alias: %s
            deployments:
              - { provider: %s, model: %s }
        """
        .formatted(alias, provider, model);
  }

  /**
   * Entries of {@code models:}, one per model of {@code provider}, each alias named as its model.
   */
  public static String aliases(String provider, List<String> models) {
    return models.stream().map(model -> alias(model, provider, model)).collect(joining());
  }

  /**
   * A gateway whose provider {@code mock} is the given upstream.
   *
   * @param extraServer lines added to the {@code server:} section, each ending with a newline; null
   *     for none
   */
  public static String withMock(MockUpstream mock, String databaseUrl, String extraServer) {
    String username =
        databaseUrl.startsWith("jdbc:postgresql")
            ? "  username: " + TestDatabases.PG_USER + "\n"
            : "";
    // A "%s\" line holds optional lines (or nothing): the backslash joins it to the next line.
    return """
        server:
          eventLoops: 2
        %1$s\
        database:
          url: "%2$s"
        %3$s\
        requestLog:
          batchSize: 50
        providers:
          - name: mock
            type: openai
            baseUrl: %4$s
            apiKey: %5$s
            timeouts: { connectMs: 2000, firstByteMs: 5000, totalMs: 30000 }
          # A provider of its own for fail-401: a rejected key is taken out of rotation.
          - name: mock-auth
            type: openai
            baseUrl: %4$s
            apiKey: %5$s
          - name: dead
            type: openai
            baseUrl: http://127.0.0.1:1/v1
            apiKey: sk-dead
          - name: unset
            type: openai
            apiKey: ${CONDUIT_TEST_UNSET_KEY}
        models:
        """
            .formatted(
                extraServer == null ? "" : extraServer,
                databaseUrl,
                username,
                mock.baseUrl(),
                UPSTREAM_KEY)
        + MOCK_MODELS.stream()
            .map(model -> alias(model, model.equals("fail-401") ? "mock-auth" : "mock", model))
            .collect(joining())
        + """
          - alias: slow
            deployments:
              - { provider: mock, model: hang, timeouts: { firstByteMs: 300 } }
          - alias: unreachable
            deployments:
              - { provider: dead, model: gpt-4o }
          - alias: unconfigured
            deployments:
              - { provider: unset, model: gpt-4o }
          - alias: failover
            deployments:
              - { provider: mock, model: fail-503 }
              - { provider: mock, model: gpt-4o }
        """;
  }
}
