#!/usr/bin/env bash
# spark score in local mode against darkscope score: the same model ($1, default the ae bundle
# bench/run.sh trains), the same files, the same cores. BENCH_SPARK_FILES gzip files (default 16)
# of BENCH_SPARK_FILE_EVENTS events each (default 500,000: 8,000,000 events), enough that Spark's
# tasks run long past their start. Each side's events/s is its own printed rate: darkscope score's
# from reading its first event to writing its last score; spark score's over its job (reading,
# scoring, the Parquet output committed), without the Spark session's start (a fixed few
# seconds, printed beside it). Median of three runs each.
# Then the same events converted to Parquet (spark convert, once) and scored from there.
# Prints "spark-score ratio X" (Spark's events/s over darkscope score's; the same cores, so per core)
# and "spark-score-parquet ratio X" (Spark reading the Parquet).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$root/bench/out"
mkdir -p "$out"
source "$root/bench/lib.sh" # sample, per, result, repeated
model=${1:-$out/spark-ae.model}
[ -d "$model" ] || "$root/bin/darkscope" train --detector ae --background "$sample" --out "$model" --epochs 20 >/dev/null 2>&1
files=${BENCH_SPARK_FILES:-16}
per_file=${BENCH_SPARK_FILE_EVENTS:-500000}
parts="$out/spark-parts"
repeated "$out/spark-part.csv.gz" "$per_file"
if [ "$(cat "$parts/source" 2>/dev/null)" != "$files x $per_file" ]; then
  rm -rf "$parts" && mkdir -p "$parts"
  for i in $(seq -w 1 "$files"); do cp "$out/spark-part.csv.gz" "$parts/part-$i.csv.gz"; done
  echo "$files x $per_file" > "$parts/source"
fi
median() { sort -n | sed -n 2p; }
single=$(for _ in 1 2 3; do
  "$root/bin/darkscope" score --force --model "$model" --out "$out/spark-single.csv" "$parts"/*.csv.gz 2>/dev/null \
    | grep -o '([0-9]* events/s)' | tr -dc '0-9'; echo
done | median)
rm -f "$out/spark-single.csv"
rm -f "$out/spark-score.txt"
spark=$(for _ in 1 2 3; do
  rm -rf "$out/spark-scores"
  "$root/bin/darkscope" spark score --master "local[$(nproc)]" --model "$model" --out "$out/spark-scores" "$parts" 2>/dev/null \
    | tee -a "$out/spark-score.txt" | grep -o '([0-9]* events/s)' | tr -dc '0-9'; echo
done | median)
start=$(grep -o 'after [0-9.]* s starting' "$out/spark-score.txt" | tail -1 | tr -dc '0-9.')
# The same events as Parquet (spark convert, once), scored the same way.
parquet="$out/spark-parts.parquet"
if [ "$(cat "$out/spark-parts.parquet.source" 2>/dev/null)" != "$files x $per_file" ]; then
  rm -rf "$parquet"
  "$root/bin/darkscope" spark convert --master "local[$(nproc)]" --out "$parquet" "$parts" >/dev/null 2>&1
  echo "$files x $per_file" > "$out/spark-parts.parquet.source"
fi
spark_parquet=$(for _ in 1 2 3; do
  rm -rf "$out/spark-scores"
  "$root/bin/darkscope" spark score --master "local[$(nproc)]" --model "$model" --out "$out/spark-scores" "$parquet" 2>/dev/null \
    | grep -o '([0-9]* events/s)' | tr -dc '0-9'; echo
done | median)
events=$((files * per_file))
echo "spark: $events events in $files files, $(nproc) cores: darkscope score $single events/s, spark score (local[$(nproc)], Parquet) $spark events/s after ${start} s starting Spark (medians of 3)"
echo "spark: the same events as Parquet (spark convert): spark score $spark_parquet events/s"
echo "spark-score ratio $(awk -v a="$spark" -v b="$single" 'BEGIN {printf "%.2f", a / b}')"
echo "spark-score-parquet ratio $(awk -v a="$spark_parquet" -v b="$single" 'BEGIN {printf "%.2f", a / b}')"
