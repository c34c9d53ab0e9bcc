package dev.conduit.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on a loopback port that can black-hole its traffic: while black-holed it keeps every
 * connection open but forwards nothing (bytes read are thrown away), as a network that drops
 * packets without a reset does. Connections made during the black hole stay dead after it heals,
 * like half-open connections; new connections after {@link #heal} work again.
 */
public final class BlackHoleProxy implements AutoCloseable {
  private final ServerSocket server;
  private final String targetHost;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean blackHoled;
  private volatile long generation;
  private volatile Cut cut = Cut.NONE;

  public BlackHoleProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "black-hole-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Swallows everything from now on, on open and new connections, without closing any. */
  public void blackHole() {
    generation++;
    blackHoled = true;
  }

  /**
   * Cuts the connections silently in the middle of the next PostgreSQL pipeline: the first Sync
   * message a client sends from now on is not forwarded, and from there every connection open at
   * that moment goes silent as in {@link #blackHole} (new ones are forwarded). The server is left
   * inside that batch's transaction, having run what came before the Sync, waiting for the rest.
   */
  public void cutBeforeNextSync() {
    cut = Cut.BEFORE_SYNC;
  }

  /**
   * Cuts the connections silently when the server next answers a COMMIT: the transaction is
   * committed, but that answer (and everything after, on every connection open at that moment) is
   * swallowed. The client cannot tell whether its transaction landed.
   */
  public void cutAfterNextCommit() {
    cut = Cut.AFTER_COMMIT;
  }

  private enum Cut {
    NONE,
    BEFORE_SYNC,
    AFTER_COMMIT
  }

  /** New connections are forwarded again; those open during the black hole stay silent. */
  public void heal() {
    blackHoled = false;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        sockets.add(client);
        if (blackHoled) {
          pipe(client.getInputStream(), null, -1, false);
          continue;
        }
        Socket upstream = new Socket(targetHost, targetPort);
        sockets.add(upstream);
        long born = generation;
        pipe(client.getInputStream(), upstream.getOutputStream(), born, true);
        pipe(upstream.getInputStream(), client.getOutputStream(), born, false);
      } catch (IOException e) {
        // closed, or the target refused: the client sees its connection end
      }
    }
  }

  /** Copies until either side closes; drops the bytes once a black hole began after its birth. */
  private void pipe(InputStream in, OutputStream out, long born, boolean fromClient) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[8192];
              try {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                  int cutAt =
                      out != null && generation == born ? cutAt(buffer, read, fromClient) : -1;
                  if (cutAt >= 0) {
                    cut = Cut.NONE;
                    generation++; // first: the server's answer to what is written below is dropped
                    out.write(buffer, 0, cutAt);
                    out.flush();
                    continue;
                  }
                  if (out != null && generation == born) {
                    out.write(buffer, 0, read);
                    out.flush();
                  }
                }
              } catch (IOException e) {
                // a side closed
              }
            },
            "black-hole-proxy-pipe");
    thread.setDaemon(true);
    thread.start();
  }

  /** How many of these bytes go through before the armed cut, or -1: no cut here. */
  private int cutAt(byte[] buffer, int length, boolean fromClient) {
    return switch (cut) {
      case NONE -> -1;
      case BEFORE_SYNC -> fromClient ? syncAt(buffer, length) : -1;
      // The server's CommandComplete for a COMMIT carries the tag "COMMIT": none of it passes.
      case AFTER_COMMIT ->
          !fromClient
                  && new String(buffer, 0, length, StandardCharsets.ISO_8859_1).contains("COMMIT")
              ? 0
              : -1;
    };
  }

  /** Where a Sync message ('S', length 4) starts in the first {@code length} bytes, or -1. */
  private static int syncAt(byte[] buffer, int length) {
    for (int i = 0; i + 5 <= length; i++) {
      if (buffer[i] == 'S'
          && buffer[i + 1] == 0
          && buffer[i + 2] == 0
          && buffer[i + 3] == 0
          && buffer[i + 4] == 4) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }
}
