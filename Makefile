# deptbudget — `make run` and `make test` each set everything up on a fresh machine.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
OUT ?= out

.PHONY: run test setup system-deps lint clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check uv
	$(VENV)/bin/uv pip install -q --compile-bytecode --python $(PY) -e '.[dev]'
	touch $(STAMP)

setup: system-deps $(STAMP)

# Debian packages: CJK fonts, poppler (pdftotext/pdffonts), PostgreSQL for the store tests, chromium for
# the browser test.
system-deps:
	@bash scripts/system-deps.sh

run: setup
	$(VENV)/bin/deptbudget build examples/luohu-2020.yaml -o $(OUT)
	@echo "公开文件已生成 (the disclosure is in): $(OUT)/index.html"
	$(VENV)/bin/deptbudget serve --init-demo

test: setup
	VENV=$(VENV) bash scripts/run-tests.sh

clean:
	rm -rf $(VENV) $(OUT)
