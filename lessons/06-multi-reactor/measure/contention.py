"""Sums the contended lock waits of lesson 06's threads in JFR recordings, by where they waited.

Each jdk.ThreadPark (a ReentrantLock, such as the room's) and jdk.JavaMonitorEnter (a synchronized
block, such as the selector's wakeup lock) is attributed to the innermost frame of the project's
code and, after '<', the nearest frame that says what the thread was doing (receive, join, ...).
Usage: python3 contention.py loops-1.jfr loops-2.jfr ...  (the jfr tool must be on the PATH or in
$JAVA_HOME/bin)
"""
import collections
import json
import os
import subprocess
import sys

JFR = os.path.join(os.environ["JAVA_HOME"], "bin", "jfr") if "JAVA_HOME" in os.environ else "jfr"
DOING = ("receive", "join", "leave", "flush", "register", "onReadable")


def frames_of(event):
    trace = event["values"].get("stackTrace") or {}
    return [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"]
            for f in trace.get("frames", [])]


def seconds(duration):
    # JFR's JSON writes durations as ISO-8601, e.g. PT0.000012S
    return float(duration[2:-1]) if duration.startswith("PT") and duration.endswith("S") else 0.0


for path in sys.argv[1:]:
    printed = subprocess.run([JFR, "print", "--json", "--stack-depth", "64",
                              "--events", "jdk.ThreadPark,jdk.JavaMonitorEnter", path],
                             capture_output=True, text=True, check=True).stdout
    totals = collections.defaultdict(lambda: [0, 0.0])
    for event in json.loads(printed)["recording"]["events"]:
        thread = (event["values"].get("eventThread") or {}).get("javaName", "")
        if not thread.startswith("multi-reactor"):
            continue
        frames = frames_of(event)
        ours = [f for f in frames if f.startswith("dev.socketchat")]
        where = ours[0] if ours else (frames[0] if frames else "?")
        doing = next((f for f in ours if f.rsplit(".", 1)[1] in DOING), "")
        total = totals[(event["type"], where + (" < " + doing if doing else ""))]
        total[0] += 1
        total[1] += seconds(event["values"]["duration"])
    print(path)
    for (kind, where), (count, waited) in sorted(totals.items(), key=lambda item: -item[1][0]):
        print(f"  {kind:22} {where:90} {count:7d} waits {waited * 1000:9.1f} ms")
