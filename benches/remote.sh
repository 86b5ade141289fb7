#!/usr/bin/env bash
# innograph over a SPARQL engine (`--endpoint`) against the engine alone, side
# by side in one run: the synthetic ecosystem (about 80 triples per entity)
# served on loopback by `oxigraph serve-read-only` (ENGINE=oxigraph) or by
# Virtuoso Open Source (ENGINE=virtuoso); each innograph command against curl
# sending the engine the equivalent single SPARQL query. Medians of hyperfine
# runs, ratios, innograph's peak memory (GNU time) and the bytes it received
# (one more run through benches/count-bytes.py, a counting proxy).
#
#   benches/remote.sh                          # N=12500 entities (~1M triples), Oxigraph
#   N=62500 benches/remote.sh                  # ~5M triples
#   ENGINE=virtuoso N=62500 benches/remote.sh  # Virtuoso, the graph loaded in bulk
#   TIMEOUT=60 RUNS=3 ...                      # stop each innograph run after 60 s
#
# Needs: cargo, hyperfine, curl, GNU time (/usr/bin/time), python3, and the
# Oxigraph command line on PATH (or OXIGRAPH=path) or Virtuoso (virtuoso-t,
# isql-vt). Writes its data, stores and Virtuoso database under $BENCH_WORK
# (/var/tmp/innograph-bench) and the report to $BENCH_WORK/remote-$ENGINE-$N.md.
# Virtuoso is started on 127.0.0.1:18890 (SQL on 11111) unless one answers
# there already, and is left running for the next size; stop it with
# `kill $(cat $BENCH_WORK/virtuoso/pid)`. A built innograph and synth can be
# given as IG and SYNTH instead of building them here.

set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_WORK:-/var/tmp/innograph-bench}
oxigraph=${OXIGRAPH:-oxigraph}
engine=${ENGINE:-oxigraph}
n=${N:-12500}
runs=${RUNS:-10}
seed=${SEED:-1}
port=${PORT:-17999}
mkdir -p "$work"
report="$work/remote-$engine-$n.md"
cd "$root"

tools=(hyperfine curl /usr/bin/time python3)
case $engine in
    oxigraph) tools+=("$oxigraph") ;;
    virtuoso) tools+=(virtuoso-t isql-vt) ;;
    *) echo "ENGINE is oxigraph or virtuoso, not $engine" >&2; exit 1 ;;
esac
for tool in "${tools[@]}"; do
    command -v "$tool" >/dev/null || { echo "benches/remote.sh needs $tool" >&2; exit 1; }
done

if [ -z "${IG:-}" ] || [ -z "${SYNTH:-}" ]; then
    target=$(cargo metadata --format-version 1 --no-deps | sed 's/.*"target_directory":"\([^"]*\)".*/\1/')
    echo "== building (release)" >&2
    cargo build --release --quiet --bin innograph --example synth
fi
ig=${IG:-$target/release/innograph}
synth=${SYNTH:-$target/release/examples/synth}

data="$work/synth-$n"
[ -f "$data/triples.nt" ] || "$synth" --entities "$n" --seed "$seed" --out "$data" >&2
triples=$(grep -c . "$data/triples.nt")

graph_args=()
from=""
server=""
if [ "$engine" = oxigraph ]; then
    store="$work/remote-oxigraph-$n"
    if [ ! -d "$store" ]; then
        echo "== loading $data/triples.nt into $store" >&2
        "$oxigraph" load --location "$store" --file "$data/triples.nt" >&2
    fi
    "$oxigraph" serve-read-only --location "$store" --bind "127.0.0.1:$port" >/dev/null 2>&1 &
    server=$!
    url="http://127.0.0.1:$port/query"
    version=$("$oxigraph" --version 2>/dev/null || echo oxigraph)
