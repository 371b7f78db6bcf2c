#!/usr/bin/env bash
# Runs every benchmark and writes benchmarks/results.json, benchmarks/RESULTS.md and the growth
# charts (benchmarks/growth-*.svg).
#   benchmarks/run.sh           full run (about 27 minutes on 2 idle cores), rewrites the committed results
#   benchmarks/run.sh --smoke   one short iteration of each (3–4 minutes), results under target/smoke
# Builds benchmarks/target/benchmarks.jar and the demo jar first when missing or older than the
# sources, and fetches the OpenTelemetry Java agent through Maven like any artifact.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=benchmarks/target/benchmarks.jar
DEMO=examples/jetty-demo/target/inferwatch-demo.jar
MODE=full
if [ "${1:-}" = "--smoke" ]; then MODE=smoke; fi

if [ ! -f "$JAR" ] || [ ! -f "$DEMO" ] || [ -n "$(find metrics-core/src metrics-servlet/src metrics-gpu/src \
    metrics-langchain4j/src metrics-testkit/src examples/jetty-demo/src benchmarks/src benchmarks/pom.xml pom.xml \
    -newer "$JAR" -print -quit)" ]; then
  mvn -B -q -pl benchmarks,examples/jetty-demo -am package -DskipTests -Dspotless.check.skip=true
fi

QUIET=(-Dorg.slf4j.simpleLogger.defaultLogLevel=warn)
if [ "$MODE" = smoke ]; then
  OUT=benchmarks/target/smoke
  JMH=(-f 0 -wi 0 -i 1 -r 100ms -foe true)
  E2E=(-rounds 3 -round-ms 200 -warmup-ms 300)
  STREAMS=(-rounds 1 -round-ms 300 -warmup-ms 300)
  FOOTPRINT=(-runs 1)
  GROWTH=(-paths 1000,10000)
  REPORT=(-json "$OUT/results.json" -md "$OUT/RESULTS.md" -smoke)
else
  OUT=benchmarks/target/jmh
  JMH=(-f 2 -wi 4 -w 1s -i 5 -r 1s -foe true)
  E2E=(-rounds 20 -round-ms 2000 -warmup-ms 6000)
  STREAMS=(-rounds 10 -round-ms 2000 -warmup-ms 4000)
  FOOTPRINT=(-runs 7)
  GROWTH=(-paths 1000,10000,100000,1000000)
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

# Peer 3, the OpenTelemetry Java agent, fetched by Maven like any artifact (one try per run; when
# the registry does not serve it the end-to-end rows say so instead of a figure).
AGENT_VERSION=2.33.1
AGENT_DIR=benchmarks/target/agent
AGENT_JAR="$HOME/.m2/repository/io/opentelemetry/javaagent/opentelemetry-javaagent/$AGENT_VERSION/opentelemetry-javaagent-$AGENT_VERSION.jar"
mkdir -p "$AGENT_DIR"
if [ -f "$AGENT_JAR" ] || (cd "$AGENT_DIR" && mvn -B dependency:get -Dtransitive=false \
    -Dartifact="io.opentelemetry.javaagent:opentelemetry-javaagent:$AGENT_VERSION" >fetch.log 2>&1); then
  AGENT=(-agent "$AGENT_JAR")
else
  AGENT=(-agent-missing "artifact not served: $(grep -m1 'ERROR' "$AGENT_DIR/fetch.log" | cut -c1-200)")
fi

# Every JMH benchmark on one thread, with bytes per operation from -prof gc.
java "${QUIET[@]}" -jar "$JAR" "${JMH[@]}" "${SKIP[@]}" -t 1 -prof gc -rf json -rff "$OUT/jmh-1-thread.json"
# The filter and its peers again on two threads, sharing the same series.
java "${QUIET[@]}" -jar "$JAR" 'FilterOverheadBenchmark|PeerFilterBenchmark' "${JMH[@]}" -t 2 -prof gc \
  -rf json -rff "$OUT/jmh-2-threads.json"
# End-to-end throughput and p99 through embedded Jetty, the kit and every peer in rotating rounds.
java "${QUIET[@]}" -cp "$JAR" dev.inferwatch.benchmarks.load.ThroughputRatio "${E2E[@]}" \
  -connections 4 "${AGENT[@]}" -out "$OUT/e2e.json"
# SSE streaming through the chat servlet against a bare SSE servlet, 1, 64 and 512 streams.
java "${QUIET[@]}" -cp "$JAR" dev.inferwatch.benchmarks.load.StreamingRatio "${STREAMS[@]}" \
  -streams 1,64,512 -out "$OUT/streaming.json"
# Retained heap and start-up time added, from child JVMs with and without the kit.
java "${QUIET[@]}" -cp "$JAR" dev.inferwatch.benchmarks.growth.Footprint "${FOOTPRINT[@]}" \
  -out "$OUT/footprint.json"
# The demo's RSS as random paths pile up.
java "${QUIET[@]}" -cp "$JAR" dev.inferwatch.benchmarks.growth.DemoGrowth "${GROWTH[@]}" \
  -demo-jar "$DEMO" -out "$OUT/demo-growth.json"

java -cp "$JAR" dev.inferwatch.benchmarks.Report -in "$OUT" "${REPORT[@]}" -note "$NOTE"
