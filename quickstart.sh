#!/usr/bin/env bash
# Runs the whole system on this machine: embedded Kafka broker and MariaDB, the Flink job on a
# MiniCluster (web UI), compaction, the API server and dashboard, and a load generator.
# Needs only a JDK 17+. Options: see quickstart/README.md, e.g. ./quickstart.sh --loadgen.rate=2000
set -euo pipefail
cd "$(dirname "$0")"

./mvnw -B -q install -DskipTests -pl quickstart,batch-compaction -am

exec java -Xmx3g \
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
  --add-opens=java.base/java.math=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED \
  --add-opens=java.sql/java.sql=ALL-UNNAMED \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dorg.slf4j.simpleLogger.log.io.deliverymetrics=info \
  -Dorg.slf4j.simpleLogger.log.org.apache.kafka=error -Dorg.slf4j.simpleLogger.log.org.apache.flink=error \
  -cp "quickstart/target/classes:$(cat quickstart/target/quickstart.classpath)" \
  io.deliverymetrics.quickstart.QuickstartMain "$@"
