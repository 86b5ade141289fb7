"""The RDFLib baseline of benchmark 1 (benches/run.sh): load a Turtle file
and run a SPARQL query on it, printing the rows as CSV.

Usage: python3 rdflib_platforms.py DATA.ttl QUERY.rq
"""

import csv
import sys

import rdflib


def main() -> None:
    data, query = sys.argv[1], sys.argv[2]
    graph = rdflib.Graph()
    graph.parse(data, format="turtle")
    with open(query, encoding="utf-8") as f:
        text = f.read()
    out = csv.writer(sys.stdout)
    for row in graph.query(text):
        out.writerow(["" if v is None else str(v) for v in row])


if __name__ == "__main__":
    main()
