package dev.inferwatch.langchain4j;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The LangChain4j module points at core only (no servlet, Spring or JNA), uses core's plumbing only
 * where it must, and nothing else in the kit imports LangChain4j.
 */
class ArchitectureTest {

  private static final JavaClasses KIT =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.inferwatch");

  @Test
  void langchain4jDependsOnCoreOnly() {
    assertThat(KIT.contain(InferwatchChatModelListener.class)).isTrue();
    noClasses()
        .that()
        .resideInAPackage("dev.inferwatch.langchain4j..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.inferwatch.servlet..",
            "dev.inferwatch.gpu..",
            "dev.inferwatch.testkit..",
            "jakarta.servlet..",
            "org.springframework..",
            "com.sun.jna..",
            "dev.langchain4j.model.openai..")
        .check(KIT);
  }

  @Test
  void coreInternalIsUsedOnlyForTheLabelGuardTheJsonMapperAndInternalErrors() {
    classes()
        .that()
        .resideInAPackage("dev.inferwatch.core.internal..")
        .and()
        .areNotAssignableTo(dev.inferwatch.core.internal.LabelGuard.class)
        .and()
        .areNotAssignableTo(dev.inferwatch.core.internal.Json.class)
        .and()
        .areNotAssignableTo(dev.inferwatch.core.internal.InternalErrors.class)
        .should()
        .onlyHaveDependentClassesThat()
        .resideOutsideOfPackage("dev.inferwatch.langchain4j..")
        .check(KIT);
  }

  @Test
  void nothingElseInTheKitImportsLangChain4j() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.inferwatch.langchain4j..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.langchain4j..")
        .check(KIT);
  }

  @Test
  void onlyTheListenerIsPublic() {
    classes()
        .that()
        .resideInAPackage("dev.inferwatch.langchain4j")
        .and()
        .areNotAssignableTo(InferwatchChatModelListener.class)
        .and()
        .areNotNestedClasses()
        .should()
        .notBePublic()
        .check(KIT);
  }
}
