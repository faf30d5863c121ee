# Two commands for users: `make run` and `make test`. Both install what they need first.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8501
CHROMIUM ?= /usr/bin/chromium
# Optional context layers (city outlines, river, banks, districts, population by district):
# a folder of GeoPackage, GeoJSON and CSV files; `make data` writes the boundaries into it.
CONTEXT_DIR ?= data/context

RUNTIME_STAMP := $(VENV)/.runtime-installed
# Browser assets from npm (package.json; the lock file pins them): `npm ci` when the lock changes.
NPM ?= npm
NODE_STAMP    := node_modules/.npm-ci-installed
TEST_STAMP    := $(VENV)/.test-installed
# The message catalogues (gettext): the .po files are the source, the .mo files are compiled
# by the install step (not committed).
LOCALES  := kk ru en
PO_FILES := $(foreach lang,$(LOCALES),locale/$(lang)/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)
# Where `make messages` looks for message keys.
CODE_DIRS := dashboard.py ui layers geo store sources

.PHONY: run test test-fast lint bench catalogue data osm-sample install install-test chromium postgis db-load messages clean

# Debian's python3.11 needs python3-venv for `-m venv`; install it when it is missing and we can.
$(BIN)/python:
	@$(PYTHON) -c "import ensurepip" 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; \
	  else echo "Python's venv module is missing: run 'sudo apt-get install python3-venv'." >&2; exit 1; fi; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(TEST_STAMP): requirements.txt requirements-test.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	touch $@ $(RUNTIME_STAMP)

locale/%/LC_MESSAGES/messages.mo: locale/%/LC_MESSAGES/messages.po $(RUNTIME_STAMP)
	$(BIN)/pybabel -q compile -D messages -l $* -i $< -o $@

# Debian's npm (with Node.js) when it is missing, then the locked packages (leaflet-draw).
$(NODE_STAMP): package.json package-lock.json
	@command -v $(NPM) >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; \
	  elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; \
	  else echo "The map's drawing tool needs npm: run 'apt-get install npm' as root." >&2; exit 1; fi; }
	$(NPM) ci --no-audit --no-fund --ignore-scripts
	touch $@

install: $(RUNTIME_STAMP) $(MO_FILES) $(NODE_STAMP)

install-test: $(TEST_STAMP) $(MO_FILES) $(NODE_STAMP) chromium postgis

# Keep the catalogues in step with the code: the keys the code names (pybabel extract with
# the extractor babel.cfg names, layers.po_sync.extract_keys: t() and plural() calls) and
# every key already translated make locale/messages.pot; pybabel update adds a new key to each
# .po with an empty msgstr (tests fail until it is translated); pybabel compile checks them.
messages: $(RUNTIME_STAMP)
	PYTHONPATH=. $(BIN)/pybabel -q extract -F babel.cfg --no-default-keywords -k t -k plural:1,1 \
	  --no-location --sort-output -o locale/code.pot $(CODE_DIRS)
	$(BIN)/python -m layers.po_sync template --code locale/code.pot
	rm -f locale/code.pot
	$(BIN)/pybabel update -i locale/messages.pot -d locale -D messages --no-fuzzy-matching \
	  --ignore-obsolete
	$(BIN)/pybabel compile -d locale -D messages --statistics

# Debian's chromium for the browser tests and the benchmark (Playwright drives it; it never
# downloads a browser of its own).
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Browser tests need Debian's chromium: run 'apt-get install chromium' as root." >&2; exit 1; fi; \
	fi

# Debian's PostgreSQL and PostGIS for the PostGIS store tests (they start a private cluster of
# their own on 127.0.0.1; the packaged service is not used).
postgis:
	@if ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-postgis; \
	  elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-postgis; \
	  else echo "The PostGIS store tests need PostgreSQL and PostGIS: run 'apt-get install postgresql postgresql-postgis' as root." >&2; exit 1; fi; \
	fi

# Load the catalogue and any fetched layers into PostGIS, validated as the app validates them:
# make db-load DATABASE_URL=postgresql://user:password@host:5432/database
db-load: install
	@DATABASE_URL="$(DATABASE_URL)" CREATIVE_MAP_CONTEXT_DIR=$(CONTEXT_DIR) $(BIN)/python -m store.load_db

run: install
	CREATIVE_MAP_CONTEXT_DIR=$(CONTEXT_DIR) $(BIN)/python -m ui.launch \
	  --server.address $(HOST) --server.port $(PORT) --browser.gatherUsageStats false

test: install-test
	$(BIN)/python -m pytest

# The fast local loop: everything except the browser tests.
test-fast: $(TEST_STAMP) $(MO_FILES) $(NODE_STAMP)
	$(BIN)/python -m pytest -m "not browser"

lint: $(TEST_STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

bench: install-test
	$(BIN)/python -m bench.map_bench
	$(BIN)/python -m bench.nearest_bench
	$(BIN)/python -m bench.recolour_bench
	$(BIN)/python -m bench.coverage_bench
	$(BIN)/python -m bench.search_bench
	$(BIN)/python -m bench.load_bench

# Rebuild data/catalogue.gpkg (and the record table of data/README.md) from its reviewable
# sources: data/curated_places.csv, data/curated_targets.csv and ../shared/venues.csv.
catalogue: install
	$(BIN)/python -m sources.catalogue_build

# Existing venues from OpenStreetMap into data/osm_venues.gpkg, then the catalogue's
# address-only records geocoded into data/geocoded_venues.gpkg for review, then both cities'
# boundaries, districts and the Esil into $(CONTEXT_DIR) (needs internet; offline each step
# says so and changes nothing). Each step runs even if one before it fails.
data: install
	@status=0; $(BIN)/python -m sources.osm || status=1; \
	  $(BIN)/python -m sources.geocode_venues || status=1; \
	  CREATIVE_MAP_CONTEXT_DIR=$(CONTEXT_DIR) $(BIN)/python -m sources.boundaries || status=1; \
	  exit $$status

# Record a small real Overpass response into tests/data/ for the importer's tests (internet).
osm-sample: install
	$(BIN)/python -m sources.osm_record

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache .mypy_cache
