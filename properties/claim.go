package properties

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Config sizes one run of a claim's check. The zero value is the default
// run with seed 0.
type Config struct {
	// Seed drives every random choice of the run; the same seed gives the
	// same cases and the same figures.
	Seed uint64
	// Quick asks for smaller sweeps and fewer cases, for CI.
	Quick bool
	// Cases is the number of random cases for claims checked case by case;
	// 0 means the claim's default.
	Cases int
	// Progress, if not nil, is told how far a long check has got.
	Progress func(done, total int)
}

// Result is the outcome of one run of a claim's check.
type Result struct {
	ID        string  // catalogue ID, "G1"
	Title     string  // the claim in a few words
	Reference string  // where the claim comes from
	Measured  float64 // the headline figure measured
	Bound     string  // the bound or expected value it was held to, "≤ 0.0625", "−2 ± 0.1"
	Pass      bool    // whether the claim held
	Detail    string  // what was run: cases, skips, the worst case
	Seconds   float64 // wall time of the check
}

// Claim is one entry of the catalogue with the function that checks it.
// Run must be deterministic for a Config and must not panic on a failing
// claim: it reports failure in Result.Pass.
type Claim struct {
	ID        string
	Title     string
	Reference string
	Run       func(Config) Result
}

var registry = map[string]Claim{}

// Register adds a claim to the catalogue. It is called from init functions
// and panics on an empty or duplicate ID or a nil Run (programmer errors).
func Register(c Claim) {
	if c.ID == "" || c.Run == nil {
		panic("properties: claim needs an ID and a Run function")
	}
	if _, dup := registry[c.ID]; dup {
		panic("properties: duplicate claim " + c.ID)
	}
	registry[c.ID] = c
}

// familyOrder is the order of the catalogue's families.
const familyOrder = "GISNRUDT"

func claimLess(a, b string) bool {
	fa, fb := strings.IndexByte(familyOrder, a[0]), strings.IndexByte(familyOrder, b[0])
	if fa != fb {
		return fa < fb
	}
	na, ea := strconv.Atoi(a[1:])
	nb, eb := strconv.Atoi(b[1:])
	if ea != nil || eb != nil {
		return a < b
	}
	return na < nb
}

// Claims returns every registered claim in catalogue order (G, I, S, N, R,
// U, D, T, then by number).
func Claims() []Claim {
	out := make([]Claim, 0, len(registry))
	for _, c := range registry {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return claimLess(out[i].ID, out[j].ID) })
	return out
}

// Lookup returns the claim with the given ID.
func Lookup(id string) (Claim, bool) {
	c, ok := registry[id]
	return c, ok
}

// RunTimed runs the claim with cfg, fills in ID, Title, Reference and Seconds,
// and turns a panic inside the check into a failed Result, so that one
// broken check cannot take the whole report down.
func (c Claim) RunTimed(cfg Config) (r Result) {
	start := time.Now()
	defer func() {
		if p := recover(); p != nil {
			r = Result{Pass: false, Detail: fmt.Sprintf("check panicked: %v", p)}
		}
		r.ID, r.Title, r.Reference = c.ID, c.Title, c.Reference
		r.Seconds = time.Since(start).Seconds()
	}()
	return c.Run(cfg)
}
