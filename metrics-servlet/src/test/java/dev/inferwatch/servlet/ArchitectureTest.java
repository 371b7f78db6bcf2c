package dev.inferwatch.servlet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The layering of shared/DESIGN.md, read from the compiled classes of core and the servlet pack:
 * arrows point toward core; plumbing stays inside the kit; the servlet pack's products share only
 * through {@code internal} and core.
 */
class ArchitectureTest {

  private static final JavaClasses KIT =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.inferwatch");

  private static final List<String> SUB_PACKAGES = List.of("scrape", "probe", "predict", "chat");

  @Test
  void importsTheClassesItJudges() {
    // A rule over an empty import passes vacuously: make sure both modules were read.
    assertThat(KIT.contain("dev.inferwatch.core.Inferwatch")).isTrue();
    assertThat(KIT.contain("dev.inferwatch.servlet.chat.ChatCompletionsServlet")).isTrue();
  }

  @Test
  void coreKnowsNoServletJnaSpringOrLangChain4j() {
    noClasses()
        .that()
        .resideInAPackage("dev.inferwatch.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "jakarta.servlet..",
            "javax.servlet..",
            "com.sun.jna..",
            "org.springframework..",
            "dev.langchain4j..",
            "dev.inferwatch.servlet..",
            "dev.inferwatch.gpu..")
        .check(KIT);
  }

  @Test
  void coreInternalIsUsedOnlyByTheKitsOwnModules() {
    classes()
        .that()
        .resideInAPackage("dev.inferwatch.core.internal..")
        .should()
        .onlyBeAccessed()
        .byAnyPackage(
            "dev.inferwatch.core..",
            "dev.inferwatch.servlet..",
            "dev.inferwatch.gpu..",
            "dev.inferwatch.testkit..",
            "dev.inferwatch.spring..",
            "dev.inferwatch.langchain4j..",
            "dev.inferwatch.cli..")
        .check(KIT);
  }

  @Test
  void servletInternalIsUsedOnlyByTheServletPackAndItsAdapters() {
    classes()
        .that()
        .resideInAPackage("dev.inferwatch.servlet.internal..")
        .should()
        .onlyBeAccessed()
        .byAnyPackage("dev.inferwatch.servlet..", "dev.inferwatch.spring..")
        .check(KIT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"scrape", "probe", "predict", "chat"})
  void servletSubPackagesShareOnlyThroughInternalAndCore(String subPackage) {
    String[] others =
        SUB_PACKAGES.stream()
            .filter(p -> !p.equals(subPackage))
            .map(p -> "dev.inferwatch.servlet." + p + "..")
            .toArray(String[]::new);
    noClasses()
        .that()
        .resideInAPackage("dev.inferwatch.servlet." + subPackage + "..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(others)
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("dev.inferwatch.servlet")
        .check(KIT);
  }
}
