# Cap coopératif — every chore has a target; `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-test.txt | cksum | cut -d' ' -f1)

.PHONY: help serve test fuzz check build bench new clean

help: ## Liste les commandes
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): requirements.txt requirements-test.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-test.txt
	@rm -f $(VENV)/.installed-* && touch $@

serve: $(STAMP) ## Construit et sert le site sur http://127.0.0.1:8000 (rechargement à chaud)
	SITE_URL=http://127.0.0.1:8000/ $(PY) -m mkdocs serve --dev-addr 127.0.0.1:8000 --livereload --dirty

test: $(STAMP) ## Lance tous les tests (installe Chromium si besoin)
	@bash scripts/ensure-chromium.sh
	$(PY) -m pytest

fuzz: $(STAMP) ## Passe le chargeur au crible : au moins 10 000 fiches tirées au hasard (tests/test_fuzz_loader.py)
	CAP_FUZZ=full $(PY) -m pytest tests/test_fuzz_loader.py

check: $(STAMP) ## Vérifie les données de data/ et affiche la couverture des traductions
	$(PY) scripts/check.py

build: $(STAMP) ## Construit site/ (et les livrables)
	$(PY) scripts/build.py

bench: $(STAMP) ## Mesure les temps de construction (voir README)
	$(PY) scripts/bench.py

new: $(STAMP) ## Crée une fiche : make new COLLECTION=faq ID=frais-de-greffe
	$(PY) scripts/new.py "$(COLLECTION)" "$(ID)"

clean: ## Supprime les fichiers construits
	rm -rf site site-offline dist .cache
