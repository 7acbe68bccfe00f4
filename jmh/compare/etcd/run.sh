#!/usr/bin/env bash
# Side by side on this machine, in one run: a 3-member etcd (Debian's etcd-server; its WAL is
# fsynced, its default) and a 3-node Meridian (Ratis log fsynced, its default), each on loopback,
# driven by the same load generator (bin/meridian bench): single-key writes at 1 client, then at
# 64 clients. Meridian's 64-client run spreads the keys over GROUPS Raft groups (default 8). Last,
# unless --no-ratis-floor, the bare Ratis floor (BareRatisFloor: one 3-replica group, no-op state
# machine, fsync on; 1 sequential client and 64 writes in flight), so all three stores are
# measured in the same run.
#
#   jmh/compare/etcd/run.sh [--duration 30s] [--warmup 10s] [--records 10000] [--groups 8] [--out DIR]
#                           [--no-ratis-floor]
#
# Prints a Markdown table of the four load runs and the floor's table; the JSON of each load run is
# kept in DIR (default jmh/compare/etcd/results). Every process it starts is stopped when it ends,
# however it ends.
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
duration=30s warmup=10s records=10000 groups=8 out="$root/jmh/compare/etcd/results" floor=yes
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --records) records="$2"; shift 2 ;;
    --groups) groups="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --no-ratis-floor) floor=no; shift ;;
    *) echo "usage: $0 [--duration 30s] [--warmup 10s] [--records 10000] [--groups 8] [--out DIR] [--no-ratis-floor]" >&2
       exit 2 ;;
  esac
done
command -v etcd >/dev/null || { echo "etcd is not installed: apt-get install etcd-server" >&2; exit 1; }
mkdir -p "$out"
work="$(mktemp -d -t meridian-etcd-XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# Three members on 127.0.0.1, ports from 23790 up unless taken.
free_port() {
  local port=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}
cluster="" endpoints="" clients=() peers=()
next=23790
for m in 1 2 3; do
  c=$(free_port "$next"); p=$(free_port $((c + 1))); next=$((p + 1))
  clients+=("$c"); peers+=("$p")
  cluster+="${cluster:+,}m$m=http://127.0.0.1:$p"
  endpoints+="${endpoints:+,}127.0.0.1:$c"
done
for m in 1 2 3; do
  i=$((m - 1))
  etcd --name "m$m" --data-dir "$work/m$m" \
    --listen-client-urls "http://127.0.0.1:${clients[$i]}" --advertise-client-urls "http://127.0.0.1:${clients[$i]}" \
    --listen-peer-urls "http://127.0.0.1:${peers[$i]}" --initial-advertise-peer-urls "http://127.0.0.1:${peers[$i]}" \
    --initial-cluster "$cluster" --initial-cluster-state new --logger zap --log-outputs stderr \
    >"$work/m$m.log" 2>&1 &
  pids+=($!)
done
echo "etcd members on $endpoints (logs in $work)"
for attempt in $(seq 1 60); do
  if ETCDCTL_API=3 etcdctl --endpoints "$endpoints" --dial-timeout 1s --command-timeout 1s endpoint health \
      >/dev/null 2>&1; then break; fi
  [ "$attempt" -eq 60 ] && { echo "etcd did not become healthy in time; see $work/m*.log" >&2; exit 1; }
  sleep 0.5
done

bench() { "$root/bin/meridian" bench --duration "$duration" --warmup "$warmup" --records "$records" "$@"; }
bench --target etcd --endpoints "$endpoints" --workload write --clients 1 --json "$out/etcd-write-1.json"
bench --target etcd --endpoints "$endpoints" --workload write --clients 64 --no-load --json "$out/etcd-write-64.json"
cleanup; pids=(); trap - EXIT

bench --local 3 --workload write --clients 1 --json "$out/meridian-write-1.json"
bench --local 3 --groups "$groups" --workload write --clients 64 --json "$out/meridian-write-64.json"

. "$root/bin/meridian-env"
"$(meridian_find_java)" "${MERIDIAN_JVM_FLAGS[@]}" -cp "$root/jmh/target/benchmarks.jar" \
  io.meridian.bench.load.CompareTable "$out/etcd-write-1.json" "$out/meridian-write-1.json" \
  "$out/etcd-write-64.json" "$out/meridian-write-64.json"
if [ "$floor" = yes ]; then
  "$(meridian_find_java)" "${MERIDIAN_JVM_FLAGS[@]}" -cp "$root/jmh/target/benchmarks.jar" \
    io.meridian.bench.ratis.BareRatisFloor --fsync on --warmup "$warmup" --measure "$duration" --outstanding 64
fi
