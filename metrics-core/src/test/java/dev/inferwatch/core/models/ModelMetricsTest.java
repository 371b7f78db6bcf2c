package dev.inferwatch.core.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inferwatch.core.Exposition;
import dev.inferwatch.core.Inferwatch;
import dev.inferwatch.core.Samples;
import dev.inferwatch.core.events.EventType;
import dev.inferwatch.core.health.HealthGroup;
import dev.inferwatch.core.http.RouteNormalizer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ModelMetricsTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Inferwatch iw =
      Inferwatch.builder().registry(registry).jvmMetrics(false).discoverModules(false).build();
  private final ModelMetrics models = iw.models();
  private final Samples samples = new Samples(registry);

  @AfterEach
  void close() {
    iw.close();
  }

  @Test
  void recordsPredictionsWithOutcomeAndDuration() {
    try (Prediction p = models.start("sentiment", "v1")) {
      assertThat(samples.value("model_predictions_in_progress", "model", "sentiment")).isEqualTo(1);
      p.ok();
    }
    models.start("sentiment", "v1").close();
    models.record("sentiment", "v1", PredictionOutcome.TIMEOUT, Duration.ofSeconds(2));
    models.recordBatchSize("sentiment", 8);

    assertThat(samples.value("model_predictions_total", "outcome", "ok")).isEqualTo(1);
    assertThat(samples.value("model_predictions_total", "outcome", "error")).isEqualTo(1);
    assertThat(samples.value("model_predictions_total", "outcome", "timeout")).isEqualTo(1);
    assertThat(samples.value("model_prediction_duration_seconds", "version", "v1")).isEqualTo(3);
    assertThat(samples.value("model_predictions_in_progress", "model", "sentiment")).isZero();
    assertThat(samples.value("model_batch_size", "model", "sentiment")).isEqualTo(1);
  }

  @Test
  void applicationErrorsCountByTypeAndNormalisedRoute() {
    models.recordApplicationError("db_timeout", "/users/42/orders");
    models.recordApplicationError("db_timeout", "/users/7/orders");
    models.recordApplicationError("validation", null);

    assertThat(samples.value("application_errors_total", "route", "/users/{id}/orders"))
        .isEqualTo(2);
    assertThat(samples.value("application_errors_total", "type", "validation")).isEqualTo(1);
  }

  @Test
  void applicationErrorLabelsStayBoundedWhateverTheHostPasses() {
    for (int i = 0; i < 10_000; i++) {
      models.recordApplicationError("type-" + (i % 500), "/page-" + Integer.toHexString(i * 7919));
    }

    assertThat(samples.labelValues("application_errors_total", "type")).hasSize(51);
    assertThat(samples.labelValues("application_errors_total", "route"))
        .hasSizeLessThanOrEqualTo(RouteNormalizer.DEFAULT_MAX_ROUTES + 1);
    assertThat(samples.value("application_errors_total")).isEqualTo(10_000);
  }

  @Test
  void predictionVersionsFoldIntoOverflowPastTheirLimit() {
    for (int i = 0; i < 100; i++) {
      models.record("sentiment", "build-" + i, PredictionOutcome.OK, Duration.ofMillis(1));
    }
    models.record("sentiment", null, PredictionOutcome.OK, Duration.ofMillis(1));

    assertThat(samples.labelValues("model_predictions_total", "version"))
        .hasSize(ModelMetrics.DEFAULT_VERSION_LIMIT + 1)
        .contains("build-0", "__overflow__")
        .doesNotContain("build-99");
    assertThat(samples.value("model_predictions_total")).isEqualTo(101);
  }

  @Test
  void aLifecycleLoadsThePrimaryAndTurnsReadyAndStarted() {
    ModelLifecycle<String> lifecycle =
        models.lifecycle("sentiment", () -> "model").version("v3").framework("java");
    assertThat(iw.health().check(HealthGroup.READINESS).up()).isFalse();

    assertThat(lifecycle.load()).isEqualTo("model");

    assertThat(lifecycle.state()).isEqualTo(ModelState.READY);
    assertThat(lifecycle.status()).containsEntry("stage", "primary");
    assertThat(iw.health().check(HealthGroup.READINESS).up()).isTrue();
    assertThat(iw.health().started()).isTrue();
    String text = Exposition.text(registry);
    assertThat(text)
        .contains("model_state{model=\"sentiment\",model_state=\"ready\"} 1")
        .contains("model_state{model=\"sentiment\",model_state=\"loading\"} 0")
        .contains(
            "model_info{framework=\"java\",model=\"sentiment\",stage=\"primary\",version=\"v3\"} 1")
        .contains("model_load_duration_seconds{model=\"sentiment\"}");
  }

  @Test
  void fallsBackWhenThePrimaryFails() {
    ModelLifecycle<String> lifecycle =
        models
            .<String>lifecycle(
                "sentiment",
                () -> {
                  throw new IOException("primary missing");
                })
            .fallback(() -> "small model");

    assertThat(lifecycle.load()).isEqualTo("small model");
    assertThat(lifecycle.status())
        .containsEntry("stage", "fallback")
        .containsEntry("last_error", "IOException: primary missing");
  }

  @Test
  void aFailedFirstLoadLeavesTheModelFailedAndNotReady() {
    ModelLifecycle<String> lifecycle =
        models.<String>lifecycle(
            "sentiment",
            () -> {
              throw new IOException("gone");
            });

    assertThatThrownBy(lifecycle::load).isInstanceOf(IllegalStateException.class);
    assertThat(lifecycle.state()).isEqualTo(ModelState.FAILED);
    assertThat(iw.health().check(HealthGroup.READINESS).reasons()).containsKey("model:sentiment");
    assertThat(iw.health().started()).isFalse();
  }

  @Test
  void stateChangesAreJournalledAndAFailureBecomesTheModelsLastError() {
    models.<String>lifecycle("good", () -> "model").load();
    ModelLifecycle<String> bad =
        models.<String>lifecycle(
            "bad",
            () -> {
              throw new IOException("weights missing");
            });
    assertThatThrownBy(bad::load).isInstanceOf(IllegalStateException.class);

    assertThat(iw.events().recent(10))
        .extracting(e -> e.type().label() + " " + e.subject() + " " + e.message())
        .contains(
            "model_state_changed good new -> loading",
            "model_state_changed good loading -> ready",
            "model_state_changed bad new -> loading");
    assertThat(iw.events().lastError("bad"))
        .get()
        .satisfies(e -> assertThat(e.type()).isEqualTo(EventType.MODEL_FAILED))
        .satisfies(
            e ->
                assertThat(e.message())
                    .startsWith("loading -> failed: ")
                    .contains("weights missing"));
    assertThat(iw.events().lastError("good")).isEmpty();
  }

  @Test
  void reloadIsAcceptedThenConflictsWhileRunning() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    ModelLifecycle<String> lifecycle =
        models.lifecycle(
            "sentiment",
            () -> {
              if (!release.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
              }
              return "model";
            });
    release.countDown();
    lifecycle.load();
    CountDownLatch second = new CountDownLatch(1);
    models.onReload(
        () -> {
          if (second.getCount() == 0) {
            return false;
          }
          second.countDown();
          return true;
        });

    assertThat(models.reload()).isEqualTo(ModelMetrics.ReloadResult.ACCEPTED);
    assertThat(models.reload()).isEqualTo(ModelMetrics.ReloadResult.CONFLICT);
  }

  @Test
  void lifecycleReloadKeepsServingAndConflictsWhileBusy() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    boolean[] first = {true};
    ModelLifecycle<String> lifecycle =
        models.lifecycle(
            "sentiment",
            () -> {
              if (first[0]) {
                first[0] = false;
                return "v1";
              }
              release.await(10, TimeUnit.SECONDS);
              return "v2";
            });
    lifecycle.load();

    assertThat(models.reload()).isEqualTo(ModelMetrics.ReloadResult.ACCEPTED);
    assertThat(models.reload()).isEqualTo(ModelMetrics.ReloadResult.CONFLICT);
    assertThat(lifecycle.state()).isEqualTo(ModelState.RELOADING);
    assertThat(lifecycle.serving()).isTrue();
    release.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!"v2".equals(lifecycle.model()) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(lifecycle.model()).isEqualTo("v2");
  }

  @Test
  void reloadWithoutHookOrLifecycleIsUnsupported() {
    assertThat(models.reload()).isEqualTo(ModelMetrics.ReloadResult.UNSUPPORTED);
  }

  @Test
  void executorsAreReadAtScrapeTime() throws Exception {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(2, 2, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    try {
      iw.executors().monitor("inference", pool);
      pool.submit(() -> {}).get();
      assertThat(samples.value("executor_pool_size_threads", "pool", "inference")).isEqualTo(1);
      // The completed count moves after the task's future completes; let the worker finish.
      pool.shutdown();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

      assertThat(samples.value("executor_completed_tasks_total", "pool", "inference")).isEqualTo(1);
      assertThat(samples.value("executor_queued_tasks", "pool", "inference")).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aPredictionMovesFromWaitingToRunningAndLeavesEveryGaugeAtZero() {
    Samples s = new Samples(registry);
    Prediction queued = iw.models().start("sentiment", "v1");
    queued.queued();
    Prediction direct = iw.models().start("sentiment", "v1");
    direct.running();
    assertThat(s.value("model_predictions_waiting", "model", "sentiment")).isEqualTo(1);
    assertThat(s.value("model_predictions_running", "model", "sentiment")).isEqualTo(1);
    assertThat(s.value("model_predictions_in_progress", "model", "sentiment")).isEqualTo(2);

    queued.running();
    queued.queued();
    assertThat(s.value("model_predictions_waiting", "model", "sentiment")).isZero();
    assertThat(s.value("model_predictions_running", "model", "sentiment")).isEqualTo(2);
    queued.ok();
    direct.timeout();
    direct.running();
    Prediction dropped = iw.models().start("sentiment", "v1");
    dropped.queued();
    dropped.rejected();

    assertThat(s.value("model_predictions_waiting")).isZero();
    assertThat(s.value("model_predictions_running")).isZero();
    assertThat(s.value("model_predictions_in_progress")).isZero();
    assertThat(s.value("model_predictions_total", "outcome", "ok")).isEqualTo(1);
  }
}
