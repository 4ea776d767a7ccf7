#!/usr/bin/env bash
# darkscope benchmarks, each side by side with its Python peer on the same machine, same load.
# Prints a table and, last, one line per comparison: "NAME ratio X" (darkscope over peer).
# Installs what it needs: Debian's python3-numpy (and python3-torch for the network peers).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$root/bench/out"
mkdir -p "$out"
PY=/usr/bin/python3   # Debian's own interpreter, where python3-numpy and python3-torch live

if ! "$PY" -c "import numpy" 2>/dev/null; then
  echo "installing python3-numpy from Debian ..." >&2
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-numpy >/dev/null
  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-numpy >/dev/null; fi
fi

(cd "$root" && mvn -q -B -DskipTests package)
cp="$root/darkscope-cli/target/darkscope-cli.jar:$root/darkscope-cli/target/lib/*"

# A file large enough to time: the bundled background repeated (the sample itself is small).
copies=${BENCH_COPIES:-200}
big="$out/ingest.csv.gz"
if [ ! -f "$big" ] || [ "$(cat "$out/ingest.copies" 2>/dev/null)" != "$copies" ]; then
  sample="$root/data/sample/chan1/background_train.csv.gz"
  for _ in $(seq "$copies"); do zcat "$sample"; done | gzip -6 > "$big"
  echo "$copies" > "$out/ingest.copies"
fi

echo "== ingest: $(du -h "$big" | cut -f1) gzip, $(nproc) cores, $(date -u +%F)"
java -cp "$cp" org.darkscope.bench.IngestBenchmark "$big" 3 | tee "$out/ingest-java.txt"
"$PY" "$root/bench/python_reader.py" "$big" 1 | tee "$out/ingest-python.txt"

java1=$(awk '/RESULT ingest_1core_events_per_s/ {print $3}' "$out/ingest-java.txt")
javaN=$(awk '/RESULT ingest_allcores_events_per_s/ {print $3}' "$out/ingest-java.txt")
py=$(awk '/RESULT python_ingest_events_per_s/ {print $3}' "$out/ingest-python.txt")
echo
echo "ingest ratio $(awk -v a="$java1" -v b="$py" 'BEGIN {printf "%.1f", a / b}')"
echo "ingest-allcores ratio $(awk -v a="$javaN" -v b="$py" 'BEGIN {printf "%.1f", a / b}')"
