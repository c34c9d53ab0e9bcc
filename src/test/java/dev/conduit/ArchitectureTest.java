package dev.conduit;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import dev.conduit.archfixture.api.ApiHandler;
import dev.conduit.archfixture.core.ImportsUpward;
import dev.conduit.archfixture.cycle.keys.KeyPart;
import dev.conduit.archfixture.cycle.pricing.PricePart;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The packages are layers (docs/architecture.md, "Layers"): a package uses only the packages below
 * it, the two listeners ({@code api}, {@code admin}) do not use each other, and no top-level
 * packages form a cycle. Subpackages belong to their top package ({@code api.openai} is {@code
 * api}). The fixtures under {@code archfixture} show that both rules do fail.
 */
class ArchitectureTest {
  /**
   * Top to bottom. {@code assembly} is the root package itself ({@code Main}, {@code Gateway}) and
   * {@code assembly}. {@code cli} ({@code conduit admin}) sits beside the listeners only so that
   * {@code Main} may reach it: {@link #theAdminCliTalksToTheGatewayOnlyOverHttp} keeps it off every
   * other package.
   */
  private static final List<List<String>> LEVELS =
      List.of(
          List.of("assembly"),
          List.of("cli", "api", "admin"),
          List.of("web"),
          List.of("pipeline"),
          List.of("cache"),
          List.of("keys"),
          List.of("pricing"),
          List.of("route"),
          List.of("provider"),
          List.of("observe"),
          List.of("store"),
          List.of("config"),
          List.of("core"));

  private static final JavaClasses MAIN_CLASSES =
      new ClassFileImporter()
          .withImportOption(new ImportOption.DoNotIncludeTests())
          .importPackages("dev.conduit");

  @Test
  void eachPackageUsesOnlyThePackagesBelowIt() {
    layers("dev.conduit").check(MAIN_CLASSES);
  }

  @Test
  void topLevelPackagesFormNoCycle() {
    noCycles("dev.conduit").check(MAIN_CLASSES);
  }

  @Test
  void theAdminCliTalksToTheGatewayOnlyOverHttp() {
    noClasses()
        .that()
        .resideInAPackage("dev.conduit.cli..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("dev.conduit..").and(not(resideInAPackage("dev.conduit.cli.."))))
        .because("the admin CLI is a client of the admin API, not of the gateway's internals")
        .check(MAIN_CLASSES);
  }

  @Test
  void anUpwardImportBreaksTheLayers() {
    JavaClasses fixture =
        new ClassFileImporter()
            .importPackages("dev.conduit.archfixture.core", "dev.conduit.archfixture.api");

    EvaluationResult result = layers("dev.conduit.archfixture").evaluate(fixture);

    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().getDetails())
        .isNotEmpty()
        .allSatisfy(
            violation ->
                assertThat(violation)
                    .contains(ImportsUpward.class.getName())
                    .contains(ApiHandler.class.getName()));
  }

  @Test
  void twoPackagesThatUseEachOtherAreACycle() {
    JavaClasses fixture = new ClassFileImporter().importPackages("dev.conduit.archfixture.cycle");

    EvaluationResult result = noCycles("dev.conduit.archfixture.cycle").evaluate(fixture);

    assertThat(result.hasViolation()).isTrue();
    assertThat(String.join("\n", result.getFailureReport().getDetails()))
        .contains(KeyPart.class.getName())
        .contains(PricePart.class.getName());
  }

  /** The layer rule for the packages under {@code root}. */
  static LayeredArchitecture layers(String root) {
    LayeredArchitecture rule =
        layeredArchitecture().consideringOnlyDependenciesInLayers().withOptionalLayers(true);
    for (List<String> level : LEVELS) {
      for (String layer : level) {
        rule =
            layer.equals("assembly")
                ? rule.layer(layer).definedBy(root, root + ".assembly..")
                : rule.layer(layer).definedBy(root + "." + layer + "..");
      }
    }
    List<String> above = new ArrayList<>();
    for (List<String> level : LEVELS) {
      for (String layer : level) {
        rule =
            above.isEmpty()
                ? rule.whereLayer(layer).mayNotBeAccessedByAnyLayer()
                : rule.whereLayer(layer).mayOnlyBeAccessedByLayers(above.toArray(String[]::new));
      }
      above.addAll(level);
    }
    return rule.ensureAllClassesAreContainedInArchitecture();
  }

  /** No cycle between the top-level packages under {@code root}. */
  static ArchRule noCycles(String root) {
    return slices().matching(root + ".(*)..").should().beFreeOfCycles();
  }
}
