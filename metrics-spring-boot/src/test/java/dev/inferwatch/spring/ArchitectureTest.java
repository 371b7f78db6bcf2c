package dev.inferwatch.spring;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The starter adapts the kit's public API to Boot and loads without its optional neighbours:
 * Micrometer, Boot 4's health API and the GPU module each stay in the one configuration that is
 * conditional on them.
 */
class ArchitectureTest {

  private static final JavaClasses STARTER =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.inferwatch.spring");

  @Test
  void importsTheClassesItJudges() {
    assertThat(STARTER.contain(InferwatchAutoConfiguration.class)).isTrue();
  }

  @Test
  void usesNoInternalPackageOfTheKit() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.inferwatch.core.internal..", "dev.inferwatch.servlet.internal..")
        .check(STARTER);
  }

  @Test
  void micrometerStaysInItsConditionalConfiguration() {
    noClasses()
        .that()
        .haveNameNotMatching(MicrometerRegistryConfiguration.class.getName() + "(\\$.*)?")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.micrometer..")
        .check(STARTER);
  }

  @Test
  void bootFoursHealthApiStaysInItsConditionalConfiguration() {
    noClasses()
        .that()
        .haveNameNotMatching(HealthContributorConfiguration.class.getName() + "(\\$.*)?")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.springframework.boot.health..")
        .check(STARTER);
  }

  @Test
  void theGpuModuleStaysInItsConditionalConfiguration() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName(GpuConfiguration.class.getName())
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.inferwatch.gpu..")
        .check(STARTER);
  }

  @Test
  void langChain4jStaysInItsConditionalConfiguration() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName(LangChain4jConfiguration.class.getName())
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.inferwatch.langchain4j..", "dev.langchain4j..")
        .check(STARTER);
  }
}
