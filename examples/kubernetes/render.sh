#!/usr/bin/env bash
# Prints the kit's Grafana dashboard or Prometheus rules as Kubernetes objects, straight from the
# files they are kept in, so they cannot drift:
#   examples/kubernetes/render.sh dashboard | kubectl apply -f -   # ConfigMap for Grafana's sidecar
#   examples/kubernetes/render.sh rules | kubectl apply -f -       # PrometheusRule (Operator)
# Optional second argument: the namespace (default: the current one).
set -euo pipefail
cd "$(dirname "$0")/.."
namespace=${2:-}
meta() { # name labels...
  printf 'metadata:\n  name: %s\n' "$1"
  [ -z "$namespace" ] || printf '  namespace: %s\n' "$namespace"
  printf '  labels:\n    app.kubernetes.io/part-of: inferwatch\n'
  shift
  local label
  for label in "$@"; do printf '    %s\n' "$label"; done
}
case "${1:-}" in
  dashboard)
    printf 'apiVersion: v1\nkind: ConfigMap\n'
    # grafana_dashboard: the label the Grafana Helm chart's dashboard sidecar looks for.
    meta inferwatch-dashboard 'grafana_dashboard: "1"'
    printf 'data:\n  inferwatch-dashboard.json: |-\n'
    sed 's/^/    /' grafana/inferwatch-dashboard.json
    printf '\n'
    ;;
  rules)
    printf 'apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\n'
    meta inferwatch-rules
    printf 'spec:\n'
    sed 's/^/  /' prometheus/rules.yml
    ;;
  *)
    echo "usage: $0 dashboard|rules [namespace]" >&2
    exit 2
    ;;
esac
