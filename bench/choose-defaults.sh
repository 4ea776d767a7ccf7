#!/usr/bin/env bash
# darkscope's signal-agnostic protocol, as run to choose the defaults (README, "How the defaults
# were chosen"; docs/choosing-defaults.md): no signal is read. The bundled public background is
# split in file order, 60 % to train on and 40 % held out; `benchmark --distortions` trains every
# candidate and judges it on the held-out background against five generic distortions of it; the
# run is repeated for three training seeds, and bench/protocol_summary.py prints the mean AUC over
# the distortions with its standard error and the candidates equivalent to the best.
# PROTOCOL_SEEDS (default "1 2 3"), PROTOCOL_DETECTORS (default: the list below) and PROTOCOL_OUT (default
# bench/out/protocol) change the run; PROTOCOL_SPLIT asks whether a choice holds on another split of the
# same sample: file (the default: the first 60 % of the file to train on), reversed (the last 60 %) or
# spread (events 1, 2, 3 of every five to train on, 4 and 5 held out).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="${PROTOCOL_OUT:-$root/bench/out/protocol}"
mkdir -p "$out"
sample="$root/data/sample/chan1/background_train.csv.gz"
zcat "$sample" > "$out/background.csv"
n=$(wc -l < "$out/background.csv")
cut=$(( (n * 6 + 5) / 10 ))
case "${PROTOCOL_SPLIT:-file}" in
  file) head -n "$cut" "$out/background.csv" | gzip > "$out/train.csv.gz"
        tail -n +"$((cut + 1))" "$out/background.csv" | gzip > "$out/held-out.csv.gz" ;;
  reversed) tail -n "$cut" "$out/background.csv" | gzip > "$out/train.csv.gz"
            head -n "$((n - cut))" "$out/background.csv" | gzip > "$out/held-out.csv.gz" ;;
  spread) awk 'NR % 5 >= 1 && NR % 5 <= 3' "$out/background.csv" | gzip > "$out/train.csv.gz"
          awk 'NR % 5 == 4 || NR % 5 == 0' "$out/background.csv" | gzip > "$out/held-out.csv.gz" ;;
  *) echo "PROTOCOL_SPLIT must be file, reversed or spread, not ${PROTOCOL_SPLIT}" >&2; exit 2 ;;
esac
rm "$out/background.csv"
# the candidates as they stand: the cuts; every detector with its defaults (the dense ones on
# event-level-no-njet); the other encodings; the settings tried around each default; combinations
detectors=${PROTOCOL_DETECTORS:-ht,met,\
combined,kde,exceedance,flow,maf,gmm,knn,iforest,ae,vae,deep-svdd,conv-vae,\
combined:encoding=event-level,kde:encoding=event-level,flow:encoding=event-level,maf:encoding=event-level,\
gmm:encoding=event-level,knn:encoding=event-level,iforest:encoding=event-level,ae:encoding=event-level,\
vae:encoding=event-level,deep-svdd:encoding=event-level,\
knn:encoding=kinematic-56,knn:encoding=kinematic-sym,ae:encoding=kinematic-56,ae:encoding=kinematic-sym,\
iforest:encoding=kinematic-56,iforest:encoding=kinematic-sym,flow:encoding=kinematic-56,flow:encoding=kinematic-sym,\
conv-vae:encoding=conv-14x4,deep-svdd:encoding=object-set,deep-svdd:encoding=object-set:hidden=32+16,\
kde:bandwidth=0.5,kde:bandwidth=0.75,kde:bandwidth=1.5,kde:units=encoding,knn:k=3,knn:k=30,\
gmm:components=8,gmm:units=encoding,\
flow:layers=4:hidden=32+32,flow:layers=4:hidden=64+64,flow:hidden=64+64,flow:bins=16,\
flow:noise=0.05,flow:noise=0.1,flow:noise=0.5,flow:units=encoding,maf:units=encoding,\
ae:hidden=32+2,ae:hidden=64+2,ae:hidden=64+3,ae:hidden=64+16,\
vae:hidden=64+32:latent=2,vae:hidden=64+32:latent=3,vae:hidden=64+32:latent=8,\
deep-svdd:hidden=64+32+16,deep-svdd:hidden=64+32+4,\
exceedance:variables=log_met+log_ht,exceedance:variables=log_met+log_ht+n_lepton+n_bjet,\
combined:rule=product,combined:members=flow+kde+exceedance,combined:exceedance.variables=log_met+log_ht,\
combined:members=flow+kde,combined:members=flow+maf,combined:members=kde+gmm,combined:members=flow+gmm,\
combined:members=gmm+exceedance,combined:members=maf+exceedance,combined:members=flow+exceedance,\
combined:members=knn+exceedance,combined:members=iforest+exceedance,\
combined:kde.bandwidth=0.5,combined:kde.bandwidth=0.75,combined:kde.bandwidth=1.5,combined:kde.units=encoding,\
combined:members=flow+deep-svdd:rule=product}
results=()
for seed in ${PROTOCOL_SEEDS:-1 2 3}; do
  echo "== seed $seed" >&2
  rm -rf "$out/seed$seed"
  "$root/bin/darkscope" benchmark --train "$out/train.csv.gz" --background "$out/held-out.csv.gz" --distortions \
    --detectors "$detectors" --epochs 60 --batch-size 128 --seed "$seed" --out "$out/seed$seed" > "$out/seed$seed.log" 2>&1
  results+=("$out/seed$seed/results.json")
done
python3 "$root/bench/protocol_summary.py" "${results[@]}" | tee "$out/summary.txt"
