#!/usr/bin/env bash
# darkscope's signal-agnostic protocol, as run to choose the defaults (README, "How the defaults
# were chosen"; docs/choosing-defaults.md): no signal is read. The bundled public background is
# split in file order, 60 % to train on and 40 % held out; `benchmark --distortions` trains every
# candidate and judges it on the held-out background against five generic distortions of it; the
# run is repeated for three training seeds, and bench/protocol_summary.py prints the mean AUC over
# the distortions with its standard error and the candidates equivalent to the best.
# PROTOCOL_SEEDS (default "1 2 3"), PROTOCOL_DETECTORS (default: the list below) and PROTOCOL_OUT (default
# bench/out/protocol) change the run.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="${PROTOCOL_OUT:-$root/bench/out/protocol}"
mkdir -p "$out"
sample="$root/data/sample/chan1/background_train.csv.gz"
zcat "$sample" > "$out/background.csv"
n=$(wc -l < "$out/background.csv")
cut=$(( (n * 6 + 5) / 10 ))
head -n "$cut" "$out/background.csv" | gzip > "$out/train.csv.gz"
tail -n +"$((cut + 1))" "$out/background.csv" | gzip > "$out/held-out.csv.gz"
rm "$out/background.csv"
# encodings (each dense detector on its default, event-level-no-njet, on event-level and on the two images), then
# detectors and their settings
detectors=${PROTOCOL_DETECTORS:-ht,met,\
knn:encoding=kinematic-56,knn:encoding=kinematic-sym,knn:encoding=event-level,knn,\
ae:encoding=kinematic-56,ae:encoding=kinematic-sym,ae:encoding=event-level,ae,\
iforest:encoding=kinematic-56,iforest:encoding=kinematic-sym,iforest:encoding=event-level,iforest,\
flow:encoding=kinematic-56,flow:encoding=kinematic-sym,flow:encoding=event-level,\
kde,kde:encoding=event-level,combined:members=flow+kde:rule=or,\
knn:k=3,knn:k=30,gmm,gmm:components=8,\
flow:layers=2:hidden=32+32,flow:layers=2:hidden=64+64,flow:layers=4:hidden=32+32,flow:layers=4:hidden=64+64,\
flow:layers=2:hidden=32+32:bins=16,maf,ae:hidden=64+2,ae:hidden=128+2,ae:hidden=64+16,\
vae,vae:hidden=64+32:latent=2,vae:hidden=64+32:latent=3,vae:hidden=64+32:latent=8,deep-svdd,deep-svdd:hidden=64+32+16,\
conv-vae:encoding=conv-14x4,conv-vae,\
combined:members=flow+knn:rule=average,combined:members=maf+knn:rule=average,combined:members=flow+deep-svdd:rule=product,\
combined:members=flow+gmm:rule=average,combined:members=flow+gmm:rule=product,combined:members=flow+gmm:rule=or,\
combined:members=flow+maf:rule=product,combined:members=flow+maf:rule=or,\
combined:members=flow+gmm+maf:rule=product,combined:members=flow+gmm+maf:rule=or,\
flow:noise=0.05,flow:units=encoding,maf:units=encoding,gmm:units=encoding}
results=()
for seed in ${PROTOCOL_SEEDS:-1 2 3}; do
  echo "== seed $seed" >&2
  rm -rf "$out/seed$seed"
  "$root/bin/darkscope" benchmark --train "$out/train.csv.gz" --background "$out/held-out.csv.gz" --distortions \
    --detectors "$detectors" --epochs 60 --batch-size 128 --seed "$seed" --out "$out/seed$seed" > "$out/seed$seed.log" 2>&1
  results+=("$out/seed$seed/results.json")
done
python3 "$root/bench/protocol_summary.py" "${results[@]}" | tee "$out/summary.txt"
