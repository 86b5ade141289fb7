#!/usr/bin/env bash
# innograph over a SPARQL engine (`--endpoint`) against the engine alone, side
# by side in one run: the synthetic ecosystem (~1.15M triples by default)
# loaded into Oxigraph and served by `oxigraph serve-read-only` on loopback;
# each innograph command against curl sending the engine the equivalent single
# SPARQL query. Medians of hyperfine runs, ratios, and innograph's peak memory.
#
#   benches/remote.sh              # N=35000 entities (~1.15M triples)
#   N=150000 benches/remote.sh     # ~5M triples
#
# Needs: cargo, hyperfine, curl, GNU time (/usr/bin/time), and the Oxigraph
# command line on PATH (or OXIGRAPH=path). Writes its data and store under
# $BENCH_WORK (/var/tmp/innograph-bench) and the report to
# $BENCH_WORK/remote-results.md.

set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_WORK:-/var/tmp/innograph-bench}
oxigraph=${OXIGRAPH:-oxigraph}
n=${N:-35000}
runs=${RUNS:-10}
seed=${SEED:-1}
port=${PORT:-17999}
mkdir -p "$work"
report="$work/remote-results.md"
cd "$root"

for tool in hyperfine curl /usr/bin/time "$oxigraph"; do
    command -v "$tool" >/dev/null || { echo "benches/remote.sh needs $tool" >&2; exit 1; }
done

target=$(cargo metadata --format-version 1 --no-deps | sed 's/.*"target_directory":"\([^"]*\)".*/\1/')
echo "== building (release)" >&2
cargo build --release --quiet --bin innograph --example synth
ig="$target/release/innograph"
synth="$target/release/examples/synth"

data="$work/synth-$n"
[ -f "$data/triples.nt" ] || "$synth" --entities "$n" --seed "$seed" --out "$data" >&2
store="$work/remote-oxigraph-$n"
if [ ! -d "$store" ]; then
    echo "== loading $data/triples.nt into $store" >&2
    "$oxigraph" load --location "$store" --file "$data/triples.nt" >&2
fi
triples=$(grep -c . "$data/triples.nt")

"$oxigraph" serve-read-only --location "$store" --bind "127.0.0.1:$port" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
url="http://127.0.0.1:$port/query"
for _ in $(seq 120); do
    curl -sf -o /dev/null --data-urlencode 'query=ASK {}' "$url" && break
    sleep 0.5
done

prefixes='PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX ig: <https://example.org/innograph/ontology#>'
ask() { curl -s -H 'Accept: text/csv' --data-urlencode "query=$prefixes
$1" "$url" | tail -n +2 | tr -d '\r'; }

# A university, and a platform of it (for show, neighbors and path).
university=$(ask 'SELECT ?u WHERE { ?u a ig:University } ORDER BY ?u LIMIT 1')
platform=$(ask "SELECT ?p WHERE { ?s rdf:subject <$university> ; rdf:object ?p . ?p a/rdfs:subClassOf* ig:Platform } ORDER BY ?p LIMIT 1")
uid=${university##*/}
pid=${platform##*/}
other=$(ask "SELECT ?u WHERE { ?u a ig:University FILTER(?u != <$university>) } ORDER BY ?u LIMIT 1")
oid=${other##*/}
echo "== $triples triples; university $uid, platform $pid, other university $oid" >&2

{
    echo "$prefixes"
    grep -v '^#' queries/platforms-of-university.rq |
        sed "0,\|^WHERE {|s||WHERE {\n  VALUES ?university { <$university> }|"
} >"$work/remote-platforms.rq"
cat >"$work/remote-show.rq" <<EOF
$prefixes
SELECT ?statement ?p ?o WHERE {
  VALUES ?e { <$platform> }
  { ?statement rdf:subject ?e } UNION { ?statement rdf:object ?e }
  ?statement ?p ?o .
}
EOF
cat >"$work/remote-neighbors.rq" <<EOF
$prefixes
SELECT DISTINCT ?n2 WHERE {
  VALUES ?e { <$platform> }
  { ?s1 rdf:subject ?e ; rdf:object ?n1 } UNION { ?s1 rdf:object ?e ; rdf:subject ?n1 }
  { ?s2 rdf:subject ?n1 ; rdf:object ?n2 } UNION { ?s2 rdf:object ?n1 ; rdf:subject ?n2 }
}
EOF
curl_q() { echo "curl -s -o /dev/null -H 'Accept: application/sparql-results+json' --data-urlencode query@$work/$1 $url"; }

commands=(
    "$ig platforms $uid --endpoint $url"
    "$(curl_q remote-platforms.rq)"
    "$ig query platforms-of-university --param university=$uid --endpoint $url"
    "$(curl_q remote-platforms.rq)"
    "$ig show $pid --endpoint $url"
    "$(curl_q remote-show.rq)"
    "$ig neighbors $pid --depth 2 --endpoint $url"
    "$(curl_q remote-neighbors.rq)"
    "$ig path $pid $oid --endpoint $url"
)
args=()
for c in "${commands[@]}"; do args+=("$c"); done
hyperfine -N --warmup 1 --runs "$runs" --export-json "$work/remote.json" "${args[@]}" >&2

med() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]; print("%.0f" % (r["median"]*1000))' "$work/remote.json" "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
peak() { /usr/bin/time -f '%M' -o "$work/time.out" "$@" >/dev/null 2>&1 || true; awk '{printf "%.0f", $1/1024}' "$work/time.out"; }
row() { # label, innograph index, engine index or "", goal, command...
    local label=$1 i=$2 e=$3 goal=$4
    shift 4
    local mine engine="" r=""
    mine=$(med "$i")
    if [ -n "$e" ]; then engine=$(med "$e"); r=$(ratio "$mine" "$engine"); fi
    echo "| $label | $mine | $engine | $r | $(peak "$@") | $goal |"
}
{
    echo "## innograph over \`oxigraph serve-read-only\`: $n entities, $triples triples"
    echo
    echo "Run $(date -u +%Y-%m-%dT%H:%MZ) by \`benches/remote.sh\` at $(git rev-parse --short HEAD 2>/dev/null || echo '?'),"
    echo "$(nproc) cores, $("$oxigraph" --version 2>/dev/null || echo oxigraph). Medians of $runs runs (hyperfine);"
    echo "the engine's time is curl sending it the equivalent single SPARQL query."
    echo
    echo "| command | innograph ms | engine ms | ratio | innograph peak MiB | goal |"
    echo "|---|---:|---:|---:|---:|---|"
    row "\`platforms $uid\`" 0 1 "≤ 1.5×, ≤ 50 MiB" $ig platforms "$uid" --endpoint "$url"
    row "\`query platforms-of-university --param university=$uid\`" 2 3 "≤ 1.5×, ≤ 50 MiB" $ig query platforms-of-university --param "university=$uid" --endpoint "$url"
    row "\`show $pid\`" 4 5 "≤ 1.5×, ≤ 50 MiB" $ig show "$pid" --endpoint "$url"
    row "\`neighbors $pid --depth 2\`" 6 7 "< 1,000 ms, ≤ 50 MiB" $ig neighbors "$pid" --depth 2 --endpoint "$url"
    row "\`path $pid $oid\`" 8 "" "< 1,000 ms, ≤ 50 MiB" $ig path "$pid" "$oid" --endpoint "$url"
    echo
} >"$report"
cat "$report"
