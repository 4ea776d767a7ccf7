#!/usr/bin/env bash
# ONNX Runtime against darkscope's own scoring: the same autoencoder (ae on event-level, the
# bundled background) scored by darkscope's plain-Java network and, exported with darkscope
# export, by ONNX Runtime 1.20 as the onnx detector (one thread each): the network alone on
# BENCH_ONNX_EVENTS encoded events in memory (default 1,000,000, median of five passes), and
# darkscope score end to end on a file of as many events (median of three).
# Prints "onnx-score ratio X" (ONNX Runtime's events/s over darkscope's own, the network alone).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$root/bench/out"
mkdir -p "$out"
source "$root/bench/lib.sh" # sample, per, result, repeated
events=${BENCH_ONNX_EVENTS:-1000000}
file="$out/onnx-events.csv.gz"
repeated "$file" "$events"
"$root/bin/darkscope" train --detector ae --encoding event-level --set hidden=64,16 --background "$sample" --out "$out/onnx-ae.model" --epochs 20 --force >/dev/null 2>&1 # 8-64-16-64-8, as measured
"$root/bin/darkscope" export --model "$out/onnx-ae.model" --out "$out/onnx-ae.onnx" --force >/dev/null
"$root/bin/darkscope" train --detector onnx --set model="$out/onnx-ae.onnx" --out "$out/onnx-runtime.model" --force >/dev/null 2>&1
rate() { # the median events/s of three runs of darkscope score with the bundle $1
  for _ in 1 2 3; do
    "$root/bin/darkscope" score --force --model "$1" --out "$out/onnx-scores.csv" "$file" 2>/dev/null | grep -o '([0-9]* events/s)' | tr -dc '0-9'
    echo
  done | sort -n | sed -n 2p
}
java -cp "$root/darkscope-cli/target/darkscope-cli.jar:$root/darkscope-cli/target/lib/*" org.darkscope.bench.ModelScoringBenchmark \
  "$sample" "$events" own="$out/onnx-ae.model" onnxruntime="$out/onnx-runtime.model" 2>/dev/null | tee "$out/onnx-network.txt" | grep -v RESULT
own=$(rate "$out/onnx-ae.model")
runtime=$(rate "$out/onnx-runtime.model")
echo "onnx: $events events end to end (darkscope score, median of 3): darkscope's network $own events/s, ONNX Runtime $runtime events/s"
echo "onnx-score ratio $(awk -v a="$(result "$out/onnx-network.txt" score_onnxruntime_events_per_s)" \
  -v b="$(result "$out/onnx-network.txt" score_own_events_per_s)" 'BEGIN {printf "%.2f", a / b}')"
