package dev.inferwatch.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.inferwatch.core.Inferwatch;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.apache.catalina.Context;
import org.apache.catalina.WebResourceRoot;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.webresources.DirResourceSet;
import org.apache.catalina.webresources.JarResourceSet;
import org.apache.catalina.webresources.StandardRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tomcat's own leak check on the GPU module's threads: a web app whose class loader loads the kit
 * (as from {@code WEB-INF/lib}) starts the module over the fake driver, so the poller and XID
 * threads carry that loader; when the context stops, Tomcat warns about every thread of it still
 * alive. A negative control proves the check sees our threads when the app forgets to close.
 */
class GpuTomcatLeakTest {

  private static final String LOADER_LOG = "org.apache.catalina.loader.WebappClassLoaderBase";

  private final List<String> warnings = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          warnings.add(new SimpleFormatter().formatMessage(record));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeAll
  static void needsGcc() {
    String reason = FakeDriver.unavailableReason();
    assumeThat(reason).as(String.valueOf(reason)).isNull();
  }

  @BeforeEach
  void listen() {
    Logger.getLogger(LOADER_LOG).addHandler(capture);
  }

  @AfterEach
  void stopListening() throws Exception {
    Logger.getLogger(LOADER_LOG).removeHandler(capture);
    Object leaked = System.getProperties().remove(GpuWebappListener.LEAKED);
    if (leaked instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  @Test
  void closingTheModuleOnContextDestroyLeavesNoThreadForTomcatToReport() throws Exception {
    runWebapp(false);

    assertThat(warnings).noneMatch(w -> w.contains("inferwatch-gpu"));
    assertThat(gpuThreadsWithin(2_000)).isZero();
  }

  @Test
  void tomcatReportsTheThreadsOfAnAppThatForgetsToClose() throws Exception {
    runWebapp(true);

    assertThat(warnings)
        .anyMatch(w -> w.contains("[" + XidWatcher.THREAD_NAME + "]"))
        .anyMatch(w -> w.contains("[inferwatch-gpu-poller]"));
    assertThat(gpuThreadsWithin(0)).isEqualTo(2);
  }

  /** Deploys, starts and stops the web app; the leak check runs as its class loader stops. */
  private void runWebapp(boolean leak) throws Exception {
    FakeDriver driver = FakeDriver.get(FakeDriver.Variant.CURRENT);
    Path base = Files.createTempDirectory("gpu-tomcat");
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    Context context = tomcat.addContext("/app", base.toString());
    WebResourceRoot resources = new StandardRoot(context);
    for (Class<?> type : List.of(GpuModule.class, GpuWebappListener.class, Inferwatch.class)) {
      File location = new File(type.getProtectionDomain().getCodeSource().getLocation().toURI());
      resources.addPreResources(
          location.isDirectory()
              ? new DirResourceSet(resources, "/WEB-INF/classes", location.getPath(), "/")
              : new JarResourceSet(resources, "/WEB-INF/classes", location.getPath(), "/"));
    }
    context.setResources(resources);
    context.addParameter("nvml", driver.library.toString());
    context.addParameter("leak", Boolean.toString(leak));
    context.addApplicationListener(GpuWebappListener.class.getName());
    tomcat.start();
    try {
      assertThat(context.getState().isAvailable()).as("the web app started").isTrue();
      assertThat(gpuThreadsWithin(0)).isEqualTo(2);
      assertThat(webappLoadedThreadClasses(context)).isTrue();
    } finally {
      tomcat.stop();
      tomcat.destroy();
    }
  }

  /** Whether the GPU threads carry the web app's loader, as from {@code WEB-INF/lib}. */
  private static boolean webappLoadedThreadClasses(Context context) {
    ClassLoader webapp = context.getLoader().getClassLoader();
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("inferwatch-gpu"))
        .allMatch(t -> t.getContextClassLoader() == webapp);
  }

  /** Live GPU threads once they had up to {@code millis} to end. */
  private static long gpuThreadsWithin(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    while (true) {
      long alive =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> t.getName().startsWith("inferwatch-gpu") && t.isAlive())
              .count();
      if (alive == 0 || System.nanoTime() > deadline) {
        return alive;
      }
      Thread.sleep(20);
    }
  }
}
