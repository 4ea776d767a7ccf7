#!/usr/bin/env bash
# darkscope benchmarks, each side by side with its Python peer on the same machine, same load.
# Prints a table and, last, one line per comparison: "NAME ratio X" (darkscope over peer, higher
# is better). Installs what it needs: Debian's python3-numpy and python3-torch, used by Debian's
# own /usr/bin/python3. BENCH_COPIES (default 200) sets the size of the timed files;
# BENCH_MEMORY_EVENTS (default 5000000) the size of the file scored under -Xmx256m (0 skips it).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$root/bench/out"
mkdir -p "$out"
PY=/usr/bin/python3

if ! "$PY" -c "import numpy, torch" 2>/dev/null; then
  echo "installing python3-numpy and python3-torch from Debian ..." >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-numpy python3-torch >/dev/null
fi

(cd "$root" && mvn -q -B -DskipTests package)
cp="$root/darkscope-cli/target/darkscope-cli.jar:$root/darkscope-cli/target/lib/*"
djl=(-Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1)
sample="$root/data/sample/chan1/background_train.csv.gz"
result() { awk -v k="$2" '$1 == "RESULT" && $2 == k {print $3}' "$1"; }
# repeated FILE COPIES: the bundled background repeated COPIES times into FILE (kept between runs)
repeated() {
  if [ ! -f "$1" ] || [ "$(cat "$1.copies" 2>/dev/null)" != "$2" ]; then
    for _ in $(seq "$2"); do zcat "$sample"; done | gzip -6 > "$1"
    echo "$2" > "$1.copies"
  fi
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

# A file large enough to time: the bundled background repeated (the sample itself is small).
copies=${BENCH_COPIES:-200}
big="$out/ingest.csv.gz"
repeated "$big" "$copies"
echo "== $(date -u +%F), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), torch $("$PY" -c 'import torch; print(torch.__version__)')"

echo "== ingest: $(du -h "$big" | cut -f1) gzip"
java -cp "$cp" org.darkscope.bench.IngestBenchmark "$big" 5 | tee "$out/ingest-java.txt" | grep -v RESULT
"$PY" "$root/bench/python_reader.py" "$big" 3 | tee "$out/ingest-python.txt" | grep -v RESULT

echo "== training, batch 256, 1 thread, 51200 events of random inputs"
for d in ae vae conv-vae; do
  java "${djl[@]}" -cp "$cp" org.darkscope.bench.TrainBenchmark "$d" 51200 6 256 2>/dev/null | tee "$out/train-$d-java.txt" | grep -v RESULT
  "$PY" "$root/bench/torch_train.py" "$d" 51200 6 256 | tee "$out/train-$d-torch.txt" | grep -v RESULT
done

# Scoring is timed on a larger file, so that the JVM's and the engine's start (about 1.5 s) weigh
# as little as the Python interpreter's: 400 copies, 641,600 events (the Python peer holds them all
# in memory, about 1 GB).
score_copies=${BENCH_SCORE_COPIES:-400}
scorefile="$out/score.csv.gz"
repeated "$scorefile" "$score_copies"
echo "== score end to end (.csv.gz to scores file), ae, $(du -h "$scorefile" | cut -f1) gzip"
model="$out/ae.model"
"$root/bin/darkscope" train --detector ae --background "$sample" --out "$model" --epochs 20 >/dev/null 2>&1
start=$(date +%s.%N)
"$root/bin/darkscope" score --model "$model" --out "$out/scores-java.csv" "$scorefile" 2>/dev/null | tee "$out/score-java.txt"
end=$(date +%s.%N)
events=$(($(wc -l < "$out/scores-java.csv") - 1))
java_rate=$(awk -v n="$events" -v a="$start" -v b="$end" 'BEGIN {printf "%.0f", n / (b - a)}')
echo "darkscope score (process start to file written): $events events, $java_rate events/s"
"$PY" "$root/bench/python_score.py" "$scorefile" "$out/scores-python.csv" | tee "$out/score-python.txt" | grep -v RESULT

# Spark reads a gzip file as one task, so it gets the same file as 4 parts to spread over the cores.
echo "== Spark local mode ($(nproc) cores) against single-process score: same model, same 4 files"
parts="$out/parts"
if [ ! -d "$parts" ] || [ "$(cat "$out/parts.source" 2>/dev/null)" != "$score_copies" ]; then
  rm -rf "$parts" && mkdir -p "$parts"
  zcat "$scorefile" > "$parts/all.csv"
  split -n l/4 -d --additional-suffix=.csv "$parts/all.csv" "$parts/part-" && rm "$parts/all.csv"
  for f in "$parts"/part-*.csv; do gzip -6 "$f"; done
  echo "$score_copies" > "$out/parts.source"
fi
"$root/bin/darkscope" score --model "$model" --out "$out/scores-parts.csv" "$parts"/part-* 2>/dev/null | tee "$out/score-parts.txt"
rm -rf "$out/spark-scores"
"$root/bin/darkscope" spark score --master "local[$(nproc)]" --model "$model" --out "$out/spark-scores" "$parts" 2>/dev/null \
  | tee "$out/spark-score.txt"
spark_rate=$(grep -o '([0-9]* events/s)' "$out/spark-score.txt" | tr -dc '0-9')
single_rate=$(grep -o '([0-9]* events/s)' "$out/score-parts.txt" | tr -dc '0-9')

memory_events=${BENCH_MEMORY_EVENTS:-5000000}
if [ "$memory_events" -gt 0 ]; then
  echo "== memory: score $memory_events events with -Xmx256m"
  huge="$out/memory.csv.gz"
  if [ ! -f "$huge" ] || [ "$(cat "$out/memory.events" 2>/dev/null)" != "$memory_events" ]; then
    per=$(zcat "$sample" | wc -l)
    set +o pipefail # head closes the pipe early on purpose
    for _ in $(seq $(( (memory_events + per - 1) / per ))); do zcat "$sample"; done | head -n "$memory_events" | gzip -1 > "$huge"
    set -o pipefail
    echo "$memory_events" > "$out/memory.events"
  fi
  DARKSCOPE_JAVA_OPTS=-Xmx256m "$PY" "$root/bench/peak_rss.py" "$root/bin/darkscope" score --model "$model" \
    --out "$out/scores-memory.csv" "$huge" 2>/dev/null | tee "$out/memory.txt"
fi

echo
ji=$(result "$out/ingest-java.txt" ingest_events_per_s)
j1=$(result "$out/ingest-java.txt" ingest_1thread_events_per_s)
jn=$(result "$out/ingest-java.txt" ingest_allcores_events_per_s)
py=$(result "$out/ingest-python.txt" python_ingest_events_per_s)
for d in ae vae conv-vae; do
  echo "train-$d ratio $(ratio "$(result "$out/train-$d-java.txt" "train_${d}_events_per_s")" "$(result "$out/train-$d-torch.txt" "torch_train_${d}_events_per_s")")"
done
echo "score-e2e ratio $(ratio "$java_rate" "$(result "$out/score-python.txt" python_score_events_per_s)")"
echo "ingest ratio $(ratio "$ji" "$py")"
echo "spark-score ratio $(ratio "$spark_rate" "$single_rate")"
echo "ingest-1thread ratio $(ratio "$j1" "$py")"
echo "ingest-allcores ratio $(ratio "$jn" "$py")"
if [ "$memory_events" -gt 0 ]; then
  echo "memory peak-rss-mb $(result "$out/memory.txt" peak_rss_mb) (score of $memory_events events, -Xmx256m)"
fi
