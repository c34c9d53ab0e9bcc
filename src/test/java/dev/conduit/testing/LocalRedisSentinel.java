package dev.conduit.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway Redis behind Sentinel: one master, one replica of it and one sentinel that monitors
 * it as {@link #MASTER_NAME} (quorum 1), each a {@code redis-server} process of this test on a free
 * loopback port, without persistence. {@link #close} stops them and deletes their files.
 */
public final class LocalRedisSentinel implements AutoCloseable {
  public static final String MASTER_NAME = "mymaster";

  private final Path dir;
  private final List<Process> processes = new ArrayList<>();
  private int masterPort;
  private int replicaPort;
  private int sentinelPort;

  public LocalRedisSentinel() throws IOException {
    dir = Files.createTempDirectory("conduit-test-redis-sentinel");
  }

  /**
   * Starts master, replica and sentinel; returns once the replica is in sync and the sentinel names
   * the master.
   */
  public LocalRedisSentinel start() throws Exception {
    masterPort = freePort();
    replicaPort = freePort();
    sentinelPort = freePort();
    server("master", masterPort);
    server("replica", replicaPort, "--replicaof", "127.0.0.1", Integer.toString(masterPort));
    Path conf = dir.resolve("sentinel.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "port " + sentinelPort,
            "bind 127.0.0.1",
            "dir " + dir,
            "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + masterPort + " 1",
            "sentinel down-after-milliseconds " + MASTER_NAME + " 5000",
            ""));
    processes.add(
        new ProcessBuilder("redis-server", conf.toString(), "--sentinel")
            .redirectErrorStream(true)
            .redirectOutput(new File(dir.toFile(), "sentinel.log"))
            .start());
    Eventually.await(
        "the replica to be in sync with the master",
        Duration.ofSeconds(60),
        () -> cli(replicaPort, "INFO", "replication"),
        out -> out.contains("master_link_status:up"));
    Eventually.await(
        "the sentinel to name the master",
        Duration.ofSeconds(60),
        () -> cli(sentinelPort, "SENTINEL", "get-master-addr-by-name", MASTER_NAME),
        out -> out.contains(Integer.toString(masterPort)));
    return this;
  }

  /** The sentinel's URL (what {@code redis.urls} lists in sentinel mode). */
  public String sentinelUrl() {
    return "redis://127.0.0.1:" + sentinelPort;
  }

  public int masterPort() {
    return masterPort;
  }

  public int replicaPort() {
    return replicaPort;
  }

  /** Runs {@code redis-cli -p port args...} and answers what it printed. */
  public String cli(int port, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
    command.addAll(List.of(args));
    return ExternalTool.run(dir, Map.of(), null, command.toArray(String[]::new)).output();
  }

  private void server(String name, int port, String... extra) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                dir.toString(),
                "--save",
                "",
                "--appendonly",
                "no"));
    command.addAll(List.of(extra));
    processes.add(
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(new File(dir.toFile(), name + ".log"))
            .start());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
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
