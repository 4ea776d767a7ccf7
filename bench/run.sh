#!/usr/bin/env bash
# darkscope benchmarks, each side by side with its Python peer on the same machine, same load.
# Prints a table and, last, one line per comparison: "NAME ratio X" (darkscope over peer, higher
# is better). Installs what it needs: Debian's python3-numpy, python3-torch and python3-scipy, used by Debian's
# own /usr/bin/python3. BENCH_COPIES (default 200) sets the size of the ingest file (copies of the
# bundled background); BENCH_SCORE_EVENTS (default 5000000) the size of the large scoring file,
# also scored under -Xmx256m by every detector for the memory figures (bench/memory.sh; BENCH_MEMORY=0 skips them); BENCH_SCORE_RUNS
# (default 5) how often each side scores the score-e2e file (the median times count).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$root/bench/out"
mkdir -p "$out"
PY=/usr/bin/python3

if ! "$PY" -c "import numpy, torch, scipy" 2>/dev/null; then
  echo "installing python3-numpy, python3-torch and python3-scipy from Debian ..." >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-numpy python3-torch python3-scipy >/dev/null
fi

(cd "$root" && mvn -q -B -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package)
cp="$root/darkscope-cli/target/darkscope-cli.jar:$root/darkscope-cli/target/lib/*"
djl=(-Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1)
# (darkscope's training below runs with MKL_CBWR=AUTO,STRICT, as bin/darkscope sets it)
# the JVM options bin/darkscope gives the commands that stream events (see the launcher)
streaming=(-XX:+UseSerialGC -XX:InlineSmallCode=500 -XX:Tier4BackEdgeThreshold=1000000 -XX:CompileCommand=quiet
           -XX:CompileCommand=CompileThresholdScaling,org.darkscope.io.GzipDecoder::decodeHuffman,0.05)
source "$root/bench/lib.sh" # sample, per, result, repeated
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

# A file large enough to time: the bundled background repeated (the sample itself is small).
copies=${BENCH_COPIES:-200}
big="$out/ingest.csv.gz"
repeated "$big" $((copies * per))
echo "== $(date -u +%F), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), torch $("$PY" -c 'import torch; print(torch.__version__)')"

echo "== ingest: $(du -h "$big" | cut -f1) gzip"
java "${streaming[@]}" -cp "$cp" org.darkscope.bench.IngestBenchmark "$big" 5 | tee "$out/ingest-java.txt" | grep -v RESULT
"$PY" "$root/bench/python_reader.py" "$big" 3 | tee "$out/ingest-python.txt" | grep -v RESULT

echo "== training, batch 256, 1 thread, 51200 events of random inputs"
for d in ae vae conv-vae; do
  encoding=kinematic-56; [ "$d" = conv-vae ] && encoding=conv-14x4 # the peer's networks read these
  # and have these sizes (56-64-16-64-56; 56-64-32, latent 8), not the defaults chosen for event-level's 8 numbers
  settings=(); [ "$d" = ae ] && settings=(hidden=64,16); [ "$d" = vae ] && settings=(hidden=64,32 latent=8)
  MKL_CBWR=AUTO,STRICT java "${djl[@]}" -cp "$cp" org.darkscope.bench.TrainBenchmark "$d" 51200 6 256 "$encoding" "${settings[@]}" 2>/dev/null \
    | tee "$out/train-$d-java.txt" | grep -v RESULT
  "$PY" "$root/bench/torch_train.py" "$d" 51200 6 256 | tee "$out/train-$d-torch.txt" | grep -v RESULT
done

# The talk's image CVAE: 61.5 million parameters, so a few hundred images (BENCH_IMAGE_EVENTS) suffice to time it.
image_events=${BENCH_IMAGE_EVENTS:-512}
echo "== training image-cvae, batch 128, 1 thread, $image_events random 75x75x3 images"
MKL_CBWR=AUTO,STRICT java "${djl[@]}" -cp "$cp" org.darkscope.bench.TrainBenchmark image-cvae "$image_events" 3 128 image:3x75x75 2>/dev/null \
  | tee "$out/train-image-cvae-java.txt" | grep -v RESULT
"$PY" "$root/bench/torch_train.py" image-cvae "$image_events" 3 128 | tee "$out/train-image-cvae-torch.txt" | grep -v RESULT

