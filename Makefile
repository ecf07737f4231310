# Warsztat: `make run` starts the app, `make test` runs the whole suite.
# Both set everything up first (virtual environment, npm assets, translations).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := wsgi
# Tests pass extra pytest arguments through, e.g. `make test PYTEST_ARGS="-k login"`.
PYTEST_ARGS ?=

.PHONY: setup system-libraries run test bench screenshots assets translations lemmas extract lint migrate db-upgrade clean

setup: system-libraries $(VENV)/.installed assets translations lemmas

# Shared libraries from Debian's packages (libmagic, Pango for PDF/A): installed when
# run as root.
system-libraries:
	@sh scripts/system-libraries.sh

# The suggestions' lemma tables, built once per machine into instance/cache/ (seconds).
lemmas: $(VENV)/.installed
	@$(BIN)/python -c 'from app.strategies.suggest import prepare; prepare()'

$(VENV)/.installed: requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Warsztat needs Python 3.11 or newer (found $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements.lock
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Copies the npm packages into app/static/vendor/ (served by Flask, no CDN).
assets: node_modules/.package-lock.json
	@mkdir -p app/static/vendor/htmx app/static/vendor/pico
	@cp node_modules/htmx.org/dist/htmx.min.js app/static/vendor/htmx/
	@cp node_modules/idiomorph/dist/idiomorph-ext.min.js app/static/vendor/htmx/
	@cp node_modules/idiomorph/LICENSE app/static/vendor/htmx/LICENSE.idiomorph
	@cp node_modules/@picocss/pico/css/pico.min.css app/static/vendor/pico/
	@cp node_modules/@picocss/pico/LICENSE.md app/static/vendor/pico/ 2>/dev/null || true
	@cp node_modules/htmx.org/LICENSE app/static/vendor/htmx/ 2>/dev/null || true
	@python3 scripts/icons.py node_modules/lucide-static/sprite.svg app/static/vendor/icons/icons.svg
	@cp node_modules/lucide-static/LICENSE app/static/vendor/icons/LICENSE.lucide

translations: $(VENV)/.installed
	@$(BIN)/pybabel compile -d app/translations --statistics

# Refresh the message catalogue after changing texts in code or templates.
extract: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg --ignore-dirs=".* node_modules" -k _l -k lazy_gettext -o app/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching --ignore-obsolete

db-upgrade: setup
	$(BIN)/flask db upgrade

run: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask seed --demo
	@$(BIN)/flask comments render >/dev/null
	@echo "Warsztat: http://127.0.0.1:$(PORT)  (mail goes to instance/outbox/)"
	WARSZTAT_SCHEDULER=inprocess $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: setup
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Every benchmark in one run (about 10 minutes on 2 cores); writes bench/RESULTS.md.
# Full-page PNGs of the main pages per role, language and width, on fresh demo data,
# into screenshots/latest/ (not committed). LABEL=before keeps another set beside it.
LABEL ?= latest
screenshots: setup
	$(BIN)/python scripts/screenshots.py --label $(LABEL)

bench: setup
	$(BIN)/python bench/run_all.py

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) node_modules app/static/vendor
