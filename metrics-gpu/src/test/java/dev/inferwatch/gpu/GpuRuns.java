package dev.inferwatch.gpu;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts {@link GpuRun}s for a test and closes them after it; over the C fake it skips the test,
 * saying why, where gcc is missing.
 *
 * <pre>{@code
 * @RegisterExtension final GpuRuns runs = GpuRuns.overFakeDriver();
 * GpuRun run = runs.over(FakeDriver.get(FakeDriver.Variant.CURRENT));
 * }</pre>
 */
final class GpuRuns implements BeforeEachCallback, AfterEachCallback {

  private final boolean needsGcc;
  private final List<GpuRun> started = new ArrayList<>();

  private GpuRuns(boolean needsGcc) {
    this.needsGcc = needsGcc;
  }

  /** For tests over the fake {@code libnvidia-ml.so}. */
  static GpuRuns overFakeDriver() {
    return new GpuRuns(true);
  }

  /** For tests over the Java fake of {@link Nvml}. */
  static GpuRuns overJavaFake() {
    return new GpuRuns(false);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (needsGcc) {
      String reason = FakeDriver.unavailableReason();
      assumeThat(reason).as(String.valueOf(reason)).isNull();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    started.forEach(GpuRun::close);
    started.clear();
  }

  GpuRun over(FakeDriver driver) throws InterruptedException {
    return keep(GpuRun.over(driver));
  }

  GpuRun over(Nvml nvml) throws InterruptedException {
    return over(nvml, Duration.ofHours(1));
  }

  GpuRun over(Nvml nvml, Duration interval) throws InterruptedException {
    return keep(GpuRun.over(nvml, interval));
  }

  private GpuRun keep(GpuRun run) {
    started.add(run);
    return run;
  }
}
