#!/usr/bin/env bash
# Fleet simulation: proves the kit, the rules and the two-tier Prometheus setup of
# examples/prometheus/fleet/ at more than one instance, on this machine only (127.0.0.1).
#   1. starts N demo instances (two services, each its own DEMO_SEED), a local Prometheus scraping
#      them every second and evaluating examples/prometheus/rules.yml (`for:` shortened), and a
#      global Prometheus receiving the local one's remote_write (temp TSDBs);
#   2. drives load with one wrk per instance (examples/fleet-sim.lua: requests the demo's own
#      traffic never sends) and checks the global view's request counters per service against
#      what wrk reported, counted over the exact load window;
#   3. checks the series budget: each instance's HTTP series are exactly 20 per (method, route,
#      status) + 10 + errors + disconnects, the rest stays under the demo's fixed budget, and the
#      global Prometheus holds N instances' worth (± 5 %); recording rules keep service and env;
#   4. kills one instance: exactly one up == 0, InferwatchInstanceDown fires for it while
#      InferwatchServiceInstancesDown stays quiet;
#   5. prints the table (also saved to target/fleet-sim/table.txt) with the global Prometheus's
#      ingestion figures.
# Usage: examples/fleet-sim.sh   (after `mvn -B -DskipTests package`; 1 to 1.5 minutes on 2 cores)
#   FLEET_INSTANCES (6), FLEET_LOAD_SECONDS (20), FLEET_WRK_CONNECTIONS (2), FLEET_ALERT_FOR (3s)
set -euo pipefail
cd "$(dirname "$0")/.."

N=${FLEET_INSTANCES:-6}
LOAD_SECONDS=${FLEET_LOAD_SECONDS:-20}
CONNECTIONS=${FLEET_WRK_CONNECTIONS:-2}
ALERT_FOR=${FLEET_ALERT_FOR:-3s}
SERVICES=(gateway ranker)
JOB=inferwatch
JAR=examples/jetty-demo/target/inferwatch-demo.jar
OUT=target/fleet-sim
# Series per (method, route, status): the counter, 17 histogram buckets, _sum and _count.
PER_COMBO=20
# http_server_active_requests: one gauge per method of RFC 9110 plus _OTHER.
ACTIVE=10
# Series per method of http_server_request_queue_duration_seconds (the container adapter's time
# from arrival to the filter): 17 buckets, _sum and _count.
PER_QUEUE_METHOD=19
# The demo's fixed families (JVM, process, kit, health, models, providers, LLM): documented in
# examples/prometheus/fleet/README.md; every instance must stay under it.
FIXED_BUDGET=1600
# The (method, route) pairs of fleet-sim.lua, as a selector.
WRK_SERIES='http_server_requests_total{method=~"OPTIONS|PUT|DELETE"} or http_server_requests_total{method="GET",route="/v1/models"}'

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
[ "$N" -ge 4 ] || die "FLEET_INSTANCES must be at least 4 (two services, one instance killed)"

# --- Tools: Debian packages, installed only when missing ------------------------------------------
missing=()
command -v prometheus >/dev/null || missing+=(prometheus)
command -v promtool >/dev/null || missing+=(prometheus)
command -v wrk >/dev/null || missing+=(wrk)
command -v jq >/dev/null || missing+=(jq)
command -v curl >/dev/null || missing+=(curl)
command -v bc >/dev/null || missing+=(bc)
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || die "missing ${missing[*]} and cannot apt-get install them"
  log "installing ${missing[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ -f "$JAR" ] || { log "building the demo jar"; mvn -B -q -DskipTests package; }
mkdir -p "$OUT"

log "promtool check config: the shipped global tiers (local.yml is checked as adapted below)"
for f in examples/prometheus/fleet/global-*.yml; do promtool check config "$f" >/dev/null || die "$f"; done

