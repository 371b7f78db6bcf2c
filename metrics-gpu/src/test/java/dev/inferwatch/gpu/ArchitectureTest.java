package dev.inferwatch.gpu;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The GPU module points at core only: no servlet, no Spring; JNA stays inside it. */
class ArchitectureTest {

  private static final JavaClasses KIT =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.inferwatch");

  @Test
  void gpuDependsOnCoreOnly() {
    assertThat(KIT.contain("dev.inferwatch.gpu.GpuModule")).isTrue();
    noClasses()
        .that()
        .resideInAPackage("dev.inferwatch.gpu..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.inferwatch.servlet..", "jakarta.servlet..", "org.springframework..")
        .check(KIT);
  }

  @Test
  void onlyTheGpuModuleTouchesJna() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.inferwatch.gpu..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.sun.jna..")
        .check(KIT);
  }
}
