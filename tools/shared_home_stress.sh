#!/usr/bin/env bash
# Two scripted interviews in a loop and a reader loop (progress, sessions list, report) on one data home, as
# issue 17 ran them; prints how many runs failed and what the database holds afterwards.
# usage: tools/shared_home_stress.sh HOME RUNS   (RUNS interviews per writer; RUNS x 3 reader commands)
set -uo pipefail
home=${1:?data home}; runs=${2:-10}
py=${PYTHON:-$(dirname "$0")/../.venv/bin/python}
answers=$(mktemp)
trap 'rm -f "$answers"' EXIT
printf '%s\n---\n%s\n---\n/skip\n---\n%s\n---\n%s\n' \
  "Overfitting is when the model memorises noise; I watch the gap between training and validation loss." \
  "I start with a simple baseline, write unit tests for the feature pipeline and monitor drift." \
  "Bagging trains models independently on bootstrap samples; boosting trains them on the previous errors." \
  "I pick the threshold from the cost of each kind of error, measured with precision and recall." > "$answers"
export MOCKMLE_HOME=$home MOCKMLE_MEANING=off
mkdir -p "$home/logs"
writer() { for i in $(seq "$runs"); do "$py" -m mockmle interview --questions 5 --seed "$i" --answers-file "$answers" \
  >"$home/logs/w$1-$i.out" 2>"$home/logs/w$1-$i.err"; echo "writer$1 $i $?" >>"$home/logs/rc"; done; }
reader() { for i in $(seq "$runs"); do for c in progress "sessions list" report; do "$py" -m mockmle $c >/dev/null \
  2>"$home/logs/r-$i-${c// /_}.err"; echo "reader $c $i $?" >>"$home/logs/rc"; done; done; }
writer 1 & writer 2 & reader & wait
echo "runs: $(wc -l <"$home/logs/rc"), failed: $(awk '$NF != 0' "$home/logs/rc" | wc -l), with a traceback: $(grep -l Traceback "$home"/logs/*.err | wc -l)"
"$py" - "$home/mockmle.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print("sessions by status:", db.execute("select status, count(*) from sessions group by 1").fetchall())
print("answered turns with no grade:", db.execute("select count(*) from turns t left join grades g using (session_id, position) "
                                                  "where t.status = 'answered' and g.band is null").fetchone()[0])
print("integrity:", db.execute("pragma integrity_check").fetchone()[0])
PY