else
    port=18890
    url="http://127.0.0.1:$port/sparql"
    graph="https://example.org/innograph/bench-$n"
    graph_args=(--graph "$graph")
    from="FROM <$graph>"
    if ! curl -sf -o /dev/null --data-urlencode 'query=ASK {}' "$url"; then
        db="$work/virtuoso"
        mkdir -p "$db"
        # The Debian configuration on loopback, with 2.6 GB of buffers, whole
        # answers (no row limit), and the data folder open to the loader.
        sed -e "s#/var/lib/virtuoso-opensource-7/db/#$db/#g" \
            -e 's#^ServerPort\s*=\s*8890#ServerPort = 127.0.0.1:18890#' \
            -e 's#^ServerPort\s*=\s*1111#ServerPort = 127.0.0.1:11111#' \
            -e 's#^NumberOfBuffers\s*=.*#NumberOfBuffers = 340000#' \
            -e 's#^MaxDirtyBuffers\s*=.*#MaxDirtyBuffers = 250000#' \
            -e 's#^ResultSetMaxRows\s*=.*#ResultSetMaxRows = 100000000#' \
            -e "s#^DirsAllowed\s*=.*#DirsAllowed = ., /usr/share/virtuoso-opensource-7/vad, $work#" \
            /etc/virtuoso-opensource-7/virtuoso.ini >"$db/virtuoso.ini"
        (cd "$db" && { virtuoso-t -c "$db/virtuoso.ini" +foreground >"$db/out.log" 2>&1 & echo $! >"$db/pid"; })
    fi
    version="Virtuoso $(dpkg-query -W -f '${Version}' virtuoso-opensource-7 2>/dev/null || echo 7)"
fi
proxy=""
trap 'kill $proxy $server 2>/dev/null || true' EXIT
for _ in $(seq 240); do
    curl -sf -o /dev/null --data-urlencode 'query=ASK {}' "$url" && break
    sleep 0.5
done

