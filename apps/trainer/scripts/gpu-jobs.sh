#!/usr/bin/env bash
# Jobs that outlive a device call. The device tool ends a call's processes when the call returns, not those of a
# new session, and a call lasts at most 10 minutes; the machine stays warm only ~30 s after a call. So: start
# the long work detached in one call, then poll it in back-to-back calls until it is done.
#   bash apps/trainer/scripts/gpu-jobs.sh start NAME command...   # detached; log and exit status in /tmp/jobs/NAME
#   OUT=$OUT bash apps/trainer/scripts/gpu-jobs.sh poll SECONDS [PATH...]
# `poll` prints each job's last log line every 20 s until every job has ended or SECONDS would pass, then copies
# each job's log and status, and every PATH given (files or folders), to $OUT (a device call returns files under
# 16 MiB). Stop jobs with `stop`, never with `pkill -f <pattern>` on the command line: the pattern matches the
# call's own shell.
set -uo pipefail
JOBS=/tmp/jobs
command=${1:?start, poll or stop}
shift
case $command in
  start)
    name=${1:?job name}
    shift
    mkdir -p "$JOBS/$name"
    rm -f "$JOBS/$name/status"
    setsid nohup bash -c '"$@"; echo $? > "$0/status"' "$JOBS/$name" "$@" > "$JOBS/$name/log" 2>&1 < /dev/null &
    echo $! > "$JOBS/$name/pid"
    echo "started $name (pid $!)"
    ;;
  poll)
    limit=${1:?seconds}
    shift
    started=$SECONDS
    while true; do
      running=0
      echo "== $((SECONDS - started)) s: $(nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv,noheader 2>/dev/null)"
      for job in "$JOBS"/*/; do
        name=$(basename "$job")
        if [[ -f "$job/status" ]]; then state="exit $(cat "$job/status")"; else state=running; running=$((running + 1)); fi
        echo "$name ($state): $(tail -n 1 "$job/log" 2>/dev/null | cut -c1-200)"
      done
      (( running == 0 || SECONDS - started + 20 > limit )) && break
      sleep 20
    done
    mkdir -p "${OUT:?}/jobs"
    for job in "$JOBS"/*/; do
      name=$(basename "$job")
      mkdir -p "$OUT/jobs/$name"
      cp "$job/log" "$OUT/jobs/$name/" 2>/dev/null
      cp "$job/status" "$OUT/jobs/$name/" 2>/dev/null
    done
    for path in "$@"; do cp -r "$path" "$OUT/" 2>/dev/null; done
    true
    ;;
  stop)
    for name in "$@"; do
      pid=$(cat "$JOBS/$name/pid") && kill -- "-$pid" && echo "stopped $name"
    done
    ;;
  *)
    echo "unknown command $command: start, poll or stop" >&2
    exit 2
    ;;
esac