TMP=$(mktemp -d)
PIDS=()
cleanup() { # newest first: the local Prometheus stops before the global one it writes to
  local i
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill "${PIDS[$i]}" 2>/dev/null || true; done
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do wait "${PIDS[$i]}" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT

USED_PORTS=" "
free_port() {
  local p
  for _ in $(seq 1 50); do
    # Below Linux's ephemeral range (32768+), where a client's outgoing connection could take the
    # port between this check and the server's bind.
    p=$((20000 + RANDOM % 12000))
    [[ $USED_PORTS == *" $p "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      USED_PORTS+="$p "
      echo "$p"
      return
    fi
  done
  die "no free port"
}
poll() { # seconds command... -> 0 once the command succeeds, 1 when the time is up
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.5
  done
}
wait_for() { # seconds description command...
  local seconds=$1 what=$2
  shift 2
  poll "$seconds" "$@" || die "timed out waiting for $what"
}

# --- 1. Global, local and the demos ---------------------------------------------------------------
GLOBAL_PORT=$(free_port)
LOCAL_PORT=$(free_port)
GLOBAL=http://127.0.0.1:$GLOBAL_PORT
LOCAL=http://127.0.0.1:$LOCAL_PORT
# The global tier as shipped (examples/prometheus/fleet/global-remote-write.yml), scraping itself
# every second on its own port.
sed -e "s/localhost:9090/127.0.0.1:$GLOBAL_PORT/" -e 's/^\(  scrape_interval:\).*/\1 1s/' \
  examples/prometheus/fleet/global-remote-write.yml >"$TMP/global.yml"
grep -q "127.0.0.1:$GLOBAL_PORT" "$TMP/global.yml" || die "global-remote-write.yml: no localhost:9090 self-scrape to point at"
log "starting the global Prometheus on $GLOBAL (remote-write receiver)"
prometheus --config.file="$TMP/global.yml" --storage.tsdb.path="$TMP/global" \
  --web.listen-address="127.0.0.1:$GLOBAL_PORT" --web.enable-remote-write-receiver \
  --log.level=warn >"$TMP/global.log" 2>&1 &
PIDS+=($!)

PORTS=()
DEMO_PIDS=()
SERVICE_OF=()
log "starting $N demo instances (${SERVICES[*]})"
for i in $(seq 0 $((N - 1))); do
  port=$(free_port)
  service=${SERVICES[$((i % 2))]}
  # Small JVMs: N of them share two cores with two Prometheus servers and wrk.
  PORT=$port HOST=127.0.0.1 INFERWATCH_SERVICE=$service INFERWATCH_ENV=sim DEMO_SEED=$((i + 1)) \
    DEMO_MODEL_LOAD_MS=500 \
    java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:ActiveProcessorCount=1 -Xss512k -Xms32m -Xmx128m \
    -jar "$JAR" >"$TMP/demo-$i.log" 2>&1 &
  PIDS+=($!)
  DEMO_PIDS+=($!)
  PORTS+=("$port")
  SERVICE_OF+=("$service")
done
# Pods as Kubernetes discovery would describe them: the shipped relabel_configs pick the annotated,
# running ones and rewrite the address to the annotated port. Two decoys must be left out: one not
# annotated for scraping, one still Pending (both point at closed ports: scraped, they would be down).
pod() { # name port scrape phase
  printf '{"targets": ["127.0.0.1:8080"], "labels": {"__meta_kubernetes_namespace": "sim", "__meta_kubernetes_pod_name": "%s", "__meta_kubernetes_pod_annotation_prometheus_io_scrape": "%s", "__meta_kubernetes_pod_annotation_prometheus_io_port": "%s", "__meta_kubernetes_pod_annotation_prometheus_io_path": "/metrics", "__meta_kubernetes_pod_phase": "%s"}}' \
    "$1" "$3" "$2" "$4"
}
{
  echo "["
  for i in "${!PORTS[@]}"; do pod "${SERVICE_OF[$i]}-$i" "${PORTS[$i]}" true Running; echo ","; done
  pod decoy-not-annotated "$(free_port)" false Running; echo ","
  pod decoy-pending "$(free_port)" true Pending
  echo "]"
} >"$TMP/pods.json"

# The rules as shipped, with every `for:` shortened so that alerts fire within seconds.
sed -E "s/^([[:space:]]*for:).*/\1 $ALERT_FOR/" examples/prometheus/rules.yml >"$TMP/rules.yml"
# The local tier as shipped (examples/prometheus/fleet/local.yml: discovery relabeling, rules,
# remote_write) with file_sd in place of kubernetes_sd_configs (Debian's Prometheus is built
# without Kubernetes discovery), 1 s intervals, and the global tier's address.
sed -e '/^    kubernetes_sd_configs:/{N;s|.*|    file_sd_configs:\n      - files: ["'"$TMP"'/pods.json"]|}' \
  -e 's/^\(  scrape_interval:\).*/\1 1s/; s/^\(  scrape_timeout:\).*/\1 1s/; s/^\(  evaluation_interval:\).*/\1 1s/' \
  -e 's/^\(    cluster:\).*/\1 sim/' -e "s|^  - \.\./rules\.yml|  - $TMP/rules.yml|" \
  -e "s|^\(  - url:\).*|\1 $GLOBAL/api/v1/write|" -e 's/^\(    queue_config:\)$/\1\n      batch_send_deadline: 1s/' \
  examples/prometheus/fleet/local.yml >"$TMP/local.yml"
for expect in file_sd_configs "cluster: sim" "$TMP/rules.yml" "$GLOBAL/api/v1/write" batch_send_deadline "scrape_interval: 1s"; do
  grep -qF "$expect" "$TMP/local.yml" || die "could not adapt local.yml: no '$expect' after the edits"
done
promtool check config "$TMP/local.yml" >/dev/null || die "local.yml as adapted is invalid"
log "starting the local Prometheus on $LOCAL scraping ${#PORTS[@]} instances"
prometheus --config.file="$TMP/local.yml" --storage.tsdb.path="$TMP/local" \
  --web.listen-address="127.0.0.1:$LOCAL_PORT" --storage.remote.flush-deadline=5s \
  --log.level=warn >"$TMP/local.log" 2>&1 &
PIDS+=($!)

query() { # base expr [time] -> JSON result array
  local args=(--data-urlencode "query=$2")
  [ -n "${3:-}" ] && args+=(--data-urlencode "time=$3")
  curl -fsS --get "${args[@]}" "$1/api/v1/query" | jq -c '.data.result'
}
scalar() { # base expr [time] -> first value, or 0 when empty
  query "$@" | jq -r 'if length == 0 then 0 else .[0].value[1] end'
}
ready() { curl -fsS "$1" >/dev/null; }
for i in "${!PORTS[@]}"; do
  poll 90 ready "http://127.0.0.1:${PORTS[$i]}/readyz" \
    || { tail -n 20 "$TMP/demo-$i.log" >&2; die "timed out waiting for demo on :${PORTS[$i]} to be ready"; }
done
wait_for 30 "the global Prometheus" ready "$GLOBAL/-/ready"
wait_for 30 "the local Prometheus" ready "$LOCAL/-/ready"
rss() { curl -fsS "$1/metrics" | awk '/^process_resident_memory_bytes / { printf "%d", $2 }'; }
global_idle_rss=$(rss "$GLOBAL")
all_up() { [ "$(scalar "$GLOBAL" "count(up{job=\"$JOB\"} == 1)")" = "$N" ]; }
wait_for 60 "all $N instances up on the global Prometheus" all_up
log "all $N instances up after ${SECONDS}s"

# --- 2. Load: wrk against every instance, counters compared over the exact window -----------------
wrk_counts() { # base -> {"service": count} of the wrk (method, route) pairs
  query "$1" "sum by (service) ($WRK_SERIES)" | jq -c 'map({(.metric.service): (.value[1] | tonumber)}) | add // {}'
}
settled() { # the global Prometheus holds what the local one scraped last
  [ "$(wrk_counts "$LOCAL")" = "$(wrk_counts "$GLOBAL")" ]
}
before=$(wrk_counts "$GLOBAL")
t0=$(date +%s.%N)
log "driving load: ${#PORTS[@]} x wrk -c$CONNECTIONS for ${LOAD_SECONDS}s"
WRK_PIDS=()
for i in "${!PORTS[@]}"; do
  wrk -t1 -c"$CONNECTIONS" -d"${LOAD_SECONDS}s" -s examples/fleet-sim.lua "http://127.0.0.1:${PORTS[$i]}" \
    >"$TMP/wrk-$i.txt" 2>&1 &
  WRK_PIDS+=($!)
done
for pid in "${WRK_PIDS[@]}"; do wait "$pid" || die "wrk failed: $(cat "$TMP"/wrk-*.txt)"; done
t1=$(date +%s.%N)
sleep 2 # the last scrape after the load
wait_for 30 "remote_write to deliver the last scrape" settled
after=$(wrk_counts "$GLOBAL")
window=$(echo "$t1 - $t0" | bc -l)

declare -A WRK_REQUESTS WRK_RATE WRK_SECONDS WRK_RUNS
for s in "${SERVICES[@]}"; do WRK_REQUESTS[$s]=0; WRK_RATE[$s]=0; WRK_SECONDS[$s]=0; WRK_RUNS[$s]=0; done
for i in "${!PORTS[@]}"; do
  line=$(grep '^FLEETSIM' "$TMP/wrk-$i.txt") || die "no wrk summary for instance $i: $(cat "$TMP/wrk-$i.txt")"
  n=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$line")
  us=$(sed -E 's/.*duration_us=([0-9]+).*/\1/' <<<"$line")
  s=${SERVICE_OF[$i]}
  WRK_REQUESTS[$s]=$((WRK_REQUESTS[$s] + n))
  WRK_RATE[$s]=$(echo "${WRK_RATE[$s]} + $n / ($us / 1000000)" | bc -l)
  WRK_SECONDS[$s]=$(echo "${WRK_SECONDS[$s]} + $us / 1000000" | bc -l)
  WRK_RUNS[$s]=$((WRK_RUNS[$s] + 1))
done

FAILED=0
check() { # condition-as-exit-status description
  if eval "$1"; then RESULTS+=("ok    $2"); else RESULTS+=("FAIL  $2"); FAILED=$((FAILED + 1)); fi
}
RESULTS=()
RATE_ROWS=()
for s in "${SERVICES[@]}"; do
  seen=$(jq -n --argjson b "$before" --argjson a "$after" --arg s "$s" '($a[$s] // 0) - ($b[$s] // 0)')
  seen=${seen%.*}
  # Over wrk's own mean duration, so that both rates share a divisor.
  global_rate=$(echo "$seen / (${WRK_SECONDS[$s]} / ${WRK_RUNS[$s]})" | bc -l)
  error=$(printf '%.3f' "$(echo "($seen - ${WRK_REQUESTS[$s]}) / ${WRK_REQUESTS[$s]} * 100" | bc -l)")
  RATE_ROWS+=("$(printf '%-9s %10d %10d %10.1f %10.1f %+8.3f %%' "$s" "${WRK_REQUESTS[$s]}" "$seen" \
    "${WRK_RATE[$s]}" "$global_rate" "$error")")
  check "[ \$(echo \"${error#-} <= 5\" | bc) = 1 ]" "$s: global request count within 5 % of wrk's ($error %)"
done
# The plain fleet query over the same window (the demo's own ~6 req/s per instance included).
range=$(printf '%.0f' "$window")s
PLAIN=$(query "$GLOBAL" "sum by (service) (rate(http_server_requests_total[$range]))" "$t1" \
  | jq -r 'map("\(.metric.service) \(.value[1] | tonumber | . * 10 | round / 10)") | join(", ")')
# The global tier's own view of its ingestion over the load (it scrapes itself).
ingest_rate=$(scalar "$GLOBAL" "sum(rate(prometheus_tsdb_head_samples_appended_total{job=\"prometheus-global\"}[$range]))" "$t1")

# --- 3. Series budget -------------------------------------------------------------------------------
per_instance() { # expr -> {"instance": count}
  query "$GLOBAL" "count by (instance) ($1)" | jq -c 'map({(.metric.instance): (.value[1] | tonumber)}) | add // {}'
}
measure_series() { # one look at every instance's series, as of the global tier's latest scrapes
  SERIES=$(per_instance "{job=\"$JOB\"}")
  SOURCE=$(query "$LOCAL" "scrape_samples_scraped{job=\"$JOB\"}" | jq -c 'map({(.metric.instance): (.value[1] | tonumber)}) | add // {}')
  COMBOS=$(per_instance "http_server_requests_total{job=\"$JOB\"}")
  HTTP=$(per_instance "{job=\"$JOB\", __name__=~\"http_server_.*\"}")
  QUEUED=$(per_instance "http_server_request_queue_duration_seconds_count{job=\"$JOB\"}")
  ERRORS=$(per_instance "http_server_errors_total{job=\"$JOB\"} or http_server_client_disconnects_total{job=\"$JOB\"}")
  ROUTES=$(query "$GLOBAL" "count by (instance) (count by (instance, route) (http_server_requests_total{job=\"$JOB\"}))" \
    | jq -c 'map({(.metric.instance): (.value[1] | tonumber)}) | add // {}')
  total_instance_series=$(scalar "$GLOBAL" "count({job=\"$JOB\"})")
  head_series=$(scalar "$GLOBAL" 'max(prometheus_tsdb_head_series{job="prometheus-global"})')
  global_rss=$(rss "$GLOBAL")
  rule_series=$(scalar "$GLOBAL" 'count({__name__=~".+:.+"})')
}
# The families of one scrape are collected one after another, so a (method, route, status) the
# demo's own traffic binds mid-scrape can show its histogram without its counter until the next
# scrape. Such a split is gone one scrape later; a real mismatch stays, and fails below.
http_counts() { # instance -> sets combos, http, errs, queued and expected_http for it
  combos=$(jq -r --arg i "$1" '.[$i] // 0' <<<"$COMBOS")
  http=$(jq -r --arg i "$1" '.[$i] // 0' <<<"$HTTP")
  errs=$(jq -r --arg i "$1" '.[$i] // 0' <<<"$ERRORS")
  queued=$(jq -r --arg i "$1" '.[$i] // 0' <<<"$QUEUED")
  expected_http=$((PER_COMBO * combos + ACTIVE + errs + PER_QUEUE_METHOD * queued))
}
consistent() {
  local i inst
  for i in "${!PORTS[@]}"; do
    inst=127.0.0.1:${PORTS[$i]}
    http_counts "$inst"
    if [ "$http" != "$expected_http" ]; then
      log "$inst: $http HTTP series for $combos combos, $errs errors/disconnects, $queued queue methods"
      return 1
    fi
  done
}
measure_series
for attempt in 1 2 3; do
  consistent && break
  log "an instance's HTTP families disagree within one scrape (a series bound mid-scrape?); looking again in 2 s ($attempt/3)"
  sleep 2
  measure_series
done

SERIES_ROWS=()
sum_source=0
counts=()
for i in "${!PORTS[@]}"; do
  inst=127.0.0.1:${PORTS[$i]}
  total=$(jq -r --arg i "$inst" '.[$i] // 0' <<<"$SERIES")
  source=$(jq -r --arg i "$inst" '.[$i] // 0' <<<"$SOURCE")
  http_counts "$inst"
  routes=$(jq -r --arg i "$inst" '.[$i] // 0' <<<"$ROUTES")
  fixed=$((total - 5 - http))
  bound=$((expected_http + FIXED_BUDGET + 5))
  sum_source=$((sum_source + source + 5))
  counts+=("$total")
  SERIES_ROWS+=("$(printf '%-16s %-8s %6d %6d %6d %6d %6d %6d %6d' "$inst" "${SERVICE_OF[$i]}" "$total" "$routes" \
    "$combos" "$http" "$fixed" "$bound" "$source")")
  check "[ $http = $expected_http ]" \
    "$inst: HTTP series = $PER_COMBO x $combos combos + $ACTIVE + $errs errors/disconnects + $PER_QUEUE_METHOD x $queued queue methods ($http)"
  check "[ $total -le $bound ]" "$inst: $total series <= bound $bound"
  check "[ $routes -le 202 ]" "$inst: $routes routes <= INFERWATCH_MAX_ROUTES (200) + 2"
done
median=$(printf '%s\n' "${counts[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
check "[ \$(echo \"d = $total_instance_series - $sum_source; (d < 0 && -d <= $sum_source * 0.05) || (d >= 0 && d <= $sum_source * 0.05)\" | bc) = 1 ]" \
  "global holds the instances' series: $total_instance_series vs $sum_source scraped (± 5 %)"
check "[ \$(echo \"d = $total_instance_series - $N * $median; (d < 0 && -d <= $N * $median * 0.05) || (d >= 0 && d <= $N * $median * 0.05)\" | bc) = 1 ]" \
  "total = N x per-instance: $total_instance_series vs $N x $median (± 5 %)"
leaky=$(scalar "$GLOBAL" 'count({__name__=~"service(_route|_model|_provider)?:.+", instance!=""}) or vector(0)')
unlabelled=$(scalar "$GLOBAL" 'count({__name__=~"service.*:.+", service=""}) or vector(0)')
check "[ $leaky = 0 ]" "service-level recording rules sum the instances away ($leaky series keep instance)"
check "[ $unlabelled = 0 ]" "every recording rule keeps service ($unlabelled series without)"
# What the shipped federation job would pull from this local tier instead.
MATCH=()
while read -r m; do MATCH+=(--data-urlencode "match[]=$m"); done \
  < <(sed -nE "s/^[[:space:]]*- '(\{__name__.*\})'[[:space:]]*$/\1/p" examples/prometheus/fleet/global-federate.yml)
[ ${#MATCH[@]} -gt 0 ] || die "no match[] in global-federate.yml"
federated=$(curl -fsS --get "${MATCH[@]}" "$LOCAL/federate" | grep -vc '^#' || true)
# Ingestion again once the load is over: wrk starves both Prometheus servers of CPU on two cores.
rest=$(echo "$t1 + 7 - $(date +%s.%N)" | bc -l)
[ "$(echo "$rest > 0" | bc)" = 1 ] && sleep "$rest"
rest_rate=$(scalar "$GLOBAL" 'sum(rate(prometheus_tsdb_head_samples_appended_total{job="prometheus-global"}[5s]))')

# --- 4. Kill one instance ---------------------------------------------------------------------------
VICTIM=127.0.0.1:${PORTS[0]}
alert_state() { # alertname -> "firing: <instances>" / "pending: ..." / "inactive", on the global view
  query "$GLOBAL" "ALERTS{alertname=\"$1\"}" \
    | jq -r 'if length == 0 then "inactive" else (group_by(.metric.alertstate)
        | map("\(.[0].metric.alertstate): \(map(.metric.instance // .metric.service) | join(" "))") | join("; ")) end'
}
pre_fleet=$(alert_state InferwatchServiceInstancesDown)
targets=$(scalar "$GLOBAL" "count(up{job=\"$JOB\"})")
pre_instance=$(alert_state InferwatchInstanceDown)
log "killing $VICTIM (${SERVICE_OF[0]}) with SIGKILL"
kill -9 "${DEMO_PIDS[0]}"
wait "${DEMO_PIDS[0]}" 2>/dev/null || true
one_down() { [ "$(scalar "$GLOBAL" "count(up{job=\"$JOB\"} == 0)")" = 1 ]; }
wait_for 30 "up == 0 for the killed instance on the global Prometheus" one_down
# Right away, the alerts' own expressions (as loaded): the instance one matches the victim, the
# fleet one nothing; the `for:` clauses then only add their delay.
rule_query() { curl -fsS "$LOCAL/api/v1/rules" | jq -r --arg n "$1" '[.data.groups[].rules[] | select(.name == $n)][0].query'; }
INSTANCE_EXPR=$(rule_query InferwatchInstanceDown)
FLEET_EXPR=$(rule_query InferwatchServiceInstancesDown)
instance_matches() { # the next rule evaluation after the failed scrape
  instance_expr=$(query "$LOCAL" "$INSTANCE_EXPR" | jq -r 'map(.metric.instance) | join(" ")')
  [ -n "$instance_expr" ]
}
poll 15 instance_matches || true
fleet_expr=$(query "$LOCAL" "$FLEET_EXPR" | jq 'length')
instance_fires() { [[ $(alert_state InferwatchInstanceDown) == "firing: $VICTIM" ]]; }
poll 30 instance_fires || true # judged below
down=$(query "$GLOBAL" "up{job=\"$JOB\"} == 0" | jq -r 'map(.metric.instance) | join(" ")')
post_instance=$(alert_state InferwatchInstanceDown)
post_fleet=$(alert_state InferwatchServiceInstancesDown)
fleet_ratio=$(query "$GLOBAL" "sum by (service) (service_instance:up{service=\"${SERVICE_OF[0]}\"}) / count by (service) (service_instance:up{service=\"${SERVICE_OF[0]}\"})" | jq -r '.[0].value[1] | tonumber | . * 100 | round')
check "[ $targets = $N ]" "the shipped relabeling keeps the $N annotated running pods, not the decoys ($targets targets)"
check "[ '$pre_instance' = inactive ] && [ '$pre_fleet' = inactive ]" "no instance or fleet down alert before the kill"
check "[ '$down' = '$VICTIM' ]" "exactly one up == 0 after the kill ($down)"
check "[ '$instance_expr' = '$VICTIM' ] && [ '$fleet_expr' = 0 ]" \
  "rule expressions right after the kill: instance matches $instance_expr, fleet matches $fleet_expr series"
check "[ '$post_instance' = 'firing: $VICTIM' ]" "InferwatchInstanceDown fires for the victim ($post_instance)"
check "[ '$post_fleet' = inactive ]" "InferwatchServiceInstancesDown stays quiet ($post_fleet; ${fleet_ratio}% of ${SERVICE_OF[0]} up)"

# --- 5. Report ---------------------------------------------------------------------------------------
{
  printf '\nFleet simulation %s: %d instances (%s), %ss of load, %ss in all\n' "$(date -u +%Y-%m-%dT%H:%MZ)" "$N" \
    "${SERVICES[*]}" "$LOAD_SECONDS" "$SECONDS"
  printf '\n%-16s %-8s %6s %6s %6s %6s %6s %6s %6s\n' INSTANCE SERVICE SERIES ROUTES COMBOS HTTP FIXED BOUND SOURCE
  printf '%s\n' "${SERIES_ROWS[@]}"
  printf '(SERIES on the global Prometheus, incl. 5 per target from the scrape; BOUND = %d x COMBOS + %d + errors + %d x queue methods + %d fixed + 5;\n SOURCE = samples in the instance'"'"'s last scrape)\n' \
    "$PER_COMBO" "$ACTIVE" "$PER_QUEUE_METHOD" "$FIXED_BUDGET"
  printf '\nglobal Prometheus: %s series of the %d instances (median %s each), %s recording-rule series,\n' \
    "$total_instance_series" "$N" "$median" "$rule_series"
  printf '  head series %s, samples/s appended %.0f during the load and %.0f after it,\n' \
    "$head_series" "$ingest_rate" "$rest_rate"
  printf '  RSS %d MiB (%d MiB before any data)\n' $((global_rss / 1048576)) $((global_idle_rss / 1048576))
  printf '  federating the recording rules instead would carry %s series\n' "$federated"
  printf '\n%-9s %10s %10s %10s %10s %9s\n' SERVICE "WRK REQ" "GLOBAL REQ" "WRK REQ/S" "GLOBAL R/S" ERROR
  printf '%s\n' "${RATE_ROWS[@]}"
  printf '(counters of wrk'"'"'s (method, route) pairs before and after the load, rates over wrk'"'"'s own duration;\n'
  printf ' sum by (service) (rate(http_server_requests_total[%s])) with the demo'"'"'s own traffic: %s)\n' "$range" "$PLAIN"
  printf '\nafter killing %s: up == 0 for [%s]\n' "$VICTIM" "$down"
  printf '  InferwatchInstanceDown          %s\n' "$post_instance"
  printf '  InferwatchServiceInstancesDown  %s (%s%% of %s up)\n' "$post_fleet" "$fleet_ratio" "${SERVICE_OF[0]}"
  printf '\n'
  printf '%s\n' "${RESULTS[@]}"
} | tee "$OUT/table.txt"
if [ "$FAILED" -gt 0 ]; then
  tail -n 5 "$TMP/local.log" "$TMP/global.log" >&2 || true
  die "$FAILED check(s) failed"
fi
echo "OK: fleet of $N verified through the global Prometheus in ${SECONDS}s"
