package dev.conduit.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.conduit.config.ConduitConfig;
import dev.conduit.config.ConfigLoader;
import dev.conduit.config.RedisConfig;
import dev.conduit.provider.ProviderRegistry;
import dev.conduit.testing.ExternalTool;
import dev.conduit.testing.Runbook;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Kubernetes manifests ({@code deploy/kubernetes}) render with kubectl's kustomize, validate
 * against the Kubernetes OpenAPI schemas, hold every object, label, pod and container the
 * operations runbook's {@code kubectl} lines name, and carry a configuration Conduit loads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubernetesManifestsTest {
  static final Path KUBERNETES = Path.of("deploy", "kubernetes");
  private static final Path PRODUCTION = KUBERNETES.resolve("overlays/production");
  private static final String KUBECTL = "kubectl (https://kubernetes.io/docs/tasks/tools/)";

  /**
   * Runbook lines that name something these manifests do not make, and why that is right: the
   * cert-manager namespace is cert-manager's own install, and {@code job-name=manual-backup-*} is
   * not a valid label selector (Kubernetes rejects the wildcard; the job's own name works).
   */
  private static final Set<String> OUTSIDE_THE_MANIFESTS =
      Set.of("namespace cert-manager", "deployment cert-manager", "label job-name=manual-backup-*");

  private String rendered;
  private List<JsonNode> objects;

  @BeforeAll
  void render() throws Exception {
    ExternalTool.require("kubectl", KUBECTL);
    rendered = ExternalTool.run(null, "kubectl", "kustomize", PRODUCTION.toString()).ok().output();
    objects = new ArrayList<>();
    new YAMLMapper()
        .readValues(new YAMLFactory().createParser(rendered), JsonNode.class)
        .forEachRemaining(
            node -> {
              if (node != null && !node.isMissingNode() && !node.isNull()) {
                objects.add(node);
              }
            });
  }

  @Test
  void theBaseRendersToo() throws Exception {
    assertThat(ExternalTool.run(null, "kubectl", "kustomize", KUBERNETES.toString()).ok().output())
        .contains("kind: Deployment");
  }

  @Test
  void everyObjectMatchesTheKubernetesSchemas() throws Exception {
    ExternalTool.Result result = validate(rendered);
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains(objects.size() + " objects, 0 invalid");
  }

  @Test
  void theValidatorRejectsAnInvalidObject() throws Exception {
    ExternalTool.Result result =
        validate(rendered.replace("maxUnavailable: 0", "maxUnavailable: [0]"));
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.output()).contains("INVALID Deployment/conduit-api");
  }

  /** Runs deploy/kubernetes/check/validate.mjs on rendered YAML; skips where it cannot run. */
  private static ExternalTool.Result validate(String yaml) throws Exception {
    Path check = KUBERNETES.resolve("check");
    ExternalTool.require("node", "apt-get install nodejs");
    Assumptions.assumeTrue(
        Files.isDirectory(check.resolve("node_modules")),
        "run `npm ci --prefix deploy/kubernetes/check` first (.ci/run does): test skipped");
    return ExternalTool.run(null, Map.of(), yaml, "node", check.resolve("validate.mjs").toString());
  }

  @Test
  void everyNameTheRunbooksKubectlLinesUseExists() {
    List<String> invocations = kubectlInvocations(Runbook.text());
    assertThat(invocations).hasSizeGreaterThanOrEqualTo(40);
    Set<String> named = new LinkedHashSet<>();
    for (String invocation : invocations) {
      named.addAll(namesIn(invocation));
    }
    assertThat(named)
        .as("what the runbook's kubectl lines name")
        .contains(
            "namespace conduit",
            "label app=conduit-api",
            "label app=postgres",
            "deployment conduit-api",
            "container conduit-api/api",
            "hpa conduit-api-hpa",
            "pod postgres-0",
            "pod redis-0",
            "pod redis-1",
            "pod conduit-api-xxxx",
            "cronjob postgres-backup",
            "certificate conduit-tls");
    List<String> missing = new ArrayList<>();
    for (String name : named) {
      if (!OUTSIDE_THE_MANIFESTS.contains(name) && !exists(name)) {
        missing.add(name);
      }
    }
    assertThat(missing).as("named by the runbook but not in the manifests").isEmpty();
  }

  @Test
  void theRunbooksDatabaseUsersAndRedisClusterAreThere() throws Exception {
    JsonNode postgres = find("StatefulSet", "postgres").orElseThrow();
    JsonNode container = postgres.at("/spec/template/spec/containers/0");
    assertThat(envValue(container, "POSTGRES_USER")).isEqualTo("postgres");
    assertThat(container.path("args").toString()).contains("pg_stat_statements");
    String init = configMapData("postgres-init").path("10-conduit.sh").asText();
    assertThat(init).contains("CREATE ROLE conduit", "CREATE DATABASE conduit");
    String redisConf = configMapData("redis-config").path("redis.conf").asText();
    assertThat(redisConf).contains("cluster-enabled yes");
    assertThat(find("Job", "redis-cluster-create")).isPresent();
    // The backup CronJob runs scripts/backup.sh, whose dump BackupRestoreTest restores with the
    // runbook's command.
    assertThat(configMapData("postgres-backup-script").path("backup.sh").asText())
        .isEqualTo(Files.readString(Path.of("scripts", "backup.sh")));
    assertThat(find("CronJob", "postgres-backup")).isPresent();
  }

  @Test
  void secretsComeFromSecretsNeverFromTheConfigMap() {
    JsonNode api = find("Deployment", "conduit-api").orElseThrow();
    JsonNode container = api.at("/spec/template/spec/containers/0");
    for (String variable :
        List.of(
            "CONDUIT_MASTER_KEY",
            "CONDUIT_ENCRYPTION_KEY",
            "CONDUIT_DATABASE_URL",
            "CONDUIT_DATABASE_PASSWORD",
            "CONDUIT_REDIS_URL")) {
      assertThat(envOf(container, variable).path("valueFrom").has("secretKeyRef"))
          .as(variable + " from a Secret")
          .isTrue();
    }
    String config = configMapData("conduit-config").path("conduit.yaml").asText();
    assertThat(config).doesNotContainPattern("(?i)(sk-|password:\\s*[^$\\s])");
    assertThat(api.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt()).isZero();
  }

  @Test
  void theConfigMapsConfigurationLoadsWithConduitsOwnLoader() throws Exception {
    String yaml = configMapData("conduit-config").path("conduit.yaml").asText();
    ConduitConfig config =
        new ConfigLoader(
                Map.of(
                    "CONDUIT_DATABASE_URL", "jdbc:postgresql://postgres:5432/conduit",
                    "CONDUIT_DATABASE_PASSWORD", "secret",
                    "CONDUIT_REDIS_URL", "redis://redis:6379"),
                ProviderRegistry.configTypes())
            .parse(yaml, "ConfigMap conduit-config");
    assertThat(config.database().url()).isEqualTo("jdbc:postgresql://postgres:5432/conduit");
    assertThat(config.server().port()).isEqualTo(8080);
    assertThat(config.server().adminPort()).isEqualTo(8081);
    // Without the optional CONDUIT_REDIS_URL: the Redis Cluster's six pods.
    RedisConfig redis =
        new ConfigLoader(
                Map.of(
                    "CONDUIT_DATABASE_URL", "jdbc:postgresql://postgres:5432/conduit",
                    "CONDUIT_DATABASE_PASSWORD", "secret"),
                ProviderRegistry.configTypes())
            .parse(yaml, "ConfigMap conduit-config")
            .redis();
    assertThat(redis.resolvedMode()).isEqualTo(RedisConfig.Mode.CLUSTER);
    assertThat(redis.nodes())
        .hasSize(6)
        .allMatch(url -> url.matches("redis://redis-[0-5]\\.redis:6379"));
    assertThat(find("StatefulSet", "redis").orElseThrow().at("/spec/replicas").asInt())
        .isEqualTo(redis.nodes().size());
  }

  @Test
  void thePrometheusRuleHoldsTheRuleFilesGroups() throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    Path monitoring = AlertRulesTest.MONITORING;
    List<JsonNode> expected = new ArrayList<>();
    yaml.readTree(monitoring.resolve("recording-rules.yaml").toFile())
        .path("groups")
        .forEach(expected::add);
    yaml.readTree(monitoring.resolve("alerts.yaml").toFile()).path("groups").forEach(expected::add);
    JsonNode rule = find("PrometheusRule", "conduit").orElseThrow();
    List<JsonNode> actual = new ArrayList<>();
    rule.at("/spec/groups").forEach(actual::add);
    if (!actual.equals(expected)) {
      Path regenerated = Path.of("target", "prometheusrule.yaml");
      Files.createDirectories(regenerated.getParent());
      String header =
          Files.readString(monitoring.resolve("prometheusrule.yaml"))
              .lines()
              .takeWhile(line -> line.startsWith("#"))
              .reduce("", (a, b) -> a + b + "\n");
      JsonNode document =
          yaml.createObjectNode()
              .put("apiVersion", "monitoring.coreos.com/v1")
              .put("kind", "PrometheusRule")
              .<ObjectNode>set("metadata", rule.path("metadata"))
              .set("spec", yaml.createObjectNode().set("groups", yaml.valueToTree(expected)));
      Files.writeString(regenerated, header + yaml.writeValueAsString(document));
    }
    assertThat(actual)
        .as(
            "monitoring/prometheusrule.yaml is out of date: copy target/prometheusrule.yaml over it")
        .isEqualTo(expected);
  }

  /** Every kubectl command in the runbook, including those after a pipe. */
  static List<String> kubectlInvocations(String runbook) {
    List<String> invocations = new ArrayList<>();
    for (String command : Runbook.commands(runbook)) {
      for (String part : command.split("\\|")) {
        int at = part.indexOf("kubectl ");
        if (at >= 0) {
          invocations.add(part.substring(at).trim());
        }
      }
    }
    return invocations;
  }

  private static final Pattern NAMESPACE = Pattern.compile("-n\\s+(\\S+)");
  private static final Pattern LABEL = Pattern.compile("-l\\s+(\\S+)");
  private static final Pattern TYPED =
      Pattern.compile(
          "\\b(deployment|hpa|certificate|cronjob|statefulset|pod)(?:/|\\s+)([a-z0-9][a-z0-9-]*)");
  private static final Pattern EXEC_POD =
      Pattern.compile("\\bexec\\s+(?:-i\\s+)?(?:-n\\s+\\S+\\s+)?([a-z0-9-]+)\\s");
  private static final Pattern FROM = Pattern.compile("--from=(\\w+)/([a-z0-9-]+)");
  private static final Pattern SET_IMAGE =
      Pattern.compile("set image deployment/([a-z0-9-]+).*?\\s([a-z0-9-]+)=\\S+");

  /** What one kubectl command names: "kind name" pairs. */
  static Set<String> namesIn(String invocation) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = NAMESPACE.matcher(invocation);
    while (m.find()) {
      names.add("namespace " + m.group(1));
    }
    m = LABEL.matcher(invocation);
    while (m.find()) {
      names.add("label " + m.group(1));
    }
    String withoutFrom = FROM.matcher(invocation).replaceAll("");
    m = TYPED.matcher(withoutFrom);
    while (m.find()) {
      names.add(m.group(1) + " " + m.group(2));
    }
    m = FROM.matcher(invocation);
    while (m.find()) {
      names.add(m.group(1) + " " + m.group(2));
    }
    m = EXEC_POD.matcher(invocation);
    if (m.find()) {
      names.add("pod " + m.group(1));
    }
    m = SET_IMAGE.matcher(invocation);
    if (m.find()) {
      names.add("container " + m.group(1) + "/" + m.group(2));
    }
    return names;
  }

  private boolean exists(String name) {
    String kind = name.substring(0, name.indexOf(' '));
    String value = name.substring(name.indexOf(' ') + 1);
    return switch (kind) {
      case "namespace" -> find("Namespace", value).isPresent();
      case "deployment" -> find("Deployment", value).isPresent();
      case "statefulset" -> find("StatefulSet", value).isPresent();
      case "hpa" -> find("HorizontalPodAutoscaler", value).isPresent();
      case "certificate" -> find("Certificate", value).isPresent();
      case "cronjob" -> find("CronJob", value).isPresent();
      case "label" -> podTemplateLabelled(value);
      case "pod" -> podExists(value);
      case "container" -> {
        String deployment = value.substring(0, value.indexOf('/'));
        String container = value.substring(value.indexOf('/') + 1);
        yield find("Deployment", deployment)
            .map(d -> d.at("/spec/template/spec/containers").findValuesAsText("name"))
            .orElse(List.of())
            .contains(container);
      }
      default -> false;
    };
  }

  /** {@code postgres-0}: a StatefulSet's ordinal; {@code conduit-api-xxxx}: a Deployment's pod. */
  private boolean podExists(String pod) {
    Matcher ordinal = Pattern.compile("(.+)-(\\d+)").matcher(pod);
    if (ordinal.matches()) {
      return find("StatefulSet", ordinal.group(1))
          .map(set -> set.at("/spec/replicas").asInt(1) > Integer.parseInt(ordinal.group(2)))
          .orElse(false);
    }
    Matcher generated = Pattern.compile("(.+)-x+").matcher(pod);
    return generated.matches() && find("Deployment", generated.group(1)).isPresent();
  }

  private boolean podTemplateLabelled(String selector) {
    String key = selector.substring(0, selector.indexOf('='));
    String value = selector.substring(selector.indexOf('=') + 1);
    return objects.stream()
        .map(object -> object.at("/spec/template/metadata/labels/" + key))
        .anyMatch(label -> label.asText().equals(value));
  }

  private Optional<JsonNode> find(String kind, String name) {
    return objects.stream()
        .filter(o -> o.path("kind").asText().equals(kind))
        .filter(o -> o.at("/metadata/name").asText().equals(name))
        .findFirst();
  }

  /** A generated ConfigMap's data (its name carries kustomize's hash suffix). */
  private JsonNode configMapData(String name) {
    return objects.stream()
        .filter(o -> o.path("kind").asText().equals("ConfigMap"))
        .filter(o -> o.at("/metadata/name").asText().startsWith(name + "-"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no ConfigMap " + name))
        .path("data");
  }

  private static JsonNode envOf(JsonNode container, String name) {
    for (JsonNode env : container.path("env")) {
      if (env.path("name").asText().equals(name)) {
        return env;
      }
    }
    throw new AssertionError("no env " + name + " in " + container.path("name").asText());
  }

  private static String envValue(JsonNode container, String name) {
    return envOf(container, name).path("value").asText();
  }
}
