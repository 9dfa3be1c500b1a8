# GreenTemp — two commands: `make run` (install the app + start it on the sample
# enterprise) and `make test` (install with the test extras + lint + every test, browser
# and Spark tests included). Both install the versions pinned in constraints.txt.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
APP    := $(VENV)/.installed-app
TEST   := $(VENV)/.installed-test
PIP    := $(BIN)/python -m pip install --quiet -c constraints.txt

.PHONY: run test bench sample clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# the dashboard alone: no test tools, no Spark (a few hundred MB instead of 1.6 GB)
$(APP): pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) -e .
	touch $(APP)

# tests need the test extras and the Spark engine's extra (Java comes from the machine)
$(TEST): pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) -e '.[test,spark]'
	touch $(TEST) $(APP)

run: $(APP)
	$(BIN)/streamlit run app.py

test: $(TEST)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: $(TEST)
	$(BIN)/python bench/run.py

sample: $(APP)
	$(BIN)/python sample_data/generate.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
