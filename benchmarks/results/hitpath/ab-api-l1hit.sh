#!/usr/bin/env bash
# A/B of the API's L1-hit path: the same commit built without (base) and with (patched) the proposals.
set -u
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
run_variant() {
  local name=$1 dir=$2 port=$3
  (cd $dir && ASPNETCORE_ENVIRONMENT=Production Auth__Authority=https://127.0.0.1:1 Logging__LogLevel__Default=Warning \
    ConnectionStrings__Postgres="Host=127.0.0.1;Port=15432;Database=shop_bench;Username=shop;Password=shop" \
    ConnectionStrings__Redis="127.0.0.1:16390,allowAdmin=true" Cache__KeyPrefix=bab$name \
    exec dotnet Shop.Api.dll --urls http://127.0.0.1:$port > /tmp/ab-$name.log 2>&1) &
  local pid=$!
  for i in $(seq 120); do curl -sf http://127.0.0.1:$port/health/live >/dev/null && break; sleep 0.5; done
  for s in $(seq 1 100 5000); do curl -s -o /dev/null "http://127.0.0.1:$port/api/products?ids=$(seq -s, $s $((s+99)))"; done
  wrk -t2 -c16 -d3s -s /tmp/l1hit.lua http://127.0.0.1:$port/ >/dev/null
  for path in health l1hit; do
    local c0=$(cpu $pid) b0=$(awk '{s=0; for(i=2;i<=NF;i++) s+=$i; print s-$5-$6}' <(head -1 /proc/stat)) t0=$(awk '{s=0; for(i=2;i<=NF;i++) s+=$i; print s}' <(head -1 /proc/stat))
    if [ $path = health ]; then out=$(wrk -t2 -c16 -d8s http://127.0.0.1:$port/health/live); else out=$(wrk -t2 -c16 -d8s -s /tmp/l1hit.lua http://127.0.0.1:$port/); fi
    local c1=$(cpu $pid) b1=$(awk '{s=0; for(i=2;i<=NF;i++) s+=$i; print s-$5-$6}' <(head -1 /proc/stat)) t1=$(awk '{s=0; for(i=2;i<=NF;i++) s+=$i; print s}' <(head -1 /proc/stat))
    local reqs=$(grep -oE '^ +[0-9]+ requests' <<<"$out" | grep -oE '[0-9]+') rps=$(grep Requests/sec <<<"$out" | awk '{print $2}')
    local p50=$(grep -A0 'Latency' <<<"$out" | awk '{print $2}')
    echo "$name $path rps=$rps api_cpu_us_per_req=$(( (c1-c0)*10000000/reqs/1000 )) machine_busy=$(( (b1-b0)*100/(t1-t0) ))% avg_latency=$p50"
  done
  kill $pid; wait $pid 2>/dev/null
}
for round in 1 2 3; do
  run_variant base /tmp/api-base 5393
  run_variant patched /tmp/api-patched 5394
done
