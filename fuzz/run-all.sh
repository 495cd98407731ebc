#!/usr/bin/env bash
# Runs every fuzz target for SECONDS_PER_TARGET (default 120) on its committed corpus, JOBS at
# a time (default 2), on inputs up to MAX_LEN bytes (default 32768), and prints one Markdown
# row per target: time, executions, executions per second, coverage, and what it found (a
# crash is kept under fuzz/artifacts/<target>/).
set -euo pipefail
cd "$(dirname "$0")"
seconds=${SECONDS_PER_TARGET:-120}
jobs=${JOBS:-2}
mkdir -p logs
targets=$(cargo +nightly fuzz list)
run() {
  local t=$1
  cargo +nightly fuzz run -O "$t" "corpus/$t" -- -max_total_time="$seconds" \
    -max_len="${MAX_LEN:-32768}" -rss_limit_mb=4096 -timeout=10 -print_final_stats=1 >"logs/$t.log" 2>&1 || true
}
export -f run
export seconds
# TABLE_ONLY=1: only print the table of the logs already there.
if [[ -z "${TABLE_ONLY:-}" ]]; then
  printf '%s\n' $targets | xargs -P "$jobs" -I{} bash -c 'run {}'
fi
echo "| target | time (s) | executions | exec/s | coverage (edges) | corpus (inputs) | findings |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
for t in $targets; do
  log="logs/$t.log"
  execs=$(grep -o 'stat::number_of_executed_units:[[:space:]]*[0-9]*' "$log" | awk '{print $2}' | tail -1 || true)
  rate=$(grep -o 'stat::average_exec_per_sec:[[:space:]]*[0-9]*' "$log" | awk '{print $2}' | tail -1 || true)
  cov=$(grep -o 'cov: [0-9]*' "$log" | awk '{print $2}' | tail -1 || true)
  # The time it ran: libFuzzer's own count, or (stopped by a finding) executions ÷ rate.
  took=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | awk '{print $5}' | tail -1 || true)
  if [[ -z "$took" && -n "${execs:-}" && -n "${rate:-}" && "$rate" != 0 ]]; then
    took=$((execs / rate))
  fi
  corpus=$(grep -o 'corp: [0-9]*' "$log" | awk '{print $2}' | tail -1 || true)
  if ls "artifacts/$t"/* >/dev/null 2>&1; then
    found="$(ls "artifacts/$t" | tr '\n' ' ')"
  else
    found="none"
  fi
  echo "| \`$t\` | ${took:-?} | ${execs:-?} | ${rate:-?} | ${cov:-?} | $corpus | $found |"
done
