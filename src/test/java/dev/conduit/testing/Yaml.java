package dev.conduit.testing;

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
    return "  - alias: "
        + alias
        + "\n    deployments:\n      - { provider: mock, model: "
        + mockModel
        + " }\n";
  }

  /** A gateway whose provider {@code mock} is the given upstream. */
  public static String withMock(MockUpstream mock, String databaseUrl, String extraServer) {
    StringBuilder yaml =
        new StringBuilder()
            .append("server:\n  eventLoops: 2\n")
            .append(extraServer == null ? "" : extraServer)
            .append("database:\n  url: \"")
            .append(databaseUrl)
            .append("\"\n")
            .append(
                databaseUrl.startsWith("jdbc:postgresql")
                    ? "  username: " + TestDatabases.PG_USER + "\n"
                    : "")
            .append("requestLog:\n  batchSize: 50\n")
            .append("providers:\n")
            .append("  - name: mock\n    type: openai\n    baseUrl: ")
            .append(mock.baseUrl())
            .append("\n    apiKey: ")
            .append(UPSTREAM_KEY)
            .append("\n    timeouts: { connectMs: 2000, firstByteMs: 5000, totalMs: 30000 }\n")
            // A provider of its own for fail-401: a rejected key is taken out of rotation.
            .append("  - name: mock-auth\n    type: openai\n    baseUrl: ")
            .append(mock.baseUrl())
            .append("\n    apiKey: ")
            .append(UPSTREAM_KEY)
            .append("\n")
            .append("  - name: dead\n    type: openai\n    baseUrl: http://127.0.0.1:1/v1\n")
            .append("    apiKey: sk-dead\n")
            .append("  - name: unset\n    type: openai\n    apiKey: ${CONDUIT_TEST_UNSET_KEY}\n")
            .append("models:\n");
    for (String model : MOCK_MODELS) {
      String provider = model.equals("fail-401") ? "mock-auth" : "mock";
      yaml.append("  - alias: ")
          .append(model)
          .append("\n    deployments:\n")
          .append("      - { provider: ")
          .append(provider)
          .append(", model: ")
          .append(model)
          .append(" }\n");
    }
    yaml.append("  - alias: slow\n    deployments:\n")
        .append("      - { provider: mock, model: hang, timeouts: { firstByteMs: 300 } }\n")
        .append("  - alias: unreachable\n    deployments:\n")
        .append("      - { provider: dead, model: gpt-4o }\n")
        .append("  - alias: unconfigured\n    deployments:\n")
        .append("      - { provider: unset, model: gpt-4o }\n")
        .append("  - alias: failover\n    deployments:\n")
        .append("      - { provider: mock, model: fail-503 }\n")
        .append("      - { provider: mock, model: gpt-4o }\n");
    return yaml.toString();
  }
}
