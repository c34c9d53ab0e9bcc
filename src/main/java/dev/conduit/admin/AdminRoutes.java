package dev.conduit.admin;

import io.vertx.ext.web.Router;

/**
 * A group of admin endpoints; each feature mounts its own under {@code /api/admin} (the console,
 * its pages under {@code /ui}).
 */
public interface AdminRoutes {
  /** Adds routes to {@code router}; authentication and body parsing are already in place. */
  void mount(Router router);
}
