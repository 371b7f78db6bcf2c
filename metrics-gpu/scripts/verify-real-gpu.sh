#!/usr/bin/env bash
# Checks the GPU module against a real NVIDIA driver: polls every GPU once through the module
# (RealGpuCheck, the real JNA binding, after allocating 256 MiB per GPU through libcuda so this
# process holds memory) and compares each reading with nvidia-smi, field by field, within
# tolerances that allow for the two tools sampling at slightly different moments. Prints a table.
#
#   metrics-gpu/scripts/verify-real-gpu.sh                 run from a checkout (needs mvn + JDK 17)
#   metrics-gpu/scripts/verify-real-gpu.sh --bundle DIR    build DIR/{lib,jre,verify-real-gpu.sh}:
#                                                          a jlink runtime and the jars (< 64 MiB),
#                                                          for a GPU machine without Java or Maven
#   DIR/verify-real-gpu.sh                                 run the bundle there (well under 3 min)
#
# Exit status: 0 all readings agree, 1 a reading disagrees, 2 the check could not run (no NVML, no
# nvidia-smi, the poll failed or timed out).
# INFERWATCH_NVML_LIBRARY overrides where libnvidia-ml is loaded from; INFERWATCH_CHECK_CLASSPATH
# (with JAVA) runs against a classpath you built (the module's tests do, over a fake driver).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
main=dev.inferwatch.gpu.RealGpuCheck
bundle_limit_mib=64
budget_s=170 # the whole check stays within 3 minutes, however slow the driver answers

# nvidia-smi --query-gpu fields, each also a field name RealGpuCheck prints. Alternatives for
# renamed fields follow a '|': the first one this nvidia-smi knows is used.
fields=(uuid name mig.mode.current utilization.gpu utilization.memory memory.used memory.free
  memory.reserved memory.total temperature.gpu temperature.memory power.draw
  "enforced.power.limit|power.limit" clocks.sm clocks.mem
  "clocks_event_reasons.active|clocks_throttle_reasons.active"
  ecc.errors.corrected.volatile.total ecc.errors.uncorrected.volatile.total
  remapped_rows.correctable remapped_rows.uncorrectable remapped_rows.pending
  remapped_rows.failure)

classpath_from_checkout() {
  local root
  root="$(cd "$here/../.." && pwd)"
  (cd "$root" && mvn -B -q -pl metrics-gpu -am test-compile \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.outputFile="$root/metrics-gpu/target/classpath.txt" -Dspotless.check.skip=true \
    -DexcludeGroupIds=org.junit.jupiter,org.junit.platform,org.assertj,net.bytebuddy,org.opentest4j,org.apiguardian,org.apache.tomcat.embed,org.apache.tomcat >&2)
  echo "$root/metrics-gpu/target/test-classes:$root/metrics-gpu/target/classes:$root/metrics-core/target/classes:$(cat "$root/metrics-gpu/target/classpath.txt")"
}

