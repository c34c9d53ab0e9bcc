package dev.conduit.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.config.TimeoutsConfig;
import dev.conduit.provider.UpstreamFailure.Kind;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The three deadlines of one upstream call (first byte, idle, total), served by one timer: each
 * still ends the call with its own kind, and a call that finishes in time gets its answer. Each
 * failing case leaves only one deadline reachable: the others are far away.
 */
class UpstreamTimersTest {
  private static final long FAR = 60_000;
  private static Vertx vertx;
  private static HttpServer upstream;
  private static UpstreamClient client;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  HttpServerResponse response = request.response().setChunked(true);
                  switch (request.path()) {
                    case "/silent" -> {} // never answers
                    case "/stall" -> response.write("first piece, then nothing");
                    case "/drip" -> {
                      response.write("a piece");
                      long drip = vertx.setPeriodic(20, id -> response.write("a piece"));
                      response.closeHandler(v -> vertx.cancelTimer(drip));
                    }
                    default -> response.end("whole answer");
                  }
                })
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    client = new UpstreamClient(vertx, 4, List.of(), (provider, nanos, success) -> {});
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void noAnswerEndsTheCallOnTheFirstByteDeadline() throws Exception {
    assertThat(failureOf("/silent", new TimeoutsConfig(5_000L, 200L, FAR, FAR)))
        .isEqualTo(Kind.FIRST_BYTE_TIMEOUT);
  }

  @Test
  void aBodyThatGoesSilentEndsTheCallOnTheIdleDeadline() throws Exception {
    assertThat(failureOf("/stall", new TimeoutsConfig(5_000L, FAR, 200L, FAR)))
        .isEqualTo(Kind.IDLE_TIMEOUT);
  }

  @Test
  void aBodyThatNeverEndsEndsTheCallOnTheTotalDeadlineThoughItIsNeverIdle() throws Exception {
    assertThat(failureOf("/drip", new TimeoutsConfig(5_000L, FAR, FAR, 300L)))
        .isEqualTo(Kind.TOTAL_TIMEOUT);
  }

  @Test
  void aCallAnsweredWithinShortDeadlinesGetsItsWholeAnswer() throws Exception {
    TimeoutsConfig shortLimits = new TimeoutsConfig(5_000L, 2_000L, 2_000L, 3_000L);
    CompletableFuture<String> body = new CompletableFuture<>();
    vertx.runOnContext(
        v ->
            send("/whole", shortLimits)
                .response()
                .compose(UpstreamResponse::body)
                .onSuccess(buffer -> body.complete(buffer.toString()))
                .onFailure(body::completeExceptionally));

    assertThat(body.get(10, TimeUnit.SECONDS)).isEqualTo("whole answer");
  }

  /**
   * Calls {@code path} and reads its body as a stream; answers the kind of failure it ends with.
   */
  private static Kind failureOf(String path, TimeoutsConfig timeouts) throws Exception {
    CompletableFuture<Kind> failure = new CompletableFuture<>();
    vertx.runOnContext(
        v ->
            send(path, timeouts)
                .response()
                .onSuccess(
                    response ->
                        response.stream(
                            chunk -> {},
                            end -> failure.completeExceptionally(new AssertionError("ended")),
                            cause -> failure.complete(((UpstreamFailure) cause).kind())))
                .onFailure(cause -> failure.complete(((UpstreamFailure) cause).kind())));
    return failure.get(30, TimeUnit.SECONDS);
  }

  private static UpstreamExchange send(String path, TimeoutsConfig timeouts) {
    String url = "http://127.0.0.1:" + upstream.actualPort() + path;
    return client.send(
        new UpstreamRequest(HttpMethod.GET, url, null, (Buffer) null),
        new UpstreamOptions("test", timeouts));
  }
}
