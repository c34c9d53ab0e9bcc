package dev.conduit.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * A subcommand that calls the admin API. It finds {@link AdminCommand}'s options above it, runs
 * {@link #run}, and turns an {@link AdminFailure} into its message on stderr and its exit code.
 * Runs on the thread that executes the command line; calls block it (there is no event loop here).
 */
abstract class AdminCall implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public final Integer call() {
    try {
      AdminCommand admin = admin();
      run(admin.client(), new Output(admin.format(), spec.commandLine().getOut()));
      return 0;
    } catch (AdminFailure failure) {
      spec.commandLine().getErr().println("conduit admin: " + failure.getMessage());
      spec.commandLine().getErr().flush();
      return failure.exitCode();
    }
  }

  /** Does the command's work; throws {@link AdminFailure} on an error answer or no answer. */
  protected abstract void run(AdminClient client, Output out);

  private AdminCommand admin() {
    for (CommandLine.Model.CommandSpec at = spec; at != null; at = at.parent()) {
      if (at.userObject() instanceof AdminCommand admin) {
        return admin;
      }
    }
    throw new IllegalStateException("an admin subcommand outside 'conduit admin'");
  }
}
