# reluproof: make verify checks every claim and writes the report;
# make test runs vet and the whole test suite.
GO ?= go
SHELL := /bin/bash

.PHONY: all test verify report property soak mutate bench

all: test

# go vet, then every test (unit tests, examples and the property suite).
# RAPID_SEED is fixed so that a run can be repeated exactly; make soak runs
# many seeds.
RAPID_SEED ?= 1
export RAPID_SEED
# After the tests: nn, its GEMM kernels and its element-wise passes again on
# the pure-Go path (the purego tag, what a CPU without AVX2 runs), every claim once with small
# sweeps (exit 1 if one fails), then the race detector over nn, approx and
# properties with fewer rapid checks, so that CI's run stays within minutes.
test:
	$(GO) vet ./...
	$(GO) test ./...
	$(GO) test -count=1 -tags purego ./nn ./internal/gemm ./internal/vec
	$(GO) run ./cmd/reluproof check -quick
	RAPID_CHECKS=10 $(GO) test -race -count=1 ./nn ./approx ./properties/... ./internal/...

# The property suite alone, one line a property as each finishes, then the
# package verdicts (packages without properties are left out).
property:
	@set -o pipefail; $(GO) test -count=1 -run Property -v ./... 2>&1 | tee .property.log | \
	  grep --line-buffered -E '^--- (PASS|FAIL|SKIP): TestProperty|^(ok|FAIL)' | grep --line-buffered -v 'no tests to run'; status=$$?; \
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

# The main job: the property suite (one line a property, as make property
# prints them), then every claim checked and reported with figures in
# report/ (REPORT.md, index.html, figures/); the report prints one line a
# finished claim and figure on stderr as it goes.
verify: property
	$(GO) run ./cmd/reluproof report -o report

# The report alone: every claim's row and the figures, written to report/.
report:
	$(GO) run ./cmd/reluproof report -o report

# Mutation testing of nn, approx, internal/gemm and internal/vec
# (go-gremlins v0.6.0, MUTATION.md): every mutant is judged by go test ./...
# from the module root, so the property suite in properties/claims counts,
# with coverage taken over those four packages. scripts/mutate/go, first on
# gremlins' PATH, runs the mutated package's own tests first and the whole
# module only when they pass (same verdict as integration mode, -i, at a
# fraction of the time), each test process under a 3 GB address-space
# limit, with -short (TestGemmEdges then sweeps m, n ≤ 40 at k = 5, still
# every edge tile of each kernel, in a tenth of its 25 s). Each property
# runs MUTATE_CHECKS checks (rapid runs a fifth of RAPID_CHECKS under
# -short, so RAPID_CHECKS is 5 × MUTATE_CHECKS) and the seed is
# fixed, so that a run is short and repeatable; -count=1 keeps the
# coverage run (whose time, times 3, is each mutant's timeout) from being
# a cached replay of a second; MUTATE_SKIP drops T2 (two
# trainings of six networks each, ~13 s a run; training is also judged by
# T3, U5, U6 and determinism) and cmd/reluproof's end-to-end tests (~32 s,
# they only exercise the command). MUTATE_FLAGS narrows a run, e.g.
# MUTATE_FLAGS="-E 'nn/gemm.go'" or --arithmetic-base=false.
MUTATE_CHECKS ?= 10
MUTATE_WORKERS ?= 1
# gremlins stops a mutant's tests after coefficient × the coverage run's
# time (default 3). The coverage run (one go test ./..., ~14 s) is shorter
# than a survivor's two stages under a shared machine's load, so 3 gave
# false TIMED OUTs; 10 still stops an endless loop within minutes.
MUTATE_TIMEOUT_COEFF ?= 10
MUTATE_OUT ?= .mutate.json
MUTATE_SKIP = ^(TestPropertyT2_TrainedErrorFalls|TestCatalogue|TestCheckExitStatus|TestCheckConfig|TestCheckProgress|TestCheckJSON|TestBinary|TestReport|TestReportFigureFails|TestReportPass)$$
MUTATE_FLAGS ?=
mutate:
	$(GO) install github.com/go-gremlins/gremlins/cmd/gremlins@v0.6.0
	RAPID_NOFAILFILE=1 RAPID_SEED=$(RAPID_SEED) RAPID_CHECKS=$$((5 * $(MUTATE_CHECKS))) \
	  GOFLAGS='-buildvcs=false -vet=off -count=1 -short -skip=$(MUTATE_SKIP)' \
	  MUTATE_PKGS='./nn ./internal/gemm ./internal/vec ./approx ./properties/... ./bench' MUTATE_REAL_GO="$$(command -v $(GO))" PATH="$(CURDIR)/scripts/mutate:$$PATH" \
	  "$$($(GO) env GOPATH)/bin/gremlins" unleash --coverpkg ./nn,./internal/gemm,./internal/vec,./approx \
	  --workers $(MUTATE_WORKERS) --timeout-coefficient $(MUTATE_TIMEOUT_COEFF) -E '^(properties|cmd|bench|internal/contract)/|/_asm/' -o $(MUTATE_OUT) $(MUTATE_FLAGS) .

