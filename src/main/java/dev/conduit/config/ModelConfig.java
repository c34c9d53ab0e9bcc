package dev.conduit.config;

import java.util.List;

/**
 * A model alias callers use, and the provider deployments that serve it.
 *
 * @param alias the name in the caller's {@code model} field
 * @param deployments tried in order
 */
public record ModelConfig(String alias, List<DeploymentConfig> deployments) {

  public ModelConfig {
    deployments = deployments == null ? List.of() : List.copyOf(deployments);
  }
}
