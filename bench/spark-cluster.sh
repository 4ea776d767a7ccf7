#!/usr/bin/env bash
# darkscope's Spark jobs on a Spark standalone cluster on this machine: a master and two workers,
# each a JVM of its own bound to 127.0.0.1, started from the Spark jars the build keeps
# (darkscope-spark/target/spark-lib; no Spark distribution is downloaded). Scores the bundled
# sample on the cluster with spark-submit's way of giving the master (--master spark://...),
# evaluates and searches, checks the scores against darkscope score, and stops every process it
# started, also when a step fails. The same as the test SparkClusterTest, by hand.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
pids=()
stop() {
  for p in "${pids[@]}"; do pkill -9 -P "$p" 2>/dev/null || true; kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap stop EXIT
[ -f "$root/darkscope-spark/target/darkscope-spark.jar" ] || (cd "$root" && mvn -q -B -DskipTests package -pl darkscope-spark -am)
mkdir -p "$work/spark-home/jars"
for f in "$root"/darkscope-spark/target/spark-lib/*.jar "$root"/darkscope-spark/target/lib/*.jar "$root"/darkscope-spark/target/darkscope-spark.jar; do
  ln -s "$f" "$work/spark-home/jars/"
done
opens="-XX:+IgnoreUnrecognizedVMOptions"
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  opens="$opens --add-opens=java.base/$p=ALL-UNNAMED"
done
port() { python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1]); s.close()"; }
master_port=$(port); web_port=$(port)
export SPARK_HOME="$work/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
# shellcheck disable=SC2086
java $opens -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$master_port" \
  --webui-port "$web_port" > "$work/master.log" 2>&1 & pids+=($!); disown
for w in 1 2; do
  # shellcheck disable=SC2086
  java $opens -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 --memory 1g \
    --webui-port "$(port)" --work-dir "$work/work-$w" "spark://127.0.0.1:$master_port" > "$work/worker-$w.log" 2>&1 & pids+=($!); disown
done
for _ in $(seq 120); do
  curl -s "http://127.0.0.1:$web_port/json/" 2>/dev/null | grep -q '"aliveworkers" *: *2' && break
  sleep 0.5
done
echo "spark-cluster: master spark://127.0.0.1:$master_port, two workers of one core"
sample="$root/data/sample/chan1"
signal="$sample/monojet_Zp2000.0_DM_50.0.csv.gz"
zcat "$sample/background_train.csv.gz" > "$work/background.csv"
n=$(wc -l < "$work/background.csv")
head -n $((n * 3 / 5)) "$work/background.csv" > "$work/train.csv"
tail -n +$((n * 3 / 5 + 1)) "$work/background.csv" > "$work/held.csv"
half=$(( $(wc -l < "$work/held.csv") / 2 ))
head -n "$half" "$work/held.csv" > "$work/reference.csv"
tail -n +$((half + 1)) "$work/held.csv" > "$work/data.csv"
master="spark://127.0.0.1:$master_port"
"$root/bin/darkscope" train --detector ae --background "$work/train.csv" --out "$work/ae.model" --epochs 10 >/dev/null 2>&1
"$root/bin/darkscope" score --model "$work/ae.model" --out "$work/single.csv" "$signal" >/dev/null 2>&1
"$root/bin/darkscope" spark score --master "$master" --model "$work/ae.model" --out "$work/scores" "$signal"
single=$(tail -n +2 "$work/single.csv" | cut -d, -f1,4 | sort | md5sum)
cluster=$(tail -q -n +2 "$work"/scores/csv/part-*.csv | cut -d, -f2,5 | sort | md5sum)
if [ "$single" = "$cluster" ]; then echo "spark-cluster: scores identical to darkscope score"; else echo "spark-cluster: scores differ" >&2; exit 1; fi
"$root/bin/darkscope" spark evaluate --master "$master" --model "$work/ae.model" --background "$work/held.csv" --signal "$signal"
"$root/bin/darkscope" spark search --master "$master" --model "$work/ae.model" --background "$work/reference.csv" --data "$work/data.csv" --toys 500
