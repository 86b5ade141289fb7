#!/usr/bin/env bash
# innograph's benchmarks against Oxigraph's own tools and RDFLib, side by
# side in one run: medians over repeated runs, and ratios.
#
#   benches/run.sh            # everything, 10M triples included (about 30 minutes)
#   SKIP_10M=1 benches/run.sh # benchmarks 1-3 and 5 only
#   ONLY=store benches/run.sh # only 2 (loads) and 5 (cold commands over a store)
#   ONLY=cold benches/run.sh  # only 5, at 1M and 10M triples, on the stores an
#                             # earlier run left in $BENCH_WORK
#
# It builds in cargo's target folder: CARGO_TARGET_DIR=DIR uses DIR, e.g. one
# where RocksDB is already built in release.
#
# The commands over a SPARQL engine (--endpoint) are measured by benches/remote.sh.
#
# Needs: cargo, hyperfine, GNU time (/usr/bin/time), python3 with rdflib
# (Debian: python3-rdflib), and the Oxigraph command line on PATH
# (`cargo install oxigraph-cli --no-default-features --locked`), or OXIGRAPH=path.
# Writes its data, stores and raw results under $BENCH_WORK
# (/var/tmp/innograph-bench by default) and the report to $BENCH_WORK/results.md.
#
# Knobs: N1M / N10M (synthetic entities for ~1M and ~10M triples: synth
# writes about 80 triples per entity), RUNS1 (runs of benchmark 1), RUNS
# (runs of the slow ones), RUNS5 (runs of the cold commands of benchmark 5),
# SEED.

set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_WORK:-/var/tmp/innograph-bench}
oxigraph=${OXIGRAPH:-oxigraph}
python=${PYTHON:-/usr/bin/python3}
n1m=${N1M:-12500}
n10m=${N10M:-125000}
runs1=${RUNS1:-40}
runs=${RUNS:-3}
runs5=${RUNS5:-10}
only=${ONLY:-}
seed=${SEED:-1}
mkdir -p "$work"
report="$work/results.md"
cd "$root"

for tool in hyperfine /usr/bin/time "$oxigraph" "$python"; do
    command -v "$tool" >/dev/null || { echo "benches/run.sh needs $tool" >&2; exit 1; }
done
"$python" -c 'import rdflib' || { echo "benches/run.sh needs rdflib for $python" >&2; exit 1; }

