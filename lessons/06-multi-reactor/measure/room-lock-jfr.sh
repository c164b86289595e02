#!/usr/bin/env bash
# Records where lesson 06's loop threads wait for a lock, at one --loops setting, under a broadcast
# load: 200 clients sending 1,000 chat messages a second in all, each delivered to all 200 (200,000
# frames a second), for 25 seconds. Every contended lock is recorded, however short the wait
# (thresholds 0 ms). Run from the repository root, with JAVA_HOME or the PATH giving a JDK 21 or
# newer, after ./chat has built cli/target/chat.jar:
#
#   lessons/06-multi-reactor/measure/room-lock-jfr.sh 2 /tmp/jfr   # writes /tmp/jfr/loops-2.jfr
#   python3 lessons/06-multi-reactor/measure/contention.py /tmp/jfr/loops-*.jfr
set -euo pipefail
loops=$1
out=${2:-.}
port=$((5600 + loops))
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
jcmd=${JAVA_HOME:+$JAVA_HOME/bin/}jcmd
mkdir -p "$out"
"$java" "-XX:StartFlightRecording:jdk.ThreadPark#threshold=0ms,jdk.JavaMonitorEnter#threshold=0ms" \
  -jar cli/target/chat.jar server --model multi-reactor --loops "$loops" --port "$port" --quiet --no-notices \
  > "$out/server-$loops.log" 2>&1 &
server=$!
until grep -q listening "$out/server-$loops.log"; do
  kill -0 "$server" 2> /dev/null || { cat "$out/server-$loops.log" >&2; exit 1; }
  sleep 0.2
done
timeout -s TERM 25 "$java" -jar cli/target/chat.jar load --clients 200 --chat 1000 --port "$port" \
  > "$out/load-$loops.log" 2>&1 || true
# Dumped while the server runs: the launcher's exit does not wait for a recording to be written.
"$jcmd" "$server" JFR.dump name=1 filename="$(cd "$out" && pwd)/loops-$loops.jfr" > /dev/null
kill -TERM "$server"
wait "$server"
