package dev.conduit.observe;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.List;

/**
 * Logback's configuration, in code (found through {@code META-INF/services}): one console line per
 * event, the root level from {@code CONDUIT_LOG_LEVEL} (default INFO), and the chatty libraries at
 * WARN. An XML file would do the same, but reading it loads logback's Joran and the JDK's XML
 * parser, about 640 classes and a noticeable part of start-up ({@code bench/startup.sh}). A {@code
 * logback.configurationFile} system property still wins: then logback reads that file as usual.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
  static final String PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{24} - %msg%n";

  /** Libraries whose INFO lines are noise for an operator. */
  private static final List<String> QUIET =
      List.of("io.netty", "com.zaxxer.hikari", "org.flywaydb", "io.vertx");

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("CONSOLE");
    console.setEncoder(encoder);
    console.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(setting("CONDUIT_LOG_LEVEL"), Level.INFO));
    root.addAppender(console);
    QUIET.forEach(name -> context.getLogger(name).setLevel(Level.WARN));
    // Its only line, "Connection evicted", comes at the close of every upstream WebSocket (each
    // /v1/realtime session): not a warning.
    context.getLogger("io.vertx.core.http.impl.HttpClientConnectionInternal").setLevel(Level.ERROR);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** A system property, else the environment variable of that name (as logback's ${...}). */
  private static String setting(String name) {
    String value = System.getProperty(name);
    return value != null ? value : System.getenv(name);
  }
}
