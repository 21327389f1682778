# reluproof: make verify checks every claim and writes the report;
# make test runs vet and the whole test suite.
GO ?= go

.PHONY: all test verify property bench

all: test

# go vet, then every test (unit tests, examples and the property suite).
test:
	$(GO) vet ./...
	$(GO) test ./...

# The property suite alone, with a readable summary.
property:
	$(GO) test -count=1 -run Property -v ./... 2>&1 | grep -E '^(=== RUN|--- (PASS|FAIL|SKIP)|ok|FAIL|PASS)' | grep -v '=== RUN' ; \
	$(GO) test -count=1 -run Property ./...

verify: property

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./bench/...
