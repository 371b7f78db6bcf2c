#!/usr/bin/env bash
# Runs every benchmark and writes benchmarks/results.json and benchmarks/RESULTS.md.
#   benchmarks/run.sh           full run (about 10 minutes), rewrites the committed results
#   benchmarks/run.sh --smoke   one 100 ms iteration of each (seconds), results under target/smoke
# Builds benchmarks/target/benchmarks.jar first when it is missing or older than the sources.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=benchmarks/target/benchmarks.jar
MODE=full
if [ "${1:-}" = "--smoke" ]; then MODE=smoke; fi

if [ ! -f "$JAR" ] || [ -n "$(find metrics-core/src metrics-servlet/src metrics-gpu/src metrics-langchain4j/src benchmarks/src \
    benchmarks/pom.xml pom.xml -newer "$JAR" -print -quit)" ]; then
  mvn -B -q -pl benchmarks -am package -DskipTests -Dspotless.check.skip=true
fi

QUIET=(-Dorg.slf4j.simpleLogger.defaultLogLevel=warn)
if [ "$MODE" = smoke ]; then
  OUT=benchmarks/target/smoke
  JMH=(-f 0 -wi 0 -i 1 -r 100ms -foe true)
  E2E=(-rounds 3 -round-ms 200 -warmup-ms 300)
  REPORT=(-json "$OUT/results.json" -md "$OUT/RESULTS.md" -smoke)
else
  OUT=benchmarks/target/jmh
  JMH=(-f 2 -wi 4 -w 1s -i 5 -r 1s -foe true)
  E2E=(-rounds 20 -round-ms 2000 -warmup-ms 6000)
  REPORT=(-json benchmarks/results.json -md benchmarks/RESULTS.md)
fi
NOTE="${NOTE:-$(nproc) cores shared with other builds running in parallel; absolute figures are noisy, the same-run ratios are what count}"
rm -rf "$OUT" && mkdir -p "$OUT"

# The GPU poll runs over the fake libnvidia-ml.so of the GPU module's tests, built here with gcc.
SKIP=()
if command -v gcc >/dev/null; then
  mkdir -p benchmarks/target/fake-nvml
  export INFERWATCH_BENCH_NVML="$PWD/benchmarks/target/fake-nvml/libnvidia-ml.so.1"
  gcc -O2 -shared -fPIC -o "$INFERWATCH_BENCH_NVML" metrics-gpu/src/test/native/fake_nvml*.c -lpthread
else
  echo "gcc not found: GpuPollBenchmark skipped (it needs the fake libnvidia-ml.so)" >&2
  SKIP=(-e GpuPollBenchmark)
fi

# Every benchmark on one thread, with bytes per operation from -prof gc.
java "${QUIET[@]}" -jar "$JAR" "${JMH[@]}" "${SKIP[@]}" -t 1 -prof gc -rf json -rff "$OUT/jmh-1-thread.json"
# The filter again on two threads, sharing the same series.
java "${QUIET[@]}" -jar "$JAR" FilterOverheadBenchmark "${JMH[@]}" -t 2 \
  -rf json -rff "$OUT/jmh-2-threads.json"
# End-to-end throughput and p99 through embedded Jetty, interleaved rounds.
java "${QUIET[@]}" -cp "$JAR" dev.inferwatch.benchmarks.ThroughputRatio "${E2E[@]}" \
  -connections 4 -out "$OUT/e2e.json"

java -cp "$JAR" dev.inferwatch.benchmarks.Report -in "$OUT" "${REPORT[@]}" -note "$NOTE"