if [[ "${1:-}" == "--bundle" ]]; then
  out="${2:?usage: $0 --bundle DIR}"
  mkdir -p "$out/lib"
  out="$(cd "$out" && pwd)"
  rm -f "$out"/lib/*
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
  size_mib=$(du -sm "$out" | cut -f1)
  if ((size_mib > bundle_limit_mib)); then
    echo "bundle is ${size_mib} MiB, over the ${bundle_limit_mib} MiB limit" >&2
    exit 1
  fi
  echo "bundle ready: $out (${size_mib} MiB: jre $(du -sm "$out/jre" | cut -f1) MiB, lib $(du -sm "$out/lib" | cut -f1) MiB); run $out/verify-real-gpu.sh on the GPU machine" >&2
  exit 0
fi

if [[ -x "$here/jre/bin/java" && -d "$here/lib" ]]; then
  java="$here/jre/bin/java"
  classpath="$here/lib/*"
elif [[ -n "${INFERWATCH_CHECK_CLASSPATH:-}" ]]; then
  java="${JAVA:-java}"
  classpath="$INFERWATCH_CHECK_CLASSPATH"
else
  java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  classpath="$(classpath_from_checkout)"
fi

if ! command -v nvidia-smi >/dev/null; then
  echo "nvidia-smi not found: no NVIDIA driver on this machine" >&2
  exit 2
fi
started=$SECONDS
smi() {
  local left=$((budget_s - (SECONDS - started)))
  if ((left < 5)); then
    echo "the check ran out of its 3-minute budget waiting for nvidia-smi" >&2
    exit 2
  fi
  timeout "$((left < 20 ? left : 20))" nvidia-smi "$@"
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
status=0
timeout 120 "$java" -cp "$classpath" "$main" >"$work/ours.tsv" 2>"$work/ours.log" || status=$?
if [[ $status -ne 0 ]]; then
  cat "$work/ours.log" >&2
  [[ $status -eq 124 ]] && echo "the Inferwatch poll did not finish within 120 s" >&2
  exit 2
fi
ours_value() { awk -F'\t' -v g="$1" -v f="$2" '$1 == g && $2 == f { print $3 }' "$work/ours.tsv"; }

# --- nvidia-smi's side, as gpu<TAB>field<TAB>value --------------------------------------------------
normalise() { # field value -> the unit and spelling RealGpuCheck prints
  local field=$1 value=$2
  value="${value#"${value%%[![:space:]]*}"}"
  value="${value%"${value##*[![:space:]]}"}"
  case "$field:$value" in
    *:"[N/A]" | *:"N/A" | *:"[Not Supported]" | *:"" | *:"[Unknown Error]") echo "N/A" ;;
    clocks_*_reasons.active:0x*) echo $((value)) ;;
    remapped_rows.pending:No | remapped_rows.failure:No) echo 0 ;;
    remapped_rows.pending:Yes | remapped_rows.failure:Yes) echo 1 ;;
    mig.mode.current:*) tr '[:upper:]' '[:lower:]' <<<"$value" ;;
    *) echo "$value" ;;
  esac
}
# One query with every field when this nvidia-smi knows them all; else field by field, taking
# the first name of each that it knows (nvidia-smi fails a whole query on one unknown field).
chosen=()
for spec in "${fields[@]}"; do chosen+=("${spec%%|*}=${spec%%|*}"); done
query="index"
for c in "${chosen[@]}"; do query+=",${c#*=}"; done
if ! smi --query-gpu="$query" --format=csv,noheader,nounits >/dev/null 2>&1; then
  chosen=()
  for spec in "${fields[@]}"; do
    IFS='|' read -r -a names <<<"$spec"
    pick=""
    for name in "${names[@]}"; do
      if smi --query-gpu="$name" --format=csv,noheader,nounits >/dev/null 2>&1; then
        pick=$name
        break
      fi
    done
    [[ -n "$pick" ]] && chosen+=("${names[0]}=$pick") || echo "nvidia-smi does not know ${names[*]}: skipped" >&2
  done
  query="index"
  for c in "${chosen[@]}"; do query+=",${c#*=}"; done
fi
smi --query-gpu="$query" --format=csv,noheader,nounits >"$work/smi.csv"
: >"$work/theirs.tsv"
while IFS= read -r line; do
  IFS=',' read -r -a cols <<<"$line"
  g="${cols[0]// /}"
  for i in "${!chosen[@]}"; do
    field="${chosen[$i]%%=*}"
    printf '%s\t%s\t%s\n' "$g" "$field" "$(normalise "$field" "${cols[$((i + 1))]:-}")" >>"$work/theirs.tsv"
  done
done <"$work/smi.csv"
printf -- '-\tdriver_version\t%s\n' "$(smi --query-gpu=driver_version --format=csv,noheader | head -1)" >>"$work/theirs.tsv"
printf -- '-\tcuda_version\t%s\n' "$(smi | sed -nE 's/.*CUDA Version: *([0-9.]+).*/\1/p' | head -1)" >>"$work/theirs.tsv"
# PCIe throughput: only dmon shows it (MB/s), sampled at another moment: a loose comparison.
if smi dmon -s t -c 1 >"$work/dmon.txt" 2>/dev/null; then
  awk '!/^#/ && NF >= 3 { printf "%s\tpcie.rx_mbps\t%s\n%s\tpcie.tx_mbps\t%s\n", $1, $2, $1, $3 }' \
    "$work/dmon.txt" >>"$work/theirs.tsv"
fi
# This process's memory on each GPU: --query-compute-apps by PID (MiB), mapped to the GPU index.
pid="$(ours_value - pid)"
smi --query-gpu=index,uuid --format=csv,noheader >"$work/uuids.csv"
smi --query-compute-apps=pid,used_memory,gpu_uuid --format=csv,noheader,nounits >"$work/apps.csv" 2>/dev/null || : >"$work/apps.csv"
while IFS=', ' read -r g uuid; do
  mine=$(awk -F', *' -v p="$pid" -v u="$uuid" '$1 == p && $3 == u { s += $2; n++ } END { print n ? s : "" }' "$work/apps.csv")
  if [[ -z "$mine" ]]; then
    if [[ "$(ours_value - cuda_context)" == yes && -s "$work/apps.csv" ]]; then
      mine="N/A (PID $pid not listed: the driver reports PIDs of another PID namespace)"
    else
      mine=0
    fi
  fi
  printf '%s\tprocess.used_memory\t%s\n' "$g" "$mine" >>"$work/theirs.tsv"
