# reluproof: make verify checks every claim and writes the report;
# make test runs vet and the whole test suite.
GO ?= go

.PHONY: all test verify report property soak mutate bench

all: test

# go vet, then every test (unit tests, examples and the property suite).
# RAPID_SEED is fixed so that a run can be repeated exactly; make soak runs
# many seeds.
RAPID_SEED ?= 1
export RAPID_SEED
test:
	$(GO) vet ./...
	$(GO) test ./...

# The property suite alone, one line a claim, then the package verdicts.
property:
	@$(GO) test -count=1 -run Property -v ./... > .property.log 2>&1; status=$$?; \
	grep -E '^--- (PASS|FAIL|SKIP): TestProperty' .property.log; \
	grep -E '^(ok|FAIL|---)' .property.log | grep -v -- '--- PASS'; \
	printf '%s properties passed, %s failed\n' \
	  "$$(grep -c '^--- PASS: TestProperty' .property.log)" "$$(grep -c '^--- FAIL: TestProperty' .property.log)"; \
	rm -f .property.log; exit $$status

# Never cries wolf: the whole property suite under SOAK_SEEDS seeds, default
# number of checks each; any failure is a bug in the code or the property.
SOAK_SEEDS ?= 50
soak:
	@fail=0; for seed in $$(seq 1 $(SOAK_SEEDS)); do \
	  if RAPID_SEED=$$seed RAPID_NOFAILFILE=1 $(GO) test -count=1 -run Property ./... > .soak.log 2>&1; \
	  then echo "seed $$seed: ok"; else echo "seed $$seed: FAIL"; cat .soak.log; fail=$$((fail+1)); fi; \
	done; rm -f .soak.log; echo "soak: $(SOAK_SEEDS) seeds, $$fail failed"; test $$fail -eq 0

# The main job: the property suite, then every claim checked and reported
# with figures in report/ (REPORT.md, index.html, figures/).
verify:
	$(GO) test -count=1 -run Property ./...
	$(GO) run ./cmd/reluproof report -o report

# The report alone: every claim's row and the figures, written to report/.
report:
	$(GO) run ./cmd/reluproof report -o report

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./bench/...
