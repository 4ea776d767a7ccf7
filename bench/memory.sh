#!/usr/bin/env bash
# Peak resident memory of `darkscope score` per detector, under -Xmx256m, at 1,000,000 and
# BENCH_SCORE_EVENTS (default 5,000,000) events: every detector must score any number of events
# in bounded memory, so the two figures should be close. Each detector is trained on the bundled
# background (5 epochs for the networks: memory does not depend on how well it learned).
# BENCH_MEMORY_DETECTORS picks the detectors (default: all). Prints one line per detector and size,
# and, last, "memory-DETECTOR peak-rss-mb A B" (1 M, large). Run alone or from bench/run.sh.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$root/bench/out"
mkdir -p "$out"
PY=/usr/bin/python3
source "$root/bench/lib.sh" # sample, per, result, repeated
[ -f "$root/darkscope-cli/target/darkscope-cli.jar" ] || (cd "$root" && mvn -q -B -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package)

million="$out/million.csv.gz"
large="$out/large.csv.gz"
repeated "$million" 1000000
repeated "$large" "${BENCH_SCORE_EVENTS:-5000000}"
detectors=${BENCH_MEMORY_DETECTORS:-ae vae conv-vae deep-svdd flow maf iforest knn gmm kde combined met}
echo "== memory: peak RSS of score under -Xmx256m, per detector, at $(cat "$million.events") and $(cat "$large.events") events"
summary=()
for d in $detectors; do
  model="$out/memory-$d.model"
  "$root/bin/darkscope" train --detector "$d" --background "$sample" --out "$model" --epochs 5 --force > "$out/memory-$d-train.txt" 2>&1
  line="memory-$d peak-rss-mb"
  for file in "$million" "$large"; do
    n=$(cat "$file.events")
    status=0
    DARKSCOPE_JAVA_OPTS=-Xmx256m "$PY" "$root/bench/peak_rss.py" "$root/bin/darkscope" score --force --model "$model" \
      --out "$out/scores-memory.csv" "$file" > "$out/memory-$d-$n.txt" 2>&1 || status=$?
    rss=$(result "$out/memory-$d-$n.txt" peak_rss_mb)
    if [ "$status" -ne 0 ]; then
      echo "$d, $n events: score failed with exit $status (see $out/memory-$d-$n.txt), peak RSS $rss MB"
      rss="failed"
    else
      echo "$d, $n events: peak RSS $rss MB, $(grep -o '[0-9]* events/s' "$out/memory-$d-$n.txt")"
    fi
    line="$line $rss"
  done
  summary+=("$line")
done
printf '%s\n' "${summary[@]}"
