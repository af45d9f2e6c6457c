# chainlead: two commands.
#   make run   install everything into .venv, migrate, load the demo zone, serve http://127.0.0.1:8000
#   make test  install what the tests need and run them
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV     := .venv
PY       := $(VENV)/bin/python
BIND     ?= 127.0.0.1:8000
# The demo zone's story ends on 2021-11-30 (the newspaper's 1–11月 figures): `make run` shows it as on
# that day. Run with CHAINLEAD_TODAY= (empty) to use the real date.
CHAINLEAD_TODAY ?= 2021-11-30
# Debian packages the browser and document tests need (Chromium, CJK fonts, LibreOffice, poppler).
APT_TEST := chromium chromium-driver fonts-noto-cjk fonts-noto-cjk-extra fonts-arphic-ukai fonts-liberation2 \
            libreoffice-writer-nogui poppler-utils gettext
# Two processes by default (the CI machines have 2 cores); the suite is parallel-safe.
PYTEST_ARGS ?= -n 2 -q

.PHONY: help run test install install-dev assets static migrate demo serve lint apt-test clean messages messages-compile

help:
	@echo "make run    安装依赖、迁移数据库、载入演示数据并启动 http://$(BIND)"
	@echo "make test   安装测试依赖并运行全部测试"
	@echo "make lint   ruff 检查"

$(PY):
	@py="$$(PYTHON='$(PYTHON)' scripts/find-python.sh)" || exit 1; \
	echo "创建虚拟环境 / creating $(VENV) with $$py"; \
	"$$py" -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check uv

$(VENV)/.installed: pyproject.toml | $(PY)
	$(VENV)/bin/uv pip install --quiet --python $(PY) -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(VENV)/bin/uv pip install --quiet --python $(PY) -e '.[dev]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed assets messages-compile
install-dev: $(VENV)/.installed-dev assets messages-compile

messages-compile: | $(PY)
	@$(PY) scripts/compile_messages.py

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "需要 Node.js 和 npm（Debian: sudo apt install nodejs npm）/ npm is required"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error

build/vendor/.stamp: node_modules/.package-lock.json scripts/vendor.py
	$(PY) scripts/vendor.py
	@touch $@

assets: build/vendor/.stamp

static: install
	@$(PY) -m chainlead.cli chainlead collectstatic --noinput -v0

migrate: install
	$(PY) -m chainlead.cli chainlead migrate --noinput -v1

demo: migrate
	$(PY) -m chainlead.cli chainlead demo --if-empty

run: install static migrate demo
	CHAINLEAD_TODAY=$(CHAINLEAD_TODAY) $(PY) -m chainlead.cli chainlead serve --bind $(BIND)

apt-test:
	@missing=""; for p in $(APT_TEST); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "安装测试所需的系统软件包 / installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null \
	    || { echo "无法安装:$$missing — 请手动安装后重试 / please install them and retry"; exit 1; }; \
	fi

test: install-dev apt-test
	CHAINLEAD_TESTING=1 $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .

messages: install-dev
	cd chainlead && ../$(PY) -m chainlead.cli chainlead makemessages -l en --no-obsolete
	$(PY) scripts/compile_messages.py

clean:
	rm -rf build node_modules $(VENV)
