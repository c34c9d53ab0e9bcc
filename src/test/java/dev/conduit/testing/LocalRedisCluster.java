package dev.conduit.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A throwaway Redis Cluster of this test: six {@code redis-server} processes on free loopback ports
 * (cluster-enabled, no persistence, files in a temporary directory), formed into three masters with
 * one replica each by {@code redis-cli --cluster create}. Started by {@link #start}, which waits
 * until every node reports {@code cluster_state:ok}; {@link #close} stops every process and deletes
 * the directory. The machine's Redis is never touched.
 */
public final class LocalRedisCluster implements AutoCloseable {
  private static final int NODES = 6;

  private final Path dir;
  private final List<Integer> ports = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();

  public LocalRedisCluster() throws IOException {
    dir = Files.createTempDirectory("conduit-test-redis-cluster");
  }

  /** Starts the nodes, forms the cluster, and waits until every node says it is ok. */
  public LocalRedisCluster start() throws Exception {
    ports.addAll(freePorts(NODES));
    for (int port : ports) {
      processes.add(
          new ProcessBuilder(
                  "redis-server",
                  "--port",
                  Integer.toString(port),
                  "--bind",
                  "127.0.0.1",
                  "--cluster-enabled",
                  "yes",
                  "--cluster-config-file",
                  "nodes-" + port + ".conf",
                  "--cluster-node-timeout",
                  "5000",
                  "--dir",
                  dir.toString(),
                  "--save",
                  "",
                  "--appendonly",
                  "no")
              .redirectErrorStream(true)
              .redirectOutput(new File(dir.toFile(), "redis-" + port + ".log"))
              .start());
    }
    for (int port : ports) {
      Eventually.await(
          "redis-server on port " + port + " to answer",
          Duration.ofSeconds(60),
          () -> cli(port, "PING"),
          out -> out.contains("PONG"));
    }
    List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
    ports.forEach(port -> create.add("127.0.0.1:" + port));
    create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
    ExternalTool.run(dir, Map.of(), null, create.toArray(String[]::new)).ok();
    awaitHealthy();
    return this;
  }

  /**
   * Waits until every node reports {@code cluster_state:ok} and every replica is in sync with its
   * master (a replica's first full sync starts only after {@code repl-diskless-sync-delay}).
   */
  public void awaitHealthy() throws Exception {
    for (int port : ports) {
      Eventually.await(
          "node " + port + " to report cluster_state:ok",
          Duration.ofSeconds(60),
          () -> cli(port, "CLUSTER", "INFO"),
          out -> out.contains("cluster_state:ok"));
    }
    for (int port : ports) {
      Eventually.await(
          "node " + port + " to be a master or a replica in sync",
          Duration.ofSeconds(60),
          () -> cli(port, "INFO", "replication"),
          out -> out.contains("role:master") || out.contains("master_link_status:up"));
    }
  }

  /** The nodes' URLs, comma-separated (as {@code CONDUIT_REDIS_URL} takes them). */
  public String urls() {
    return ports.stream().map(port -> "redis://127.0.0.1:" + port).collect(Collectors.joining(","));
  }

  public List<Integer> ports() {
    return List.copyOf(ports);
  }

  /** The hash slot of {@code key} ({@code CLUSTER KEYSLOT}). */
  public int keySlot(String key) throws Exception {
    return Integer.parseInt(cli(ports.get(0), "CLUSTER", "KEYSLOT", key).trim());
  }

  /** The port of the master that serves {@code slot} now, as the first node sees it. */
  public int masterOf(int slot) throws Exception {
    for (String[] node : nodes(ports.get(0))) {
      if (node[2].contains("master") && !node[2].contains("fail") && serves(node, slot)) {
        return port(node);
      }
    }
    throw new AssertionError("no master serves slot " + slot);
  }

  /** The port of a replica of the master on {@code masterPort}. */
  public int replicaOf(int masterPort) throws Exception {
    String masterId = null;
    List<String[]> nodes = nodes(masterPort);
    for (String[] node : nodes) {
      if (node[2].contains("myself")) {
        masterId = node[0];
      }
    }
    for (String[] node : nodes) {
      if (node[2].contains("slave") && node[3].equals(masterId)) {
        return port(node);
      }
    }
    throw new AssertionError("the master on " + masterPort + " has no replica");
  }

  /**
   * {@code CLUSTER FAILOVER FORCE} on the replica on {@code replicaPort}: it takes over its
   * master's slots without the master's agreement. Returns once it is a master and the cluster is
   * ok.
   */
  public void forceFailover(int replicaPort) throws Exception {
    String reply = cli(replicaPort, "CLUSTER", "FAILOVER", "FORCE");
    if (!reply.contains("OK")) {
      throw new AssertionError("CLUSTER FAILOVER FORCE on " + replicaPort + ": " + reply);
    }
    Eventually.await(
        "node " + replicaPort + " to become a master",
        Duration.ofSeconds(60),
        () -> cli(replicaPort, "ROLE"),
        out -> out.startsWith("master"));
    awaitHealthy();
  }

  /** Runs {@code redis-cli -p port args...} and answers what it printed. */
  public String cli(int port, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
    command.addAll(List.of(args));
    return ExternalTool.run(dir, Map.of(), null, command.toArray(String[]::new)).output();
  }

  private List<String[]> nodes(int port) throws Exception {
    List<String[]> nodes = new ArrayList<>();
    for (String line : cli(port, "CLUSTER", "NODES").split("\n")) {
      if (!line.isBlank()) {
        nodes.add(line.trim().split(" "));
      }
    }
    return nodes;
  }

  private static boolean serves(String[] node, int slot) {
    for (int i = 8; i < node.length; i++) {
      String range = node[i];
      if (range.startsWith("[")) {
        continue; // a slot being migrated
      }
      int dash = range.indexOf('-');
      int from = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
      int to = dash < 0 ? from : Integer.parseInt(range.substring(dash + 1));
      if (slot >= from && slot <= to) {
        return true;
      }
    }
    return false;
  }

  private static int port(String[] node) {
    String address = node[1];
    return Integer.parseInt(address.substring(address.indexOf(':') + 1, address.indexOf('@')));
  }

  /**
   * Free ports from 17000 up, each with its cluster bus port (port + 10000) free too, from a random
   * start so that two runs on one machine rarely try the same ones.
   */
  private static List<Integer> freePorts(int count) throws IOException {
    List<Integer> found = new ArrayList<>();
    int port = 17_000 + ThreadLocalRandom.current().nextInt(2_000);
    while (found.size() < count && port < 20_000) {
      if (free(port) && free(port + 10_000)) {
        found.add(port);
      }
      port++;
    }
    if (found.size() < count) {
      throw new IOException("no " + count + " free port pairs between 17000 and 20000");
    }
    return found;
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws Exception {
    for (Process process : processes) {
      process.destroy();
    }
    for (Process process : processes) {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