echo "== density and distance detectors on their default encoding (the bundled background, jittered up to 100,000 events)"
for d in knn kde exceedance gmm flow; do
  # kde sums every training event's kernel for every event scored: 20,000 to fit on, 20,000 to score (kde, knn and exceedance validate
  # nothing and fit on every event; gmm and flow hold 20 % back)
  sizes="100000 100000"; [ "$d" = kde ] && sizes="20000 20000"
  MKL_CBWR=AUTO,STRICT java "${djl[@]}" -cp "$cp" -Dbench.out="$out" org.darkscope.bench.DetectorBenchmark "$d" "$sample" $sizes 2>/dev/null \
    | tee "$out/detector-$d.txt" | grep -v RESULT
done
"$PY" "$root/bench/knn_peer.py" "$out/detector-knn-features.bin" 10 | tee "$out/detector-knn-peer.txt" | grep -v RESULT
"$PY" "$root/bench/kde_peer.py" "$out/detector-kde-features.bin" | tee "$out/detector-kde-peer.txt" | grep -v RESULT

echo "== the statistical errors of the figures of merit (bootstrap, 200 replicates, and the asymptotic formulas) for a million background and 100,000 signal events"
java -cp "$cp" org.darkscope.bench.ErrorsBenchmark 1000000 100000 | tee "$out/errors.txt" | grep -v RESULT

# Scoring, end to end: each side is timed as a whole process (JVM or interpreter start, engine
# load or imports, reading, encoding, the network, writing). score-e2e: the bundled background
# repeated 400 times (2,169,600 events with the sample of today) against the peer as the issue defines it (the plain reader
# reads the whole file, then the model scores it). score-e2e-large: BENCH_SCORE_EVENTS events
# (default 5,000,000), where the fixed start costs no longer weigh, against the peer streaming
# 65,536 events at a time (the whole-file peer would hold about 14 GB of Python lists).
model="$out/ae.model"
"$root/bin/darkscope" train --detector ae --encoding kinematic-56 --set hidden=64,16 --background "$sample" --out "$model" --epochs 20 --force >/dev/null 2>&1 # the peer's network
# Untimed warm-ups on the bundled sample, the same for both sides: each finds its libraries in the
# page cache, and darkscope's launcher has made its class-data archive for score (after the first
# run after a build), as a user's later runs find it.
for _ in 1 2; do
  "$root/bin/darkscope" score --force --model "$model" --out "$out/scores-warmup.csv" "$sample" >/dev/null 2>&1
done
"$PY" "$root/bench/python_score.py" "$sample" "$out/scores-warmup-python.csv" >/dev/null 2>&1
# wall SCORES CMD...: runs CMD; prints events (lines of SCORES), seconds and events/s
wall() {
  local scores=$1 start end
  shift
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  awk -v n="$(($(wc -l < "$scores") - 1))" -v a="$start" -v b="$end" 'BEGIN {printf "%d %.2f %.0f", n, b - a, n / (b - a)}'
}
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
# score_e2e NAME FILE RUNS [PEER OPTIONS]: times both sides on FILE, RUNS times each, one side after
# the other, and compares the median times; prints them and RESULT NAME RATIO
score_e2e() {
  local name=$1 file=$2 runs=$3 n t js=() ps=() jt pt
  shift 3
  for _ in $(seq "$runs"); do
    # each side starts with the file in the page cache (this machine's kernel reclaims idle cache)
    cat "$file" > /dev/null
    read -r n t _ <<< "$(wall "$out/scores-java.csv" "$root/bin/darkscope" score --force --model "$model" --out "$out/scores-java.csv" "$file")"
    js+=("$t")
    cat "$file" > /dev/null
    read -r _ t _ <<< "$(wall "$out/scores-python.csv" "$PY" "$root/bench/python_score.py" "$file" "$out/scores-python.csv" "$@")"
    ps+=("$t")
  done
  jt=$(median "${js[@]}")
  pt=$(median "${ps[@]}")
  echo "$name: $n events; darkscope score $jt s ($(awk -v n="$n" -v t="$jt" 'BEGIN {printf "%.0f", n / t}') events/s), Python pipeline${1:+ $*} $pt s ($(awk -v n="$n" -v t="$pt" 'BEGIN {printf "%.0f", n / t}') events/s); median of $runs (darkscope ${js[*]} s; Python ${ps[*]} s)" | tee "$out/$name.txt"
  echo "RESULT $name $(ratio "$pt" "$jt")" >> "$out/$name.txt"
}
scorefile="$out/score.csv.gz"
repeated "$scorefile" $((400 * per))
echo "== score end to end (.csv.gz to scores file, process start to end), ae"
score_e2e score-e2e "$scorefile" "${BENCH_SCORE_RUNS:-5}"

