#!/usr/bin/env bash
# Verifies the Prometheus rules, the Grafana dashboard and the status page against the running demo:
#   1. promtool check config / check rules / test rules;
#   2. every family the dashboard and the rules read is in the catalogue (shared/METRICS.md) and every
#      catalogued family is read somewhere; every aggregation keeps service and env (fleet-safe);
#   3. starts the demo jar and a real Prometheus (temp TSDB, 1 s scrapes, 127.0.0.1 only), drives
#      traffic, then runs every dashboard expression and every recording rule through the HTTP API
#      and prints the series each returned; an empty answer fails (GPU panels pass empty only where
#      gpu_nvml_up == 0; features not merged yet are listed in PENDING below);
#   4. a second Prometheus with native histograms on runs the native half of every quantile panel
#      (`native or classic _bucket` fallback) and must get data from it;
#   5. headless Chromium renders /inferwatch, the DOM must show live numbers and a request-rate line
#      that is not flat, and a screenshot is saved to target/dashboards/status-page.png.
# Usage: examples/verify-dashboards.sh   (after `mvn -B verify` or `mvn -B -DskipTests package`)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

# --- Features that are not merged yet -------------------------------------------------------------
# A panel, rule or check that returns no data is reported "pending feature" instead of failing ONLY
# when it reads one of these families (a trailing _ matches a prefix). Delete an issue's line once it
# is merged: from then on its empty panels fail the run.
PENDING=()

# The families of shared/METRICS.md (jvm_* and process_* come from client_java's collectors; up is
# Prometheus's own, read by the fleet rules and the XID alerts).
CATALOGUE=(
  http_server_requests_total http_server_request_duration_seconds http_server_active_requests
  http_server_errors_total http_server_client_disconnects_total
  http_server_request_queue_duration_seconds
  model_predictions_total model_prediction_duration_seconds model_predictions_in_progress
  model_predictions_running model_predictions_waiting
  model_batch_size model_info model_state executor_queued_tasks executor_active_threads
  executor_pool_size_threads executor_completed_tasks_total application_errors_total
  gen_ai_server_request_duration_seconds gen_ai_server_time_to_first_token_seconds
  gen_ai_server_time_per_output_token_seconds gen_ai_server_inter_token_latency_seconds
  gen_ai_server_request_queue_time_seconds gen_ai_server_requests_running
  gen_ai_server_requests_waiting gen_ai_server_request_max_tokens gen_ai_server_token_usage
  gen_ai_client_operation_duration_seconds gen_ai_client_operation_time_to_first_chunk_seconds
  gen_ai_client_operation_time_per_output_chunk_seconds gen_ai_client_token_usage gen_ai_server_requests_total
  gen_ai_client_usage_missing_total gen_ai_server_streams_active gen_ai_server_stream_disconnects_total
  provider_response_time_seconds provider_requests_total provider_health_score
  provider_circuit_breaker_state provider_cost_usd_total model_uptime_24h_ratio model_token_efficiency
  anomalies_detected_total trials_active router_fallthrough_total
  health_check_up health_check_duration_seconds
  gpu_nvml_up gpu_info gpu_utilization_ratio gpu_memory_copy_utilization_ratio gpu_memory_used_bytes
  gpu_memory_free_bytes gpu_memory_reserved_bytes gpu_memory_total_bytes gpu_process_memory_used_bytes
  gpu_temperature_celsius gpu_memory_temperature_celsius gpu_power_watts gpu_power_limit_watts
  gpu_energy_joules_total gpu_sm_clock_hertz gpu_memory_clock_hertz gpu_clock_event_reasons
  gpu_xid_errors_total gpu_ecc_errors_total gpu_remapped_rows gpu_pcie_replays_total
  gpu_pcie_throughput_bytes_per_second gpu_nvml_errors_total gpu_poll_duration_seconds
  inferwatch_internal_errors_total inferwatch_label_overflow_total inferwatch_events_total
  inferwatch_events_dropped_total
)

DASHBOARD=examples/grafana/inferwatch-dashboard.json
RULES=examples/prometheus/rules.yml
JAR=examples/jetty-demo/target/inferwatch-demo.jar
OUT=target/dashboards
TRAFFIC_SECONDS=${TRAFFIC_SECONDS:-25}

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

