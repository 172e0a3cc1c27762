# make check ex=01          check one exercise (creates .venv on first use)
# make check                check every exercise, with a progress table
# make check ex=01 sub=DIR  grade another folder (a student's, or solutions/)
# make hint ex=01           the next hint;  make list: where you stand
# make watch [ex=01]        check again on every save; on to the next once it passes
# make status               every exercise's state from your last checks, and a progress bar
# lang=ko                   after any of these: messages, hints and titles in Korean
# make test                 prove the graders (contributors, CI)
# make stubs                regenerate exercises/ from solutions/ (contributors)
# make bench                how fast a check is, next to pytest's own start-up, and the
#                           reference convolution next to torch's (installs torch 2.13.0)

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
ex     ?=
sub    ?=
lang   ?=
GRADER := $(if $(lang),GRADER_LANG=$(lang) )$(BIN)/python -m grader

.PHONY: check list hint watch status test stubs bench clean gradescope release course

check: $(VENV)/.installed
	@$(GRADER) check $(ex) $(if $(sub),--submission $(sub))

list: $(VENV)/.installed
	@$(GRADER) list $(if $(sub),--submission $(sub))

hint: $(VENV)/.installed
	@$(GRADER) hint $(or $(ex),$(error usage: make hint ex=NN))

watch: $(VENV)/.installed
	@$(GRADER) watch $(ex) $(if $(sub),--submission $(sub))

status: $(VENV)/.installed
	@$(GRADER) status

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n auto

stubs: $(VENV)/.installed
	@$(GRADER) stubs

bench: $(VENV)/.installed-bench
	@$(BIN)/python -m grader.bench

gradescope: $(VENV)/.installed
	@$(if $(lang),GRADER_LANG=$(lang) )$(BIN)/python -m grader.bundles gradescope $(if $(ex),--exercise $(ex)) $(if $(out),--out $(out))

release: $(VENV)/.installed
	@$(BIN)/python -m grader.bundles release $(if $(out),--out $(out))

course: $(VENV)/.installed
	@$(BIN)/python -c "import nbgrader" 2>/dev/null || $(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[course]' --config-settings editable_mode=compat
	@$(if $(lang),GRADER_LANG=$(lang) )$(BIN)/python -m grader.course $(if $(ex),--exercise $(ex)) $(if $(out),--out $(out))

$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e . --config-settings editable_mode=compat
	@$(BIN)/python -m compileall -q grader solutions >/dev/null  # fast starts even where bytecode is not written
	@$(BIN)/python -m grader.data  # cache the data sets: checks never import scikit-learn
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]' --config-settings editable_mode=compat
	@touch $@

$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[bench]' --config-settings editable_mode=compat
	@touch $@

clean:
	rm -rf $(VENV) .grader build *.egg-info