prefixes='PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX ig: <https://example.org/innograph/ontology#>'
ask() { curl -s -H 'Accept: text/csv' --data-urlencode "query=$prefixes
$1" "$url" | tail -n +2 | tr -d '\r"'; }

if [ "$engine" = virtuoso ]; then
    loaded=$(ask "SELECT (COUNT(*) AS ?n) $from WHERE { ?s ?p ?o }")
    if [ "$loaded" != "$triples" ]; then
        echo "== loading $data/triples.nt into Virtuoso's <$graph> (it holds $loaded triples)" >&2
        isql-vt 127.0.0.1:11111 dba dba exec="SPARQL CLEAR GRAPH <$graph>; ld_dir('$data', 'triples.nt', '$graph'); rdf_loader_run(); checkpoint;" >&2
    fi
fi

# A university, and a platform of it (for show, neighbors and path).
university=$(ask "SELECT ?u $from WHERE { ?u a ig:University } ORDER BY ?u LIMIT 1")
platform=$(ask "SELECT ?p $from WHERE { ?s rdf:subject <$university> ; rdf:object ?p . ?p a ?k . ?k rdfs:subClassOf* ig:Platform } ORDER BY ?p LIMIT 1")
uid=${university##*/}
pid=${platform##*/}
other=$(ask "SELECT ?u $from WHERE { ?u a ig:University FILTER(?u != <$university>) } ORDER BY ?u LIMIT 1")
oid=${other##*/}
echo "== $triples triples; university $uid, platform $pid, other university $oid" >&2

# An innograph command line; with TIMEOUT=SECS, stopped after that long.
on() { echo "${TIMEOUT:+timeout $TIMEOUT }$ig $* --endpoint $url ${graph_args[*]}"; }
# The length of a chain, for the engine's query of a chain that long.
chain_length() {
    # shellcheck disable=SC2046
    $(on path "$@" --format csv) 2>/dev/null | tail -n +2 | grep -c . || true
}
through=$(chain_length "$pid" "$oid")
avoiding=$(chain_length "$pid" "$oid" --avoid-hubs)
echo "== chains: $through links through hubs, $avoiding avoiding them" >&2

{
    echo "$prefixes"
    grep -v '^#' queries/platforms-of-university.rq |
        sed "0,\|^WHERE {|s||$from WHERE {\n  VALUES ?university { <$university> }|"
} >"$work/remote-platforms.rq"
cat >"$work/remote-show.rq" <<QUERY
$prefixes
SELECT ?statement ?p ?o $from WHERE {
  VALUES ?e { <$platform> }
  { ?statement rdf:subject ?e } UNION { ?statement rdf:object ?e }
  ?statement ?p ?o .
}
QUERY
cat >"$work/remote-neighbors.rq" <<QUERY
$prefixes
SELECT DISTINCT ?n2 $from WHERE {
  VALUES ?e { <$platform> }
  { ?s1 rdf:subject ?e ; rdf:object ?n1 } UNION { ?s1 rdf:object ?e ; rdf:subject ?n1 }
  { ?s2 rdf:subject ?n1 ; rdf:object ?n2 } UNION { ?s2 rdf:object ?n1 ; rdf:subject ?n2 }
}
QUERY
# One chain of `length` links from the platform to the other university:
# the engine is told the length, which innograph has to find; with `avoid`,
# no entity inside the chain is of a hub kind.
chain() { # length, file, avoid
    local length=$1 file=$2 avoid=$3 i to
    {
        echo "$prefixes"
        echo "SELECT * $from WHERE {"
        echo "  VALUES ?n0 { <$platform> }"
        for i in $(seq 1 "$length"); do
            to="?n$i"
            [ "$i" = "$length" ] && to="<$other>"
            echo "  { ?s$i rdf:subject ?n$((i - 1)) ; rdf:object $to } UNION { ?s$i rdf:object ?n$((i - 1)) ; rdf:subject $to }"
            if [ "$avoid" = yes ] && [ "$i" != "$length" ]; then
                echo "  FILTER NOT EXISTS { ?n$i a ?k$i . ?k$i ig:hub true }"
            fi
        done
        echo "} LIMIT 1"
    } >"$work/$file"
}
chain "${through:-1}" remote-path.rq no
chain "${avoiding:-1}" remote-path-avoid.rq yes

curl_q() { echo "curl -s --max-time 120 -o /dev/null -H 'Accept: application/sparql-results+json' --data-urlencode query@$work/$1 $url"; }

labels=(
    "\`platforms $uid\`"
    "\`query platforms-of-university --param university=$uid\`"
    "\`show $pid\`"
    "\`neighbors $pid --depth 2\`"
    "\`path $pid $oid\` (through hubs: $through links)"
    "\`path $pid $oid --avoid-hubs\` ($avoiding links)"
)
mine=(
    "platforms $uid"
    "query platforms-of-university --param university=$uid"
    "show $pid"
    "neighbors $pid --depth 2"
    "path $pid $oid"
    "path $pid $oid --avoid-hubs"
)
theirs=(remote-platforms.rq remote-platforms.rq remote-show.rq remote-neighbors.rq remote-path.rq remote-path-avoid.rq)
args=()
for i in "${!mine[@]}"; do
    args+=("$(on "${mine[$i]}")" "$(curl_q "${theirs[$i]}")")
done
hyperfine -N -i --warmup 1 --runs "$runs" --export-json "$work/remote.json" "${args[@]}" >&2

med() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]; print("%.0f" % (r["median"]*1000))' "$work/remote.json" "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b }'; }
peak() { /usr/bin/time -f '%M' -o "$work/time.out" "$@" >/dev/null 2>&1 || true; awk '{printf "%.0f", $1/1024}' "$work/time.out"; }
# The KiB innograph receives in one run, through a counting proxy of its
# own (on a port of its own: a proxy stopped may not have let its port go).
received() { # offset, command
    local proxy_port=$((port + 2 + $1))
    rm -f "$work/bytes.out"
    python3 benches/count-bytes.py "$proxy_port" 127.0.0.1 "$port" "$work/bytes.out" >/dev/null 2>&1 &
    proxy=$!
    sleep 0.5
    # shellcheck disable=SC2086
    ${TIMEOUT:+timeout $TIMEOUT} "$ig" $2 --endpoint "${url/:$port\//:$proxy_port/}" "${graph_args[@]}" >/dev/null 2>&1 || true
    sleep 1
    kill $proxy 2>/dev/null || true
    wait $proxy 2>/dev/null || true
    awk '{ printf "%.0f", $1 / 1024 }' "$work/bytes.out" 2>/dev/null || echo "?"
}
{
    echo "## innograph over $version: $n entities, $triples triples"
    echo
    echo "Run $(date -u +%Y-%m-%dT%H:%MZ) by \`benches/remote.sh\` at $(git rev-parse --short HEAD 2>/dev/null || echo '?'),"
    echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg). Medians of $runs runs (hyperfine);"
    echo "the engine's time is curl sending it the equivalent single SPARQL query."
    echo
    echo "| command | innograph ms | engine ms | ratio | innograph peak MiB | KiB received |"
    echo "|---|---:|---:|---:|---:|---:|"
    for i in "${!mine[@]}"; do
        a=$(med $((2 * i)))
        b=$(med $((2 * i + 1)))
        # shellcheck disable=SC2046
        echo "| ${labels[$i]} | $a | $b | $(ratio "$a" "$b") | $(peak $(on "${mine[$i]}")) | $(received "$i" "${mine[$i]}") |"
    done
    echo
} >"$report"
cat "$report"
