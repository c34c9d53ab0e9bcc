package dev.conduit.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Logging is configured in code: the console line, the levels, and a configuration file still wins.
 */
class LogSetupTest {

  @Test
  void theRunningLoggerContextWasConfiguredByLogSetup() {
    LoggerContext running = (LoggerContext) LoggerFactory.getILoggerFactory();
    assertConfigured(running);
  }

  @Test
  void aFreshContextGetsTheConsoleLineAndTheQuietLibraries() {
    LoggerContext context = new LoggerContext();
    LogSetup setup = new LogSetup();
    setup.setContext(context);

    assertThat(setup.configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    assertConfigured(context);
    assertThat(context.getLogger("io.vertx.core.http.impl.HttpClientConnectionInternal").getLevel())
        .isEqualTo(Level.ERROR);
  }

  @Test
  void aConfigurationFileNamedOnTheCommandLineIsLeftToLogback() {
    LoggerContext context = new LoggerContext();
    LogSetup setup = new LogSetup();
    setup.setContext(context);
    System.setProperty("logback.configurationFile", "/etc/conduit/logback.xml");
    try {
      assertThat(setup.configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
      assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("CONSOLE")).isNull();
    } finally {
      System.clearProperty("logback.configurationFile");
    }
  }

  private static void assertConfigured(LoggerContext context) {
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getAppender("CONSOLE")).isInstanceOf(ConsoleAppender.class);
    ConsoleAppender<?> console = (ConsoleAppender<?>) root.getAppender("CONSOLE");
    assertThat(((PatternLayoutEncoder) console.getEncoder()).getPattern())
        .isEqualTo(LogSetup.PATTERN);
    for (String quiet :
        new String[] {"io.netty", "com.zaxxer.hikari", "org.flywaydb", "io.vertx"}) {
      assertThat(context.getLogger(quiet).getLevel()).as(quiet).isEqualTo(Level.WARN);
    }
  }
}
