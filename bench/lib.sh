# What bench/run.sh and bench/memory.sh share; sourced, with $root set to the repository.
sample="$root/data/sample/chan1/background_train.csv.gz"
per=$(zcat "$sample" | wc -l) # events in the bundled background
# result FILE KEY: the value of the line "RESULT KEY VALUE" in FILE
result() { awk -v k="$2" '$1 == "RESULT" && $2 == k {print $3}' "$1"; }
# repeated FILE EVENTS: the bundled background repeated into FILE up to EVENTS events (kept between runs)
repeated() {
  if [ ! -f "$1" ] || [ "$(cat "$1.events" 2>/dev/null)" != "$2" ]; then
    set +o pipefail # head closes the pipe early on purpose
    for _ in $(seq $(( ($2 + per - 1) / per ))); do zcat "$sample"; done | head -n "$2" | gzip -6 > "$1"
    set -o pipefail
    echo "$2" > "$1.events"
  fi
}