# Benchmarks (bench/, tables in BENCHMARKS.md), on one thread: -cpu 1 for
# Go, OPENBLAS_NUM_THREADS=1 for OpenBLAS, torch.set_num_threads(1).
BENCHTIME ?= 0.5s
BENCHFLAGS ?= -run '^$$' -benchmem -cpu 1 -benchtime $(BENCHTIME)
bench:
	$(GO) test $(BENCHFLAGS) -bench . ./bench/...

# The same on OpenBLAS (cgo; make install-openblas first), with Debian's
# OpenBLAS left to detect the CPU itself (OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE unset for this command, as for make compare).
bench-openblas:
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 CGO_LDFLAGS=-lopenblas \
	  $(GO) test -tags openblas $(BENCHFLAGS) -bench . ./bench/...

install-openblas:
	apt-get update && apt-get install -y libopenblas-dev

# What make compare needs beyond Go: OpenBLAS and Debian's PyTorch.
install-compare:
	apt-get update && apt-get install -y libopenblas-dev python3-torch

# reluproof (pure Go and OpenBLAS), Gorgonia (bench/gorgonia, its own
# module) and PyTorch (Debian's python3-torch; make install-compare installs
# it and OpenBLAS) back to back on the same shapes, in COMPARE_COUNT rounds so
# that a change of load on the machine hits all alike, then one table of
# ratios of the medians. Debian's OpenBLAS reads OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE: unset for these commands.
COMPARE_BENCH = '^Benchmark(Forward|Gradient|GradCheck|Directional)$$'
COMPARE_COUNT ?= 3
COMPARE_ENV = env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1
compare:
	@rm -f .compare-*.txt
	@for r in $$(seq $(COMPARE_COUNT)); do echo "round $$r of $(COMPARE_COUNT)"; \
	  $(GO) test $(BENCHFLAGS) -bench $(COMPARE_BENCH) ./bench >> .compare-gonum.txt && \
	  $(COMPARE_ENV) CGO_LDFLAGS=-lopenblas $(GO) test -tags openblas $(BENCHFLAGS) -bench $(COMPARE_BENCH) ./bench >> .compare-openblas.txt && \
	  (cd bench/gorgonia && $(GO) test $(BENCHFLAGS) -bench .) >> .compare-gorgonia.txt && \
	  $(COMPARE_ENV) /usr/bin/python3 bench/torch_compare.py --measure >> .compare-torch.txt || exit 1; \
	done
	$(COMPARE_ENV) /usr/bin/python3 bench/torch_compare.py --torch .compare-torch.txt \
	  --go .compare-gonum.txt --openblas .compare-openblas.txt --gorgonia .compare-gorgonia.txt
	@rm -f .compare-*.txt
.PHONY: bench-openblas install-openblas install-compare compare
