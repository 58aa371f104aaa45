#!/usr/bin/env bash
# Writes deploy/kustomize/components/monitoring/prometheusrule.yaml from the alerting rules in
# deploy/kustomize/components/monitoring/prometheus/alerts.yml (the file Prometheus loads and
# promtool tests): the same groups, wrapped in a PrometheusRule for the Prometheus Operator.
# tests/Gantry.Cli.Tests/Deploy fails when the two differ. Needs python3 with PyYAML (python3-yaml).
set -euo pipefail
cd "$(dirname "$0")/../deploy/kustomize/components/monitoring"
python3 - <<'PY'
import yaml
rules = yaml.safe_load(open("prometheus/alerts.yml"))
header = """# GENERATED from prometheus/alerts.yml (the rules Prometheus loads as a file; tested with promtool).
# Do not edit: change alerts.yml, then regenerate with scripts/render-prometheus-rule.sh.
# tests/Gantry.Cli.Tests/Deploy checks that the two hold the same rules.
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: gantry
spec:
"""
body = yaml.safe_dump({"groups": rules["groups"]}, sort_keys=False, width=1000)
with open("prometheusrule.yaml", "w") as out:
    out.write(header + "".join("  " + line + "\n" for line in body.splitlines()))
PY
