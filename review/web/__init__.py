"""`city-reports review serve`: the review app in the browser (FastAPI, Jinja2 templates, our own
static JS and CSS; no CDN, no network).

    state.py      what the page shows of a report: items (sorted by confidence), decisions, changes
    actions.py    a request from the page -> a checked decision, recorded and applied at once
    app.py        the app: routes, the per-run token, security headers
"""