done <"$work/uuids.csv"

# --- The comparison --------------------------------------------------------------------------------
echo "driver $(ours_value - driver_version), CUDA $(ours_value - cuda_version), XID watch $(ours_value - xid_watch), one poll $(ours_value - poll_ms) ms, CUDA context for process memory: $(ours_value - cuda_context)"
awk -F'\t' '
  function num(v) { return v ~ /^-?[0-9]+(\.[0-9]+)?$/ }
  function abs(v) { return v < 0 ? -v : v }
  function max(a, b) { return a > b ? a : b }
  function bit(v, n) { return int(v / n) % 2 }
  function hw(v) { return bit(v, 8) + 2 * bit(v, 64) + 4 * bit(v, 128) }
  function row(g, f, a, b, d, t, r) { printf "%-5s %-38s %18s %18s %9s %10s  %s\n", g, f, a, b, d, t, r }
  # tolerance of field f at smi value b (and ours a): absolute, or "=" for an exact match
  function tolerance(f, a, b) {
    if (f ~ /^utilization\./) return 20
    if (f == "memory.used" || f == "memory.free") return max(256, b * 0.02)
    if (f == "memory.reserved") return 16
    if (f == "memory.total") return max(1, b * 0.01)
    if (f ~ /^temperature\./) return 3
    if (f == "power.draw") return max(20, b * 0.2)
    if (f == "enforced.power.limit") return 1
    if (f ~ /^clocks\.(sm|mem)$/) return max(50, b * 0.1)
    if (f == "ecc.errors.corrected.volatile.total") return 10
    if (f ~ /^pcie\./) return max(200, b * 0.5)
    if (f == "process.used_memory") return max(64, b * 0.05)
    return "="
  }
  NR == FNR { ours[$1 SUBSEP $2] = $3; next }
  $1 == "-" && $2 == "pid" { next }
  {
    g = $1; f = $2; b = $3; key = g SUBSEP f
    a = (key in ours) ? ours[key] : "(none)"
    seen[key] = 1
    if (g != "-") gpus[g] = 1
    if (b ~ /^N\/A/) { row(g, f, a, "N/A", "-", "-", "skip (" (b == "N/A" ? "nvidia-smi: N/A" : substr(b, 6, length(b) - 6)) ")"); next }
    if (a == "N/A" || a == "(none)") { row(g, f, a, b, "-", "-", "FAIL (missing)"); bad++; next }
    if (f == "clocks_event_reasons.active") {
      # Idle, power cap and boost bits flip from one sample to the next; the hardware ones page.
      r = hw(a) == hw(b) ? "ok" : "FAIL"; if (r == "FAIL") bad++
      row(g, f, a, b, "hw bits", "equal", r); next
    }
    t = tolerance(f, a, b)
    if (t == "=" || !num(a) || !num(b)) {
      r = a == b ? "ok" : "FAIL"; if (r == "FAIL") bad++
      row(g, f, a, b, "-", "exact", r); next
    }
    d = abs(a - b)
    if (f == "memory.used" && d > t) {
      # Some nvidia-smi versions count the driver reservation as used; NVML v2 does not.
      r2 = ours[g SUBSEP "memory.reserved"]
      if (num(r2) && abs(a + r2 - b) <= t) { row(g, f, a, b, sprintf("%.2f", abs(a + r2 - b)), sprintf("%.2f", t), "ok (smi counts reserved as used)"); next }
    }
    r = d <= t ? "ok" : "FAIL"; if (r == "FAIL") bad++
    row(g, f, a, b, sprintf("%.2f", d), sprintf("%.2f", t), r)
  }
  END {
    split("energy.joules pcie.replays xid.errors", only, " ")
    for (i = 0; i < 64; i++) {
      for (j = 1; j <= 3; j++) {
        key = i SUBSEP only[j]
        if ((i "") in gpus && key in ours) row(i, only[j], ours[key], "-", "-", "-", "(no nvidia-smi field)")
      }
    }
    for (key in ours) {
      split(key, k, SUBSEP)
      if (k[1] ~ /\// && k[2] ~ /^(memory\.(used|total)|process\.used_memory)$/) {
        row(k[1], k[2], ours[key], "-", "-", "-", "(MIG instance: no nvidia-smi field)")
      }
    }
    n = 0; for (g in gpus) n++
    print n " GPU(s) compared, " bad + 0 " disagreement(s)"
    exit bad > 0 ? 1 : 0
  }
  BEGIN { row("gpu", "reading", "inferwatch", "nvidia-smi", "diff", "tolerance", "result") }
' "$work/ours.tsv" "$work/theirs.tsv" || status=$?
echo "took $((SECONDS - started)) s"
exit "$status"
