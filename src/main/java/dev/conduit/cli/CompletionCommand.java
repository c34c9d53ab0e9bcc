package dev.conduit.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code conduit admin completion}: prints a bash completion script for the whole command line
 * ({@code source <(conduit admin completion)}); needs no gateway.
 */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = "Print a bash (and zsh with bashcompinit) completion script.")
final class CompletionCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    CommandLine root = spec.root().commandLine();
    String script = AutoComplete.bash(spec.root().name(), root);
    spec.commandLine().getOut().print(script);
    spec.commandLine().getOut().flush();
  }
}