target=$(cargo metadata --format-version 1 --no-deps | "$python" -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
# The --features rocksdb build first: it gives innograph-store (and an
# innograph with RocksDB linked, kept as innograph-full); the default build
# then gives the innograph people run, which answers from a store's index
# and hands the rest to innograph-store beside it. Both are copied to
# $work/bin: cargo puts a package's binaries beside its benchmarks', so the
# benchmark `scale` would put innograph-full back in the target folder.
echo "== building (release; --features rocksdb, then default features)" >&2
cargo build --release --quiet --features rocksdb --bins --examples
cargo bench --quiet --features rocksdb --bench scale --no-run 2>/dev/null
mkdir -p "$work/bin"
cp "$target/release/innograph" "$work/innograph-full"
cp "$target/release/innograph-store" "$work/bin/innograph-store"
cargo build --release --quiet
cp "$target/release/innograph" "$work/bin/innograph"
ig="$work/bin/innograph"
ig_full="$work/innograph-full"
synth="$target/release/examples/synth"
scale() { cargo bench --quiet --features rocksdb --bench scale -- "$@" 2>/dev/null | tail -1; }

# The value of key=... in a line of key=value pairs.
field() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p"; }
# Median of numbers, one per argument.
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# Median of a hyperfine JSON result, in ms: command index $2.
hf_median() { "$python" -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]; print("%.1f" % (r["median"]*1000))' "$1" "$2"; }
hf_runs() { "$python" -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]; print(", ".join("%.1f" % (t*1000) for t in r["times"]))' "$1" "$2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
# Peak resident memory of one run of a command, in MiB.
peak() { /usr/bin/time -f '%M' -o "$work/time.out" "$@" >/dev/null 2>&1; awk '{printf "%.0f", $1/1024}' "$work/time.out"; }

{
    echo "# innograph benchmarks"
    echo
    echo "Run $(date -u +%Y-%m-%dT%H:%MZ) by \`benches/run.sh\` at $(git rev-parse --short HEAD 2>/dev/null || echo '?')."
    echo "Machine: $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p')), $(free -g | awk '/Mem:/ {print $2}') GiB,"
    echo "$(uname -sr), $(rustc --version), $("$oxigraph" --version 2>/dev/null || echo oxigraph), rdflib $("$python" -c 'import rdflib; print(rdflib.__version__)')."
    echo "Load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo
} >"$report"

if [ -z "$only" ]; then
echo "== 1. cold \`platforms 复旦大学\` on the bundled data" >&2
"$ig" query -e 'CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }' --format turtle >"$work/bundled.ttl"
"$ig" query -e 'CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }' --format ntriples >"$work/bundled.nt"
rm -rf "$work/bundled-oxigraph"
"$oxigraph" load --location "$work/bundled-oxigraph" --file "$work/bundled.nt" 2>/dev/null
fudan=$("$ig" show 复旦大学 | sed -n 's/^  iri: //p')
{
    cat <<'EOF'
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX ig: <https://example.org/innograph/ontology#>
EOF
    grep -v '^#' queries/platforms-of-university.rq |
        sed "0,\|^WHERE {|s||WHERE {\n  VALUES ?university { <$fudan> }|"
} >"$work/platforms.rq"
rows_oxigraph=$("$oxigraph" query --location "$work/bundled-oxigraph" --query-file "$work/platforms.rq" --results-format csv | tail -n +2 | wc -l)
rows_rdflib=$("$python" benches/rdflib_platforms.py "$work/bundled.ttl" "$work/platforms.rq" | wc -l)
rows_innograph=$("$ig" query platforms-of-university --param "university=<$fudan>" --format csv | tail -n +2 | wc -l)
# `--data data` is the same question without the prebuilt data: the
# binary reads, checks and derives the CSV files as every run did before.
hyperfine -N --warmup 5 --runs "$runs1" --export-json "$work/b1.json" \
    "$ig platforms 复旦大学" \
    "$oxigraph query --location $work/bundled-oxigraph --query-file $work/platforms.rq --results-format csv" \
    "$python benches/rdflib_platforms.py $work/bundled.ttl $work/platforms.rq" \
    "/bin/true" \
    "$ig platforms 复旦大学 --data data" >&2
b1_ig=$(hf_median "$work/b1.json" 0)
b1_ox=$(hf_median "$work/b1.json" 1)
b1_py=$(hf_median "$work/b1.json" 2)
b1_true=$(hf_median "$work/b1.json" 3)
b1_csv=$(hf_median "$work/b1.json" 4)
triples_bundled=$(grep -c . "$work/bundled.nt")
{
    echo "## 1. Cold \`innograph platforms 复旦大学\` on the bundled data ($triples_bundled triples)"
    echo
    echo "Medians of $runs1 runs (hyperfine, 5 warm-up runs; each run a new process). The same"
    echo "SPARQL (\`queries/platforms-of-university.rq\` with ?university bound) gives $rows_innograph rows"
    echo "in innograph, $rows_oxigraph in \`oxigraph query\` (RocksDB store) and $rows_rdflib in RDFLib."
    echo
    echo "| command | median ms | innograph / it | goal |"
    echo "|---|---:|---:|---|"
    echo "| \`innograph platforms 复旦大学\` (default build, prebuilt bundled data) | $b1_ig | 1 | |"
    echo "| \`/bin/true\` (a process that does nothing) | $b1_true | $(ratio "$b1_ig" "$b1_true") | ≤ 3.5 |"
    echo "| \`oxigraph query\` on a RocksDB store | $b1_ox | $(ratio "$b1_ig" "$b1_ox") | ≤ 0.25 |"
    echo "| RDFLib: parse the Turtle, run the query | $b1_py | $(ratio "$b1_ig" "$b1_py") | ≤ 0.02 |"
    echo "| the same innograph with \`--data data\` (reads, checks and derives the CSV) | $b1_csv | $(ratio "$b1_ig" "$b1_csv") | |"
    echo
} >>"$report"
fi

data1m="$work/synth-$n1m"
if [ "$only" = cold ]; then
    n_triples=$(wc -l <"$data1m/triples.nt")
else
echo "== 2. loading ~1M synthetic triples" >&2
[ -f "$data1m/triples.nt" ] || "$synth" --entities "$n1m" --seed "$seed" --out "$data1m" >&2
triples1m=$(scale memory-load "$data1m")
n_triples=$(field triples "$triples1m")
hyperfine -N --runs "$runs" --export-json "$work/b2.json" \
    --prepare "rm -rf $work/store-1m $work/oxigraph-1m" \
    "$ig load --store $work/store-1m --data $data1m" \
    "$oxigraph load --location $work/oxigraph-1m --file $data1m/triples.nt" >&2
b2_ig=$(hf_median "$work/b2.json" 0)
b2_ox=$(hf_median "$work/b2.json" 1)
rm -rf "$work/store-1m" "$work/oxigraph-1m"
b2_ig_peak=$(peak "$ig" load --store "$work/store-1m" --data "$data1m")
b2_ox_peak=$(peak "$oxigraph" load --location "$work/oxigraph-1m" --file "$data1m/triples.nt")
mem_ig=() mem_ox=() mem_ig_peak=() mem_ox_peak=()
for _ in $(seq "$runs"); do
    line=$(scale memory-load "$data1m")
    mem_ig+=("$(field load_ms "$line")") mem_ig_peak+=("$(field load_peak_mib "$line")")
    line=$(scale oxigraph-memory-load "$data1m/triples.nt")
    mem_ox+=("$(field load_ms "$line")") mem_ox_peak+=("$(field load_peak_mib "$line")")
done
m_ig=$(median "${mem_ig[@]}")
m_ox=$(median "${mem_ox[@]}")
# One more load into a fresh store, timed by the phases it reports; then a
# load of the same data on top of it, whose index comes from a scan of the
# store, not from the stream; and the name index against a whole-string sort.
rm -rf "$work/store-1m-phases"
phases_fresh=$(scale load-phases "$work/store-1m-phases" "$data1m")
phases_scan=$(scale load-phases "$work/store-1m-phases" "$data1m")
store_scan=$(scale store-scan "$work/store-1m-phases")
name_index=$(scale name-index "$work/store-1m-phases")
rm -rf "$work/store-1m-phases"
tps() { awk -v n="$n_triples" -v ms="$1" 'BEGIN { printf "%.0f", n / ms * 1000 }'; }
{
    echo "## 2. Loading the synthetic ecosystem: $n1m entities, $n_triples triples"
    echo
    echo "innograph reads, checks and maps the CSV files; Oxigraph loads the same triples as N-Triples"
    echo "(\`triples.nt\`, written by \`examples/synth.rs\`). Medians of $runs runs; peak memory of one run."
    echo
    echo "| load | median s | triples/s | innograph speed / it | peak MiB |"
    echo "|---|---:|---:|---:|---:|"
    echo "| \`innograph load\` into a fresh RocksDB store | $(ratio "$b2_ig" 1000) | $(tps "$b2_ig") | 1 | $b2_ig_peak |"
    echo "| \`oxigraph load\` into a fresh RocksDB store | $(ratio "$b2_ox" 1000) | $(tps "$b2_ox") | $(ratio "$b2_ox" "$b2_ig") | $b2_ox_peak |"
    echo "| innograph CSV into an in-memory store | $(ratio "$m_ig" 1000) | $(tps "$m_ig") | 1 | $(median "${mem_ig_peak[@]}") |"
    echo "| Oxigraph's bulk loader, N-Triples into an in-memory store | $(ratio "$m_ox" 1000) | $(tps "$m_ox") | $(ratio "$m_ox" "$m_ig") | $(median "${mem_ox_peak[@]}") |"
    echo
    echo "Goal: innograph speed / Oxigraph ≥ 1. Runs (ms): innograph load $(hf_runs "$work/b2.json" 0);"
    echo "oxigraph load $(hf_runs "$work/b2.json" 1); in memory: innograph ${mem_ig[*]}, Oxigraph ${mem_ox[*]}."
    echo
    echo "Phases of one load into a fresh store (index from the stream), ms: \`$phases_fresh\`."
    echo "The same data loaded again on top of it (index from a scan of the store), ms: \`$phases_scan\`."
    echo "One scan of that store's default graph: \`$store_scan\`. The name index: \`$name_index\`."
    echo
} >>"$report"
fi

if [ -z "$only" ]; then
echo "== 3. the view, a warm query and a DOT export at ~1M triples" >&2
view=$(scale store-view "$work/store-1m")
open_line=$(scale store-open "$work/store-1m")
memview=$(scale memory-view "$data1m")
# A university of the synthetic data, and an entity with about 1,000 neighbours.
university=$("$ig" entities --kind University --format csv --store "$work/store-1m" | sed -n 2p | cut -d, -f1)
warm=$(scale warm "$work/store-1m" "$university")
read -r hub hub_nodes < <(scale reach "$work/store-1m" 1000)
if "$ig" export --help | grep -q -- '--focus'; then
    hyperfine -N --runs "$runs" --export-json "$work/b3.json" \
        "$ig stats --store $work/store-1m" \
        "$ig export --format dot --focus $hub --store $work/store-1m" >&2
    dot_total=$(hf_median "$work/b3.json" 1)
    stats_total=$(hf_median "$work/b3.json" 0)
    dot_line="| \`innograph export --format dot --focus $hub\` ($hub_nodes nodes), whole command | $dot_total ms | |"
    dot_line="$dot_line"$'\n'"| \`innograph stats\`, whole command, for comparison | $stats_total ms | |"
else
    dot_line="| DOT export of a neighbourhood | not measured: this build has no \`export --focus\` | |"
fi
store_peak=$(field peak_mib "$open_line")
view_peak=$(field peak_mib "$view")
mem_store_peak=$(field load_peak_mib "$memview")
mem_view_peak=$(field peak_mib "$memview")
{
    echo "## 3. At $n_triples triples"
    echo
    echo "| measure | figure | goal |"
    echo "|---|---:|---|"
    echo "| build the petgraph view from the RocksDB store ($(field nodes "$view") nodes, $(field edges "$view") edges), median of 3 | $(field view_ms "$view") ms | < 2,000 ms |"
    echo "| build the view from the in-memory store | $(field view_ms "$memview") ms | |"
    echo "| \`platforms $university\` on the open store and view: the view's traversal | $(field platforms_view_ms "$warm") ms | < 10 ms |"
    echo "| the same by the named SPARQL query on the open store | $(field platforms_sparql_ms "$warm") ms | < 10 ms |"
    echo "$dot_line"
    echo "| peak memory, in-memory store loaded from CSV | $mem_store_peak MiB ($(awk -v m="$mem_store_peak" -v n="$n_triples" 'BEGIN { printf "%.0f", m * 1048576 / n }') B/triple) | |"
    echo "| peak memory, the same plus the view | $mem_view_peak MiB (+$(awk -v a="$mem_view_peak" -v b="$mem_store_peak" 'BEGIN { printf "%.0f", (a / b - 1) * 100 }') %) | ≤ +20 % |"
    echo "| peak memory, RocksDB store opened and counted | $store_peak MiB | |"
    echo "| peak memory, RocksDB store plus the view | $view_peak MiB (+$(awk -v a="$view_peak" -v b="$store_peak" 'BEGIN { printf "%.0f", (a / b - 1) * 100 }') %) | |"
    echo
} >>"$report"

fi

# Benchmark 5: cold commands over a store, each against `oxigraph query` of
# the same question on a RocksDB store of the same triples.
# cold STORE OXSTORE LABEL: measures and appends a table to the report.
cold() {
    local store=$1 oxstore=$2 label=$3 gen
    gen=$(cat "$store/CURRENT")
    local list="$work/entities-$label.csv"
    "$ig" entities --format csv --store "$store" >"$list"
    local university entity far
    university=$("$ig" entities --kind University --format csv --store "$store" | sed -n 2p | cut -d, -f1)
    entity=$(sed -n 2p "$list" | cut -d, -f1)
    far=$(tail -1 "$list" | cut -d, -f1)
    local u_iri e_iri f_iri
    u_iri=$("$ig" show "$university" --store "$store" | sed -n 's/^  iri: //p')
    e_iri=$("$ig" show "$entity" --store "$store" | sed -n 's/^  iri: //p')
    f_iri=$("$ig" show "$far" --store "$store" | sed -n 's/^  iri: //p')
    local prefixes='PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX ig: <https://example.org/innograph/ontology#>'
    { echo "$prefixes"; grep -v '^#' queries/platforms-of-university.rq |
        sed "0,\|^WHERE {|s||WHERE {\n  VALUES ?university { <$u_iri> }|"; } >"$work/q-platforms-$label.rq"
    # show: everything said of the entity and of its statements.
    printf '%s\nSELECT ?s ?p ?o WHERE { { BIND(<%s> AS ?s) ?s ?p ?o } UNION { ?s rdf:subject <%s> . ?s ?p ?o } UNION { ?s rdf:object <%s> . ?s ?p ?o } }\n' \
        "$prefixes" "$e_iri" "$e_iri" "$e_iri" >"$work/q-show-$label.rq"
    # neighbors --depth 2: the entities two statements away.
    printf '%s\nSELECT DISTINCT ?n WHERE { { ?a rdf:subject <%s> ; rdf:object ?m } UNION { ?a rdf:object <%s> ; rdf:subject ?m } { ?b rdf:subject ?m ; rdf:object ?n } UNION { ?b rdf:object ?m ; rdf:subject ?n } }\n' \
        "$prefixes" "$e_iri" "$e_iri" >"$work/q-neighbors-$label.rq"
    # path: SPARQL can only say whether one is reachable through statements.
    printf '%s\nASK { <%s> ((^rdf:subject/rdf:object)|(^rdf:object/rdf:subject))+ <%s> }\n' \
        "$prefixes" "$u_iri" "$f_iri" >"$work/q-path-$label.rq"
    local ox="$oxigraph query --location $oxstore --results-format csv --query-file"
    hyperfine -N --warmup 1 --runs "$runs5" --export-json "$work/b5-$label.json" \
        "$ig platforms $university --store $store" "$ox $work/q-platforms-$label.rq" \
        "$ig show $entity --store $store" "$ox $work/q-show-$label.rq" \
        "$ig neighbors $entity --depth 2 --store $store" "$ox $work/q-neighbors-$label.rq" \
        "$ig path $university $far --store $store" "$ox $work/q-path-$label.rq" \
        "$ig_full platforms $university --store $store" >&2
    # The same commands without the index (the fallback: the view rebuilt).
    mv "$store/$gen/innograph.index" "$work/index-aside"
    hyperfine -N --runs "$runs" --export-json "$work/b5-$label-noindex.json" \
        "$ig platforms $university --store $store" >&2
    mv "$work/index-aside" "$store/$gen/innograph.index"
    local lookups
    lookups=$(scale lookups "$store" "$university")
    local index_bytes gen_bytes
    index_bytes=$(stat -c %s "$store/$gen/innograph.index")
    gen_bytes=$(du -sb --exclude=innograph.index "$store/$gen" | cut -f1)
    {
        echo "## 5. Cold commands over the store of $label triples, with its derived index"
        echo
        echo "Medians of $runs5 runs (hyperfine, 1 warm-up run; each a new process). The baseline is"
        echo "\`oxigraph query\` of the same question on a RocksDB store of the same triples: for"
        echo "\`platforms\`, \`queries/platforms-of-university.rq\` with the university bound; for \`show\`, what is"
        echo "said of the entity and of its statements; for \`neighbors --depth 2\`, the entities two statements"
        echo "away; for \`path\`, an ASK of reachability through statements (SPARQL cannot return the path)."
        echo "University \`$university\`, entity \`$entity\`, path to \`$far\`."
        echo
        echo "| command | innograph ms | \`oxigraph query\` ms | ratio | goal |"
        echo "|---|---:|---:|---:|---|"
        local i=0 name goal
        for name in "platforms" "show" "neighbors --depth 2" "path"; do
            local a b
            a=$(hf_median "$work/b5-$label.json" $((2 * i)))
            b=$(hf_median "$work/b5-$label.json" $((2 * i + 1)))
            goal="< 100 ms"
            [ "$name" = platforms ] && goal="≤ 0.10, < 100 ms"
            echo "| \`$name\` | $a | $b | $(ratio "$a" "$b") | $goal |"
            i=$((i + 1))
        done
        local full
        full=$(hf_median "$work/b5-$label.json" 8)
        echo "| \`platforms\` by an innograph with RocksDB linked (\`--features rocksdb\` alone) | $full | $(hf_median "$work/b5-$label.json" 1) | $(ratio "$full" "$(hf_median "$work/b5-$label.json" 1)") | |"
        echo "| \`platforms\` without the index (the view rebuilt from the store), $runs runs | $(hf_median "$work/b5-$label-noindex.json" 0) | | | |"
        echo
        echo "Name lookups in the index file (medians of 50, each on the index opened afresh, as a new process"
        echo "opens it; goal < 1 ms each): exact $(field exact_ms "$lookups") ms ($(field exact_found "$lookups") found),"
        echo "prefix $(field prefix_ms "$lookups") ms ($(field prefix_found "$lookups") found), substring $(field substring_ms "$lookups") ms"
        echo "($(field substring_found "$lookups") found); the whole resolution of \`$university\` $(field resolve_ms "$lookups") ms;"
        echo "opening the index $(field open_ms "$lookups") ms."
        echo
        echo "Derived index: $index_bytes bytes; the generation's RocksDB files: $gen_bytes bytes;"
        echo "index / generation = $(ratio "$index_bytes" "$gen_bytes") (goal ≤ 0.25)."
        echo
    } >>"$report"
}
echo "== 5. cold commands over the ~1M-triple store" >&2
cold "$work/store-1m" "$work/oxigraph-1m" "$n_triples"

if [ "$only" = store ]; then
    cat "$report"
    exit 0
fi

if [ -z "${SKIP_10M:-}" ]; then
    data10m="$work/synth-$n10m"
    if [ "$only" = cold ]; then
        loaded=$(wc -l <"$data10m/triples.nt")
    else
    echo "== 4. loading ~10M synthetic triples" >&2
    [ -f "$data10m/triples.nt" ] || "$synth" --entities "$n10m" --seed "$seed" --out "$data10m" >&2
    rm -rf "$work/store-10m"
    /usr/bin/time -f '%e %M' -o "$work/time10m.out" "$ig" load --store "$work/store-10m" --data "$data10m" >"$work/load10m.out"
    read -r secs kb <"$work/time10m.out"
    loaded=$(awk '{print $2}' "$work/load10m.out")
    {
        echo "## 4. $n10m entities: $loaded triples"
        echo
        echo "| \`innograph load\` into a fresh store | figure |"
        echo "|---|---:|"
        echo "| time | $secs s ($(awk -v n="$loaded" -v s="$secs" 'BEGIN { printf "%.0f", n / s }') triples/s) |"
        echo "| peak memory | $(awk -v k="$kb" 'BEGIN { printf "%.0f", k / 1024 }') MiB |"
        echo "| store on disk | $(du -sh "$work/store-10m" | cut -f1) (CSV input $(du -sh --exclude=triples.nt "$data10m" | cut -f1)) |"
        echo
    } >>"$report"
    rm -rf "$work/oxigraph-10m"
    /usr/bin/time -f '%e' -o "$work/time10m-ox.out" "$oxigraph" load --location "$work/oxigraph-10m" --file "$data10m/triples.nt" 2>/dev/null
    {
        echo "\`oxigraph load\` of the same triples: $(cat "$work/time10m-ox.out") s; innograph's speed / Oxigraph's ="
        echo "$(ratio "$(cat "$work/time10m-ox.out")" "$secs") (goal ≥ 0.9)."
        echo
    } >>"$report"
    fi
    echo "== 5. cold commands over the ~10M-triple store" >&2
    cold "$work/store-10m" "$work/oxigraph-10m" "$loaded"
fi

cat "$report"
