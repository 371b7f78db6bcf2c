#!/usr/bin/env bash
# Checks the GPU module against a real NVIDIA driver: polls every GPU once through the module
# (RealGpuCheck, the real JNA binding) and compares each reading with nvidia-smi, within
# tolerances that allow for the two tools sampling at slightly different moments.
#
#   metrics-gpu/scripts/verify-real-gpu.sh                 run from a checkout (needs mvn + JDK 17)
#   metrics-gpu/scripts/verify-real-gpu.sh --bundle DIR    build DIR/{lib,jre,verify-real-gpu.sh}:
#                                                          a jlink runtime and the jars, for a GPU
#                                                          machine without Java or Maven
#   DIR/verify-real-gpu.sh                                 run the bundle there
#
# Exit status: 0 all readings agree, 1 a reading disagrees, 2 no NVML / no nvidia-smi.
# INFERWATCH_NVML_LIBRARY overrides where libnvidia-ml is loaded from.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
main=dev.inferwatch.gpu.RealGpuCheck
query=index,uuid,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw,clocks.sm

classpath_from_checkout() {
  local root
  root="$(cd "$here/../.." && pwd)"
  (cd "$root" && mvn -B -q -pl metrics-gpu -am test-compile \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.outputFile="$root/metrics-gpu/target/classpath.txt" \
    -DexcludeGroupIds=org.junit.jupiter,org.junit.platform,org.assertj,net.bytebuddy,org.opentest4j,org.apiguardian >&2)
  echo "$root/metrics-gpu/target/test-classes:$root/metrics-gpu/target/classes:$root/metrics-core/target/classes:$(cat "$root/metrics-gpu/target/classpath.txt")"
}

if [[ "${1:-}" == "--bundle" ]]; then
  out="${2:?usage: $0 --bundle DIR}"
  mkdir -p "$out/lib"
  out="$(cd "$out" && pwd)"
  cp_entries="$(classpath_from_checkout)"
  IFS=: read -r -a entries <<<"$cp_entries"
  n=0
  for entry in "${entries[@]}"; do
    [[ "$entry" == *inferwatch-core* ]] && continue # the reactor's classes stand in for it
    if [[ -d "$entry" ]]; then
      n=$((n + 1))
      (cd "$entry" && jar cf "$out/lib/classes-$n.jar" .)
    elif [[ -f "$entry" ]]; then
      cp "$entry" "$out/lib/"
    fi
  done
  rm -rf "$out/jre"
  jlink --add-modules java.base,java.logging,java.management,jdk.management,jdk.unsupported,jdk.httpserver,java.sql \
    --strip-debug --no-header-files --no-man-pages --compress=2 --output "$out/jre"
  cp "$here/verify-real-gpu.sh" "$out/"
  echo "bundle ready: $out ($(du -sh "$out" | cut -f1)); run $out/verify-real-gpu.sh on the GPU machine" >&2
  exit 0
fi

if [[ -x "$here/jre/bin/java" && -d "$here/lib" ]]; then
  java="$here/jre/bin/java"
  classpath="$here/lib/*"
else
  java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  classpath="$(classpath_from_checkout)"
fi

if ! command -v nvidia-smi >/dev/null; then
  echo "nvidia-smi not found: no NVIDIA driver on this machine" >&2
  exit 2
fi

ours="$(mktemp)"
theirs="$(mktemp)"
trap 'rm -f "$ours" "$theirs"' EXIT
status=0
"$java" -cp "$classpath" "$main" >"$ours" || status=$?
if [[ $status -ne 0 ]]; then
  exit "$status"
fi
nvidia-smi --query-gpu="$query" --format=csv,noheader,nounits >"$theirs"

echo "driver: $(nvidia-smi --query-gpu=driver_version --format=csv,noheader | head -1)"
awk -F', *' '
  function num(v) { return v ~ /^-?[0-9.]+$/ }
  function abs(v) { return v < 0 ? -v : v }
  function max(a, b) { return a > b ? a : b }
  # compare(gpu, field, ours, theirs, tolerance): one table row
  function compare(gpu, field, a, b, tol,   d, ok) {
    if (!num(b)) { ok = "skip (smi: " b ")" }
    else if (!num(a)) { ok = "FAIL (missing)"; bad++ }
    else { d = abs(a - b); ok = d <= tol ? "ok" : "FAIL"; if (d > tol) bad++ }
    printf "%-4s %-20s %14s %14s %10s %10s  %s\n", gpu, field, a, b, num(a) && num(b) ? sprintf("%.2f", d) : "-", sprintf("%.2f", tol), ok
  }
  NR == FNR { for (i = 1; i <= NF; i++) ours[$1, i] = $i; ids[$1] = 1; energy[$1] = $9; next }
  {
    g = $1
    if (!(g in ids)) { print "GPU " g " missing from Inferwatch"; bad++; next }
    if (ours[g, 2] != $2) { print "GPU " g " uuid differs: " ours[g, 2] " vs " $2; bad++ }
    compare(g, "utilization.gpu %", ours[g, 3], $3, 20)
    compare(g, "memory.used MiB", ours[g, 4], $4, 1024)
    compare(g, "memory.total MiB", ours[g, 5], $5, max(1, $5 * 0.01))
    compare(g, "temperature.gpu C", ours[g, 6], $6, 3)
    compare(g, "power.draw W", ours[g, 7], $7, max(20, $7 * 0.2))
    compare(g, "clocks.sm MHz", ours[g, 8], $8, max(50, $8 * 0.1))
    printf "%-4s %-20s %14s %14s %10s %10s  %s\n", g, "energy J", energy[g], "-", "-", "-", "(no smi field)"
    seen++
  }
  BEGIN { printf "%-4s %-20s %14s %14s %10s %10s  %s\n", "gpu", "reading", "inferwatch", "nvidia-smi", "diff", "tolerance", "result" }
  END { print (seen " GPU(s) compared, " bad + 0 " disagreement(s)"); exit bad > 0 ? 1 : 0 }
' "$ours" "$theirs"
