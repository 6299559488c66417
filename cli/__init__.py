"""`city-reports`: the command line. One module per command; `cli.app` is the typer app and `main`.

    extract.py  extract          schema.py   schema, diff-schema     eval.py     eval
    diff.py     diff             compare.py  compare                 review.py   review ...
    server.py   server           bench.py    bench                   output.py   stderr, errors

Commands import what they run when they run (flows, batch, review, pipeline); `eval` and `bench`
load benchmarks/ by name, so the product's import graph never reaches it.
"""