# --- Tools: Debian packages, installed only when missing ------------------------------------------
find_chromium() { command -v chromium || command -v chromium-browser || command -v google-chrome || true; }
missing=()
command -v promtool >/dev/null || missing+=(prometheus)
command -v prometheus >/dev/null || missing+=(prometheus)
command -v jq >/dev/null || missing+=(jq)
command -v curl >/dev/null || missing+=(curl)
[ -n "$(find_chromium)" ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || die "missing ${missing[*]} and cannot apt-get install them"
  log "installing ${missing[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" fonts-dejavu-core >/dev/null
fi
CHROMIUM=$(find_chromium)
[ -f "$JAR" ] || { log "building the demo jar"; mvn -B -q -DskipTests package; }
mkdir -p "$OUT"

# --- 1. promtool -----------------------------------------------------------------------------------
log "promtool check config / check rules / test rules"
promtool check config examples/prometheus/prometheus.yml >/dev/null
promtool check rules "$RULES" >/dev/null
promtool test rules examples/prometheus/rules_test.yml

# --- 2. Families read by the dashboard and the rules ----------------------------------------------
# Metric names in PromQL: drop strings, matchers, ranges and grouping clauses, then every identifier
# that is not a function call, keyword or recording-rule name (those hold a colon) is a family.
families_of() {
  sed -E -e 's/"[^"]*"//g; s/\{[^}]*\}/ /g; s/\[[^]]*\]/ /g; s/offset[[:space:]]+[0-9]+[a-z]+/ /g' \
    -e 's/\b(by|without|on|ignoring|group_left|group_right)[[:space:]]*\([^)]*\)/ /g' \
    | grep -oE '[a-zA-Z_:][a-zA-Z0-9_:]*[[:space:]]*\(?' | grep -vE '\($|:' | sed -E 's/[[:space:]]//g' \
    | grep -vxE 'and|or|unless|bool|offset|inf|nan|Inf|NaN' | sed -E 's/_(bucket|sum|count)$//' | sort -u
}
# The PromQL of every rule in a rules file: one-line `expr: x` and block `expr: |` forms.
rule_exprs() {
  awk '/^[[:space:]]*expr:[[:space:]]*\|/ { block = 1; indent = -1; next }
       /^[[:space:]]*expr:/ { sub(/^[[:space:]]*expr:[[:space:]]*/, ""); print; block = 0; next }
       block { match($0, /^[[:space:]]*/); if (indent < 0) indent = RLENGTH;
               if (RLENGTH < indent || $0 ~ /^[[:space:]]*$/) { block = 0; next } print }' "$1"
}
in_list() { local x=$1; shift; local y; for y in "$@"; do [ "$x" = "$y" ] && return 0; done; return 1; }
is_pending() { # family
  local p
  for p in "${PENDING[@]}"; do
    if [[ $p == *_ && $1 == "$p"* ]] || [ "$1" = "$p" ]; then return 0; fi
  done
  return 1
}
used=$( { jq -r '.panels[] | select(.type != "row") | .targets[].expr' "$DASHBOARD"; rule_exprs "$RULES"; } | families_of)
bad=0
for f in $used; do
  # up: Prometheus's own series per target (service_instance:up joins it to service and env).
  in_list "$f" "${CATALOGUE[@]}" || [[ $f == jvm_* || $f == process_* || $f == up ]] \
    || { echo "unknown family in dashboard or rules: $f" >&2; bad=1; }
done
for f in "${CATALOGUE[@]}"; do
  grep -qx "$f" <<<"$used" || { echo "catalogued family read by no panel or rule: $f" >&2; bad=1; }
done
# Importable as is: unique panel ids, the data source only through the variable, every template
# variable the expressions use is defined, panels inside the 24-column grid.
jq -e '[.panels[].id] | length == (unique | length)' "$DASHBOARD" >/dev/null \
  || { echo "duplicate panel ids" >&2; bad=1; }
jq -e '[.panels[] | select(.type != "row") | .datasource.uid, .targets[].datasource.uid]
       | all(. == "${datasource}")' "$DASHBOARD" >/dev/null \
  || { echo "a panel names a data source other than \${datasource}" >&2; bad=1; }
jq -e 'all(.panels[]; .gridPos.x + .gridPos.w <= 24)' "$DASHBOARD" >/dev/null \
  || { echo "a panel overflows the grid" >&2; bad=1; }
defined=$(jq -r '.templating.list[].name' "$DASHBOARD")
for v in $(jq -r '.panels[] | select(.type != "row") | .targets[].expr' "$DASHBOARD" \
  | grep -oE '\$[a-zA-Z_]+' | tr -d '$' | grep -v '^__' | sort -u); do
  grep -qx "$v" <<<"$defined" || { echo "undefined template variable \$$v" >&2; bad=1; }
done
# Fleets: every aggregation says what it keeps and keeps service and env apart. `by (service, env,
# ...)` sums the instances away; `without (...)` (instance-level rules) keeps every target label.
fleet_unsafe() { # PromQL on stdin -> each aggregation that merges services or environments
  local agg
  sed -E 's/"[^"]*"//g' \
    | grep -oE '\b(sum|min|max|avg|count|group|stddev|stdvar|topk|bottomk|quantile)[[:space:]]*(by|without)?[[:space:]]*(\([^()]*\))?[[:space:]]*\(' \
    | while read -r agg; do
        if [[ $agg == *without* ]]; then
          [[ $agg =~ [(,\ ](service|env)[,)\ ] ]] && echo "$agg"
        elif [[ $agg == *" by "* || $agg == *" by("* ]]; then
          [[ $agg =~ [(,\ ]service[,)\ ] && $agg =~ [(,\ ]env[,)\ ] ]] || echo "$agg"
        else
          echo "$agg"
        fi
      done
}
unsafe=$( { jq -r '.panels[] | select(.type != "row") | .targets[].expr' "$DASHBOARD"; rule_exprs "$RULES"; } \
  | fleet_unsafe | sort -u)
[ -z "$unsafe" ] || { printf 'aggregation without service and env: %s\n' $'\n'"$unsafe" >&2; bad=1; }
[ $bad = 0 ] || die "dashboard/rules do not match the metric catalogue"

# Panels that share grid cells draw on top of each other in Grafana: every cell belongs to one panel.
overlaps=$(jq -r '
  [.panels[] | {t: .title, x: .gridPos.x, y: .gridPos.y, w: .gridPos.w, h: .gridPos.h}] as $p
  | [range(0; $p | length) as $i | range($i + 1; $p | length) as $j | [$p[$i], $p[$j]]
     | select(.[0].x < .[1].x + .[1].w and .[1].x < .[0].x + .[0].w
              and .[0].y < .[1].y + .[1].h and .[1].y < .[0].y + .[0].h)
     | "\(.[0].t) / \(.[1].t)"] | .[]' "$DASHBOARD")
[ -z "$overlaps" ] || die "dashboard panels overlap: $overlaps"

# --- 3. Demo and Prometheus -----------------------------------------------------------------------
TMP=$(mktemp -d)
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT

log "starting the demo"
: >"$TMP/demo.log"
PORT=0 HOST=127.0.0.1 java -jar "$JAR" >"$TMP/demo.log" 2>&1 &
PIDS+=($!)
DEMO_PORT=
for _ in $(seq 1 120); do
  DEMO_PORT=$(sed -nE 's/.*demo listening on 127\.0\.0\.1:([0-9]+).*/\1/p' "$TMP/demo.log" | head -1)
  [ -n "$DEMO_PORT" ] && break
  kill -0 "${PIDS[0]}" 2>/dev/null || { cat "$TMP/demo.log" >&2; die "the demo exited"; }
  sleep 0.5
done
[ -n "$DEMO_PORT" ] || die "the demo did not start within 60 s"
DEMO=http://127.0.0.1:$DEMO_PORT

free_port() {
  local p
  for _ in $(seq 1 50); do
    # Below Linux's ephemeral range (32768+), where a client's outgoing connection could take the
    # port between this check and the server's bind.
    p=$((20000 + RANDOM % 12000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  die "no free port"
}
PROM_PORT=$(free_port)
PROM=http://127.0.0.1:$PROM_PORT
cat >"$TMP/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - $ROOT/$RULES
scrape_configs:
  - job_name: inferwatch
    static_configs:
      - targets: ["127.0.0.1:$DEMO_PORT"]
YAML
log "starting Prometheus on $PROM scraping $DEMO every second"
prometheus --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$TMP/tsdb" \
  --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn >"$TMP/prometheus.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 60); do
  curl -fsS "$PROM/-/ready" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "$PROM/-/ready" >/dev/null || { cat "$TMP/prometheus.log" >&2; die "Prometheus did not start"; }

# The same scrape with native histograms on (protobuf): Debian's 2.42 then keeps only the native
# series, which is what the first half of each `native or classic` quantile panel reads.
NATIVE_PORT=$(free_port)
NATIVE=http://127.0.0.1:$NATIVE_PORT
sed -e '/^rule_files:/,/^scrape_configs:/{/^scrape_configs:/!d}' "$TMP/prometheus.yml" >"$TMP/prometheus-native.yml"
prometheus --config.file="$TMP/prometheus-native.yml" --storage.tsdb.path="$TMP/tsdb-native" \
  --enable-feature=native-histograms --web.listen-address="127.0.0.1:$NATIVE_PORT" --log.level=warn \
  >"$TMP/prometheus-native.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 60); do
  curl -fsS "$NATIVE/-/ready" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "$NATIVE/-/ready" >/dev/null || { cat "$TMP/prometheus-native.log" >&2; die "native Prometheus did not start"; }

# The demo drives ~5 req/s itself; add every kind of request the kit records.
log "driving traffic for ${TRAFFIC_SECONDS}s"
drive() {
  local end=$((SECONDS + TRAFFIC_SECONDS))
  while [ $SECONDS -lt $end ]; do
    curl -s -o /dev/null "$DEMO/hello" || true
    curl -s -o /dev/null "$DEMO/users/$RANDOM/orders" || true
    curl -s -o /dev/null -X POST "$DEMO/users/$RANDOM/orders" || true
    curl -s -o /dev/null "$DEMO/fail" || true
    curl -s -o /dev/null "$DEMO/slow?ms=$((RANDOM % 300))" || true
    curl -s -o /dev/null --max-time 0.2 "$DEMO/slow?ms=1500" || true
    curl -s -o /dev/null -H 'Content-Type: application/json' -d '{"instances":[[1,2,3]]}' "$DEMO/predict" || true
    curl -s -o /dev/null -H 'Content-Type: application/json' \
      -d '{"model":"fake-llm","stream":true,"messages":[{"role":"user","content":"hi"}]}' "$DEMO/v1/chat/completions" || true
    curl -s -o /dev/null --max-time 0.3 -H 'Content-Type: application/json' \
      -d '{"model":"fake-llm","stream":true,"max_tokens":500,"messages":[{"role":"user","content":"tell a long story"}]}' \
      "$DEMO/v1/chat/completions" || true
    curl -s -o /dev/null "$DEMO/metrics.json" || true
    curl -s -o /dev/null "$DEMO/health/gpu" || true
    sleep 0.2
  done
}
drive

# --- Queries ----------------------------------------------------------------------------------------
query() { # expr [server] -> number of series (or "error: ...")
  local answer
  answer=$(curl -sS --get --data-urlencode "query=$1" "${2:-$PROM}/api/v1/query") || { echo "error: curl"; return; }
  if [ "$(jq -r .status <<<"$answer")" != success ]; then
    echo "error: $(jq -r .error <<<"$answer")"
  else
    jq -r '.data.result | length' <<<"$answer"
  fi
}
substitute() { # Grafana variables -> what Prometheus can run; template variables match anything
  sed -E -e 's/\$__rate_interval/1m/g; s/\$__range/5m/g; s/\$__interval/15s/g' \
    -e 's/\$\{[a-zA-Z_]+(:[a-z]+)?\}/.*/g; s/\$[a-zA-Z_]+/.*/g'
}
NO_GPU=$(query 'gpu_nvml_up == 0')

FAILED=0
ROWS=()
verdict() { # expr count -> verdict, and counts failures
  local expr=$1 count=$2 f gpu=0 pending=0
  if [[ $count =~ ^[0-9]+$ ]] && [ "$count" -gt 0 ]; then
    if [[ $expr == *" or vector(0)" || $expr == *" or on () vector(0)" ]]; then
      # The fallback always answers; say whether the family itself has series yet.
      local own
      own=$(query "${expr% or*vector(0)}")
      [ "$own" = 0 ] && echo "ok (no series yet, panel shows 0)" || echo "ok ($own own series)"
    else
      echo "ok"
    fi
    return
  fi
  [[ $count == error* ]] && { echo "FAIL ($count)"; FAILED=$((FAILED + 1)); return; }
  for f in $(families_of <<<"$expr"); do
    [[ $f == gpu_* ]] && gpu=1
    is_pending "$f" && pending=1
  done
  if [ $gpu = 1 ] && [[ $NO_GPU =~ ^[1-9] ]]; then
    echo "ok: no GPU (gpu_nvml_up == 0)"
  elif [ $pending = 1 ]; then
    echo "pending feature"
  else
    echo "FAIL (no data)"
    FAILED=$((FAILED + 1))
  fi
}

log "running every dashboard expression"
section=""
while IFS=$'\t' read -r kind title ref expr; do
  if [ "$kind" = row ]; then section=$title; continue; fi
  expr=$(substitute <<<"$expr")
  count=$(query "$expr")
  v=$(verdict "$expr" "$count")
  [[ $v == FAIL* ]] && FAILED=$((FAILED + 1))
  ROWS+=("$(printf '%-22.22s  %-58.58s %-2s %7s  %s' "$section" "$title" "$ref" "${count%%:*}" "$v")")
done < <(jq -r '.panels[] | if .type == "row" then ["row", .title, "", ""] else (. as $p | .targets[] | ["panel", $p.title, .refId, .expr]) end | @tsv' "$DASHBOARD")

log "running the native half of every quantile panel against the native-histogram Prometheus"
while IFS=$'\t' read -r title ref expr; do
  native=$(substitute <<<"${expr%% or histogram_quantile*}")
  count=$(query "$native" "$NATIVE")
  v=$(verdict "$native" "$count")
  [[ $v == FAIL* ]] && FAILED=$((FAILED + 1))
  ROWS+=("$(printf '%-22.22s  %-58.58s %-2s %7s  %s' "native histograms" "$title" "$ref" "${count%%:*}" "$v")")
done < <(jq -r '.panels[] | select(.type != "row") | . as $p | .targets[] | select(.expr | test(" or histogram_quantile")) | [$p.title, .refId, .expr] | @tsv' "$DASHBOARD")

log "running every recording rule"
sleep 2 # one more evaluation round after the last traffic
rules=$(curl -fsS "$PROM/api/v1/rules")
unhealthy=$(jq -r '.data.groups[].rules[] | select(.health != "ok") | "\(.name): \(.lastError)"' <<<"$rules")
[ -z "$unhealthy" ] || { echo "$unhealthy" >&2; FAILED=$((FAILED + 1)); ROWS+=("rules unhealthy: $unhealthy"); }
while IFS=$'\t' read -r name expr; do
  count=$(query "$name")
  v=$(verdict "$expr" "$count")
  [[ $v == FAIL* ]] && FAILED=$((FAILED + 1))
  ROWS+=("$(printf '%-22.22s  %-58.58s %-2s %7s  %s' "recording rule" "$name" "" "${count%%:*}" "$v")")
done < <(jq -r '.data.groups[].rules[] | select(.type == "recording") | [.name, .query] | @tsv' <<<"$rules")
alerts=$(jq '[.data.groups[].rules[] | select(.type == "alerting")] | length' <<<"$rules")

# --- 4. Status page in headless Chromium -----------------------------------------------------------
log "rendering $DEMO/inferwatch in $(basename "$CHROMIUM")"
CHROME_FLAGS=(--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run
  --user-data-dir="$TMP/chromium" --hide-scrollbars --virtual-time-budget=6000 --window-size=1280,1500)
timeout 120 "$CHROMIUM" "${CHROME_FLAGS[@]}" --dump-dom "$DEMO/inferwatch" >"$OUT/status-page.html" 2>"$TMP/chromium.log" \
  || { tail -20 "$TMP/chromium.log" >&2; die "chromium --dump-dom failed"; }
timeout 120 "$CHROMIUM" "${CHROME_FLAGS[@]}" --screenshot="$ROOT/$OUT/status-page.png" "$DEMO/inferwatch" \
  >/dev/null 2>>"$TMP/chromium.log" || { tail -20 "$TMP/chromium.log" >&2; die "chromium --screenshot failed"; }
[ -s "$OUT/status-page.png" ] || die "no screenshot written"
# The same page as a phone shows it (390 px wide), for review.
timeout 120 "$CHROMIUM" "${CHROME_FLAGS[@]}" --window-size=390,2400 \
  --screenshot="$ROOT/$OUT/status-page-phone.png" "$DEMO/inferwatch" >/dev/null 2>>"$TMP/chromium.log" \
  || { tail -20 "$TMP/chromium.log" >&2; die "chromium --screenshot (phone) failed"; }
state=$(grep -oE '<body[^>]*data-state="[a-z]+"' "$OUT/status-page.html" | sed -E 's/.*data-state="([a-z]+)"/\1/' || true)
# The request-rate chart: its points, lowest and highest value (inline SVG drawn by the page).
rate_chart=$(grep -oE '<figure class="chart" data-series="http_requests_per_second"[^>]*>' "$OUT/status-page.html" || true)
rate_points=$(sed -nE 's/.*data-points="([0-9]+)".*/\1/p' <<<"$rate_chart")
rate_min=$(sed -nE 's/.*data-min="([^"]*)".*/\1/p' <<<"$rate_chart")
rate_max=$(sed -nE 's/.*data-max="([^"]*)".*/\1/p' <<<"$rate_chart")
rate_line_ok=$(awk -v n="${rate_points:-0}" -v lo="${rate_min:-0}" -v hi="${rate_max:-0}" 'BEGIN { print (n >= 2 && hi > lo && hi > 0) ? "yes" : "no" }')
total=$(grep -oE 'id="http-total"[^>]*>[^<]*' "$OUT/status-page.html" | sed -E 's/.*>//' || true)
json_status=$(curl -s -o /dev/null -w '%{http_code}' "$DEMO/metrics.json")
if [ "$state" = live ] && [[ $total =~ ^[0-9.]+[kM]?$ ]] && [ "$total" != 0 ] && [ "$rate_line_ok" = yes ]; then
  page="ok: live, $total requests rendered; request-rate line of $rate_points points from $rate_min to $rate_max req/s"
elif [ "$json_status" != 200 ] && is_pending metrics.json && [ "$state" = unavailable ]; then
  page="pending feature: /metrics.json answers $json_status; page rendered its 'unavailable' state"
else
  page="FAIL: state=${state:-none}, http-total=${total:-none}, /metrics.json=$json_status, request-rate line: ${rate_points:-no} points, ${rate_min:-?}..${rate_max:-?}"
  FAILED=$((FAILED + 1))
fi

# --- Report -----------------------------------------------------------------------------------------
{
  printf '\n%-22s  %-58s %-2s %7s  %s\n' "ROW" "PANEL / RULE" "" "SERIES" "VERDICT"
  printf '%s\n' "${ROWS[@]}"
  printf '\nalerting rules loaded and healthy: %s\n' "$alerts"
  printf 'status page: %s\n' "$page"
  printf 'screenshot: %s (phone width: %s)\n' "$OUT/status-page.png" "$OUT/status-page-phone.png"
} | tee "$OUT/series.txt"
if [ "$FAILED" -gt 0 ]; then
  tail -20 "$TMP/demo.log" >&2
  die "$FAILED check(s) failed"
fi
echo "OK: dashboards, rules and status page verified against a live Prometheus"
