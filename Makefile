# reluproof: make verify checks every claim and writes the report;
# make test runs vet and the whole test suite.
GO ?= go

.PHONY: all test verify report property bench

all: test

# go vet, then every test (unit tests, examples and the property suite).
test:
	$(GO) vet ./...
	$(GO) test ./...

# The property suite alone, with a readable summary.
property:
	$(GO) test -count=1 -run Property -v ./... 2>&1 | grep -E '^(=== RUN|--- (PASS|FAIL|SKIP)|ok|FAIL|PASS)' | grep -v '=== RUN' ; \
	$(GO) test -count=1 -run Property ./...

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