score_events=${BENCH_SCORE_EVENTS:-5000000}
large="$out/large.csv.gz"
repeated "$large" "$score_events"
score_e2e score-e2e-large "$large" 1 --chunk 65536

echo "== ONNX Runtime against darkscope's own network (ae exported, darkscope score end to end)"
"$root/bench/onnx.sh" | tee "$out/onnx.txt" | grep -v ' ratio '

# The trigger path: events decided one by one on one thread, 1,000,000 events sent over a local
# socket by bench/trigger_client.py, which reads the decisions back (the threshold, calibrated at
# 1 % of the bundled background, sets only how much is written: this times the path and judges
# nothing, so the model's own training sample is allowed here).
echo "== trigger run (ae, one event at a time, 1,000,000 events from a local socket)"
trigger_events="$out/trigger-events.csv"
repeated "$out/million.csv.gz" 1000000
[ -f "$trigger_events" ] || zcat "$out/million.csv.gz" > "$trigger_events"
"$root/bin/darkscope" trigger calibrate --model "$model" --background "$sample" --input-rate 1e6 --rate 1e4 \
  --allow-training-overlap --json "$out/trigger-calibration.json" > /dev/null 2>&1
threshold=$("$PY" -c "import json; print(json.load(open('$out/trigger-calibration.json'))['threshold'])")
rm -f "$out/trigger-kept.csv"
port=$("$PY" -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1]); s.close()")
"$root/bin/darkscope" trigger run --model "$model" --threshold "$threshold" --listen "127.0.0.1:$port" \
  --accepted "$out/trigger-kept.csv" --json "$out/trigger-run.json" 2> "$out/trigger-run.txt" &
"$PY" "$root/bench/trigger_client.py" 127.0.0.1 "$port" "$trigger_events"
wait
grep '^trigger:' "$out/trigger-run.txt"

echo "== Spark local mode ($(nproc) cores) against single-process score: same model, same files"
"$root/bench/spark-score.sh" "$model" | tee "$out/spark.txt" | grep -v ' ratio '

if [ "${BENCH_MEMORY:-1}" = 1 ]; then
  BENCH_SCORE_EVENTS=$score_events "$root/bench/memory.sh" | tee "$out/memory.txt" | grep -v '^memory-'
fi

echo
ji=$(result "$out/ingest-java.txt" ingest_events_per_s)
j1=$(result "$out/ingest-java.txt" ingest_1thread_events_per_s)
jn=$(result "$out/ingest-java.txt" ingest_allcores_events_per_s)
py=$(result "$out/ingest-python.txt" python_ingest_events_per_s)
for d in ae vae conv-vae image-cvae; do
  echo "train-$d ratio $(ratio "$(result "$out/train-$d-java.txt" "train_${d}_events_per_s")" "$(result "$out/train-$d-torch.txt" "torch_train_${d}_events_per_s")")"
done
echo "knn-score ratio $(ratio "$(result "$out/detector-knn.txt" score_knn_events_per_s)" "$(result "$out/detector-knn-peer.txt" scipy_knn_events_per_s)")"
echo "kde-score ratio $(ratio "$(result "$out/detector-kde.txt" score_kde_events_per_s)" "$(result "$out/detector-kde-peer.txt" scipy_kde_events_per_s)")"
for d in knn kde exceedance gmm flow; do
  echo "$d train-events-per-s $(result "$out/detector-$d.txt" "train_${d}_events_per_s") score-events-per-s $(result "$out/detector-$d.txt" "score_${d}_events_per_s")"
done
echo "score-e2e ratio $(result "$out/score-e2e.txt" score-e2e)"
echo "score-e2e-large ratio $(result "$out/score-e2e-large.txt" score-e2e-large)"
"$PY" -c "import json; r = json.load(open('$out/trigger-run.json')); l = r['latency_us']; \
print('trigger-run events-per-s %.0f p50-us %.1f p99-us %.1f p999-us %.1f' % (r['events_per_second'], l['p50'], l['p99'], l['p999']))"
grep ' ratio ' "$out/onnx.txt"
echo "ingest ratio $(ratio "$ji" "$py")"
grep ' ratio ' "$out/spark.txt"
echo "ingest-1thread ratio $(ratio "$j1" "$py")"
echo "ingest-allcores ratio $(ratio "$jn" "$py")"
if [ "${BENCH_MEMORY:-1}" = 1 ]; then
  grep '^memory-' "$out/memory.txt" # per detector: peak RSS in MB scoring 1,000,000 and $score_events events, -Xmx256m
fi
