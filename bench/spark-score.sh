#!/usr/bin/env bash
# spark score in local mode against darkscope score: the same model ($1, default the ae bundle
# bench/run.sh trains), the same files, the same cores. BENCH_SPARK_FILES gzip files (default 16)
# of BENCH_SPARK_FILE_EVENTS events each (default 500,000: 8,000,000 events). At this size the
# compiler's warm-up of the first job (3-6 s of a 15-18 s job on 2 cores) still weighs on Spark's rate;
# a larger data set gives a higher one. Each side's events/s is its own printed rate: darkscope score's
# from reading its first event to writing its last score; spark score's over its job (reading,
# scoring, the Parquet output committed), without the Spark session's start (a fixed few
# seconds, printed beside it). BENCH_SPARK_ROUNDS rounds (default 5) of one run each, side by
# side; the ratio is the median of the rounds' ratios.
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
if [ "$(cat "$parts/source" 2>/dev/null)" != "$files x $per_file, distinct IDs" ]; then
  rm -rf "$parts" && mkdir -p "$parts"
  # each part its own events (the IDs prefixed with the part's number): darkscope score refuses one file given twice
  for i in $(seq -w 1 "$files"); do zcat "$out/spark-part.csv.gz" | sed "s/^/p$i-/" | gzip -1 > "$parts/part-$i.csv.gz"; done
  echo "$files x $per_file, distinct IDs" > "$parts/source"
fi
rate() { grep -o '([0-9]* events/s)' | tr -dc '0-9'; }
# One run of each first, unmeasured: each command's class-data archive is made on its first run
# after a build (bin/darkscope), and a measured run should not pay for it.
"$root/bin/darkscope" score --force --model "$model" --out "$out/spark-single.csv" "$parts/part-01.csv.gz" >/dev/null 2>&1
rm -rf "$out/spark-scores"
"$root/bin/darkscope" spark score --master "local[$(nproc)]" --model "$model" --out "$out/spark-scores" "$parts/part-01.csv.gz" >/dev/null 2>&1
# Rounds of one run each, the two side by side, so that a slower spell of the machine (rates here
# move by 30 % over minutes) meets both: the ratio is the median of the rounds' ratios.
rounds=${BENCH_SPARK_ROUNDS:-5}
rm -f "$out/spark-score.txt" "$out/spark-rounds.txt"
for _ in $(seq "$rounds"); do
  single=$("$root/bin/darkscope" score --force --model "$model" --out "$out/spark-single.csv" "$parts"/*.csv.gz 2>/dev/null | rate)
  rm -rf "$out/spark-scores"
  spark=$("$root/bin/darkscope" spark score --master "local[$(nproc)]" --model "$model" --out "$out/spark-scores" "$parts" 2>/dev/null \
    | tee -a "$out/spark-score.txt" | rate)
  echo "$single $spark" >> "$out/spark-rounds.txt"
done
rm -f "$out/spark-single.csv"
start=$(grep -o "start [0-9.]* s" "$out/spark-score.txt" | tr -dc '0-9.\n' | sort -n | sed -n "$(( (rounds + 1) / 2 ))p")
# The same events as Parquet (spark convert, once), scored the same way, side by side with darkscope score again.
parquet="$out/spark-parts.parquet"
if [ "$(cat "$out/spark-parts.parquet.source" 2>/dev/null)" != "$files x $per_file" ]; then
  rm -rf "$parquet"
  "$root/bin/darkscope" spark convert --master "local[$(nproc)]" --out "$parquet" "$parts" >/dev/null 2>&1
  echo "$files x $per_file" > "$out/spark-parts.parquet.source"
fi
rm -f "$out/spark-rounds-parquet.txt"
for _ in $(seq "$rounds"); do
  single=$("$root/bin/darkscope" score --force --model "$model" --out "$out/spark-single.csv" "$parts"/*.csv.gz 2>/dev/null | rate)
  rm -rf "$out/spark-scores"
  spark=$("$root/bin/darkscope" spark score --master "local[$(nproc)]" --model "$model" --out "$out/spark-scores" "$parquet" 2>/dev/null | rate)
  echo "$single $spark" >> "$out/spark-rounds-parquet.txt"
done
rm -rf "$out/spark-single.csv" "$out/spark-scores"
# median of a column of numbers
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
summary() { # FILE: median rates, the median ratio and the rounds' range of ratios
  awk '{print $1}' "$1" | median; awk '{print $2}' "$1" | median
  awk '{printf "%.3f\n", $2 / $1}' "$1" | median; awk '{printf "%.2f\n", $2 / $1}' "$1" | sort -g | sed -n '1p;$p'
}
mapfile -t csv < <(summary "$out/spark-rounds.txt")
mapfile -t pq < <(summary "$out/spark-rounds-parquet.txt")
events=$((files * per_file))
echo "spark: $events events in $files files, $(nproc) cores, $rounds rounds: darkscope score ${csv[0]} events/s, spark score (local[$(nproc)], Parquet out) ${csv[1]} events/s, Spark's start ${start} s apart (medians)"
echo "spark: the same events as Parquet (spark convert): spark score ${pq[1]} events/s (darkscope score ${pq[0]} beside it)"
echo "spark-score ratio $(printf '%.2f' "${csv[2]}") (rounds ${csv[3]}-${csv[4]})"
echo "spark-score-parquet ratio $(printf '%.2f' "${pq[2]}") (rounds ${pq[3]}-${pq[4]})"
