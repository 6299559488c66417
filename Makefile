# Two commands do everything on a fresh machine: `make run` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha256sum requirements.lock pyproject.toml | sha256sum | cut -c1-12)
export PREFECT_SERVER_ANALYTICS_ENABLED ?= false
export PREFECT_LOGGING_LEVEL ?= WARNING

.PHONY: run test schema lock eval bench check-deployment clean-venv
N ?= 200
REPEAT ?= 5

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q -r requirements.lock
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*
	touch $@

run: $(STAMP)
	$(VENV)/bin/city-reports extract raw_reports --out extracted

# The import contracts first (pyproject [tool.importlinter]: layers, Prefect only in flows/, no cycle).
test: $(STAMP)
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest -q

schema: $(STAMP)
	$(VENV)/bin/city-reports schema > models/report.schema.json
	$(VENV)/bin/city-reports diff-schema > models/diff.schema.json

eval: $(STAMP)
	$(VENV)/bin/city-reports eval tests/fixtures/gold/*.gold.json --pred extracted

# Not a test: times plain Natasha, the pipeline loop and the flow on N varied reports.
bench: $(STAMP)
	$(VENV)/bin/city-reports bench --n $(N) --repeat $(REPEAT)

# The team set-up end to end: a Prefect server, a deployment from prefect.yaml, a worker.
check-deployment: $(STAMP)
	$(PY) scripts/check_deployment.py

# Re-pin every dependency after editing pyproject.toml (needs uv: pip install uv).
lock:
	uv pip compile pyproject.toml --extra test -o requirements.lock --python-version 3.11

clean-venv:
	rm -rf $(VENV)
