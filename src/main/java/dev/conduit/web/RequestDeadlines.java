package dev.conduit.web;

import dev.conduit.observe.ListenerMeters;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deadlines of one HTTP/1.x connection, kept by two Netty handlers around the request decoder:
 * one sees raw bytes come in (a request has begun), the other the decoded requests and the
 * responses going out. At most one deadline runs at a time; when it passes, the connection is
 * closed:
 *
 * <ul>
 *   <li>body: the request being answered, or just answered early, has not sent its whole body;
 *   <li>headers: bytes of a request came, its headers are not complete;
 *   <li>keep-alive: no request in progress and none begun (a new connection too);
 *   <li>none while a response is in progress: a stream or a slow upstream call owns the connection
 *       for as long as it takes.
 * </ul>
 *
 * All state is touched on the connection's event loop only.
 */
final class RequestDeadlines {
  /** Vert.x 5's names for its request decoder and its connection handler in the pipeline. */
  static final String DECODER = "httpDecoder";

  private static final String VERTX_HANDLER = "handler";
  private static final Logger log = LoggerFactory.getLogger(RequestDeadlines.class);

  private enum Phase {
    NONE,
    HEADERS,
    BODY,
    KEEP_ALIVE
  }

  private final ListenerLimits limits;
  private final ListenerMeters meters;
  private ChannelHandlerContext context;

  /** Requests decoded whose response has not ended. */
  private int unanswered;

  /** The last decoded request's body has not all arrived. */
  private boolean bodyOpen;

  /** Bytes of a request arrived whose headers are not decoded yet. */
  private boolean requestBegun;

  private Phase phase = Phase.NONE;
  private ScheduledFuture<?> timer;

  /** The connection is closing: no deadline may start again. */
  private boolean stopped;

  RequestDeadlines(ListenerLimits limits, ListenerMeters meters) {
    this.limits = limits;
    this.meters = meters;
  }

  void install(ChannelPipeline pipeline) {
    pipeline.addBefore(DECODER, "conduitBytesIn", new BytesIn());
    pipeline.addBefore(VERTX_HANDLER, "conduitDeadlines", new Exchanges());
  }

  private void update() {
    if (stopped) {
      return;
    }
    Phase next;
    if (bodyOpen && unanswered <= 1) {
      next = Phase.BODY;
    } else if (unanswered > 0) {
      next = Phase.NONE;
    } else if (requestBegun) {
      next = Phase.HEADERS;
    } else {
      next = Phase.KEEP_ALIVE;
    }
    if (next == phase) {
      return;
    }
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    phase = next;
    long limitMs =
        switch (next) {
          case NONE -> 0;
          case HEADERS -> limits.headersTimeoutMs();
          case BODY -> limits.bodyTimeoutMs();
          case KEEP_ALIVE -> limits.keepAliveTimeoutMs();
        };
    if (limitMs > 0) {
      timer = context.executor().schedule(() -> expire(next), limitMs, TimeUnit.MILLISECONDS);
    }
  }

  private void expire(Phase expired) {
    if (phase != expired || !context.channel().isActive()) {
      return;
    }
    log.debug(
        "Closing a connection from {}: {} deadline passed",
        context.channel().remoteAddress(),
        expired);
    meters.deadlinePassed(expired.name());
    var unused = context.close();
  }

  private void stop() {
    stopped = true;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    phase = Phase.NONE;
  }

  /** Before the decoder: any byte that is not part of a body begins a request. */
  private final class BytesIn extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!bodyOpen && msg instanceof ByteBuf bytes && bytes.isReadable() && !requestBegun) {
        requestBegun = true;
        update();
      }
      ctx.fireChannelRead(msg);
    }
  }

  /** After the decoder: requests in, responses out. */
  private final class Exchanges extends ChannelDuplexHandler {
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      context = ctx;
      update();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      stop();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      stop();
      ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest request) {
        requestBegun = false;
        unanswered++;
        // A request the decoder refused has no body to wait for: it is answered and closed.
        bodyOpen = request.decoderResult().isSuccess();
      }
      if (msg instanceof LastHttpContent) {
        bodyOpen = false;
      }
      if (msg instanceof HttpObject) {
        update();
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (msg instanceof LastHttpContent && !isInterim(msg) && unanswered > 0) {
        unanswered--;
        update();
      }
      var unused = ctx.write(msg, promise);
    }

    /** A 100 Continue or 103 Early Hints, which a final response follows. */
    private boolean isInterim(Object msg) {
      return msg instanceof HttpResponse response
          && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
    }
  }
}
