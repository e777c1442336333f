#!/usr/bin/env bash
# Runs the benchmark suite and writes bench/REPORT.md (see bench/README.md).
#   bench/run.sh                 # full suite, roughly 65–75 min on 2 cores
#   bench/run.sh --mode smoke    # tiny sizes, proves everything runs (~3 min)
#   bench/run.sh --only freshness,state --report /tmp/report.md   # a subset (see README)
# Needs only a JDK 17+: it builds what it needs and starts its own Kafka broker and MariaDB.
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -B -q install -DskipTests -pl bench -am

# The benchmark's JVM hosts the Flink MiniCluster, so its heap is fixed and touched up front like
# a TaskManager's (Flink starts those with -Xms = -Xmx): a heap G1 grows and shrinks between runs
# commits fresh pages again and again, which on a VM costs page faults in the measured spans (818
# collections instead of 169 in one streaming run here, and every variant's CPU per record higher).
# Pre-touching 6 GiB takes about 20 s; the smoke mode keeps the JVM's defaults.
heap="-Xms6g -Xmx6g -XX:+AlwaysPreTouch"
for arg in "$@"; do
  if [[ "$arg" == "smoke" || "$arg" == "--mode=smoke" ]]; then heap="-Xmx6g"; fi
done

exec java $heap \
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
  --add-opens=java.base/java.math=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED \
  --add-opens=java.sql/java.sql=ALL-UNNAMED \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dorg.slf4j.simpleLogger.log.io.deliverymetrics.bench=info \
  -Dorg.slf4j.simpleLogger.log.io.deliverymetrics.loadgen=info \
  -Dorg.slf4j.simpleLogger.log.org.apache.kafka=error -Dorg.slf4j.simpleLogger.log.org.apache.flink=error \
  -cp "bench/target/classes:$(cat bench/target/bench.classpath)" \
  io.deliverymetrics.bench.BenchMain "$@"
