package dev.conduit.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.testing.RawHttp;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which caller address the IP rules see, for forwarding headers as proxies and callers send them.
 * Each row is a real request over loopback (peer 127.0.0.1) with its header lines exactly as
 * written. Behind {@code /proxied} the gateway trusts 127.0.0.1/32, 10.0.0.0/8 and
 * 2001:db8:ffff::/48; behind {@code /direct} it trusts only 192.0.2.0/24, so the peer is not a
 * proxy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientAddressTest {
  private static final String UNKNOWN = "unknown";

  private Vertx vertx;
  private HttpServer server;

  @BeforeAll
  void start() {
    vertx = Vertx.vertx();
    ClientAddress proxied =
        new ClientAddress(List.of("127.0.0.1/32", "10.0.0.0/8", "2001:db8:ffff::/48"));
    ClientAddress direct = new ClientAddress(List.of("192.0.2.0/24"));
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request
                        .response()
                        .end((request.path().equals("/direct") ? direct : proxied).of(request)))
            .listen(0, "127.0.0.1")
            .await();
  }

  @AfterAll
  void stop() {
    vertx.close().await();
  }

  static Stream<Arguments> rows() {
    return Stream.of(
        row("no forwarding header: the peer", "127.0.0.1"),
        row("one address", "203.0.113.7", "X-Forwarded-For: 203.0.113.7"),
        row(
            "a chain: the right-most untrusted",
            "203.0.113.7",
            "X-Forwarded-For: 198.51.100.1, 203.0.113.7"),
        row(
            "trusted proxies on the right are skipped",
            "203.0.113.7",
            "X-Forwarded-For: 198.51.100.1, 203.0.113.7, 10.0.0.5"),
        row(
            "two lines count as one list, in order",
            "1.1.1.1",
            "X-Forwarded-For: 10.1.2.3",
            "X-Forwarded-For: 1.1.1.1"),
        row(
            "the walk crosses lines",
            "203.0.113.7",
            "X-Forwarded-For: 198.51.100.1, 203.0.113.7",
            "X-Forwarded-For: 10.0.0.5, 10.0.0.6"),
        row("every hop trusted: the left-most", "10.0.0.9", "X-Forwarded-For: 10.0.0.9, 10.0.0.5"),
        row("an IPv4 address with a port", "203.0.113.7", "X-Forwarded-For: 203.0.113.7:4711"),
        row("a bare IPv6 address", "2001:db8::7", "X-Forwarded-For: 2001:db8::7"),
        row(
            "an IPv6 address in brackets with a port",
            "2001:db8::7",
            "X-Forwarded-For: [2001:db8::7]:4711"),
        row("an IPv6 address in brackets", "2001:db8::7", "X-Forwarded-For: [2001:db8::7]"),
        row(
            "a trusted IPv6 proxy is skipped",
            "2001:db8::7",
            "X-Forwarded-For: 2001:db8::7, 2001:db8:ffff::1"),
        row(
            "an IPv4-mapped trusted proxy is skipped",
            "203.0.113.7",
            "X-Forwarded-For: 203.0.113.7, ::ffff:10.0.0.5"),
        row("Forwarded: for=", "203.0.113.7", "Forwarded: for=203.0.113.7"),
        row(
            "Forwarded: quoted IPv6 with a port, other parameters",
            "2001:db8::7",
            "Forwarded: for=\"[2001:db8::7]:4711\";proto=https;by=10.0.0.6"),
        row(
            "Forwarded: elements across lines, trusted skipped",
            "203.0.113.7",
            "Forwarded: for=198.51.100.1",
            "Forwarded: for=203.0.113.7, for=10.0.0.5;by=10.0.0.6"),
        row("Forwarded: parameter names in any case", "203.0.113.7", "Forwarded: For=203.0.113.7"),
        row(
            "Forwarded and X-Forwarded-For agreeing",
            "203.0.113.7",
            "X-Forwarded-For: 203.0.113.7",
            "Forwarded: for=203.0.113.7"),
        row(
            "Forwarded and X-Forwarded-For disagreeing: unknown",
            UNKNOWN,
            "X-Forwarded-For: 203.0.113.7",
            "Forwarded: for=10.1.2.3"),
        row("garbage on the right: unknown", UNKNOWN, "X-Forwarded-For: 203.0.113.7, not-an-ip"),
        row("garbage behind a trusted hop: unknown", UNKNOWN, "X-Forwarded-For: garbage, 10.0.0.5"),
        row(
            "garbage left of the caller is never reached",
            "203.0.113.7",
            "X-Forwarded-For: garbage, 203.0.113.7"),
        row("an empty element: unknown", UNKNOWN, "X-Forwarded-For: 203.0.113.7,, 10.0.0.5"),
        row("a port that is not a number: unknown", UNKNOWN, "X-Forwarded-For: 203.0.113.7:http"),
        row("a host name: unknown", UNKNOWN, "X-Forwarded-For: example.com"),
        row("Forwarded: an obfuscated node: unknown", UNKNOWN, "Forwarded: for=_hidden"),
        row("Forwarded: for=unknown: unknown", UNKNOWN, "Forwarded: for=unknown"),
        row("Forwarded: an element without for: unknown", UNKNOWN, "Forwarded: proto=https"),
        directRow(
            "an untrusted peer's headers are ignored",
            "127.0.0.1",
            "X-Forwarded-For: 203.0.113.7",
            "Forwarded: for=203.0.113.7"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void theCallerIsTheFirstUntrustedAddressFromTheRight(
      String name, String path, List<String> headerLines, String expected) throws Exception {
    StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: gateway\r\n");
    headerLines.forEach(line -> request.append(line).append("\r\n"));
    request.append("Connection: close\r\n\r\n");
    try (RawHttp http = RawHttp.connect(server.actualPort())) {
      assertThat(http.send(request.toString()).readResponse().body()).isEqualTo(expected);
    }
  }

  private static Arguments row(String name, String expected, String... headerLines) {
    return Arguments.of(name, "/proxied", List.of(headerLines), expected);
  }

  private static Arguments directRow(String name, String expected, String... headerLines) {
    return Arguments.of(name, "/direct", List.of(headerLines), expected);
  }
}
