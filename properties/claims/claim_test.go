package claims

import (
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestConcurrentClaims runs different claims at once from several
// goroutines, as RunTimed's doc allows, and requires each result to equal
// the serial one (wall times aside); under -race any state shared between
// checks shows.
func TestConcurrentClaims(t *testing.T) {
	ids := []string{"G1", "G7", "I2", "S1", "S4", "N1", "R2", "U1", "D1", "T1"}
	cfg := Config{Seed: 3, Quick: true, Cases: 8}
	run := func(id string) Result {
		c, ok := Lookup(id)
		if !ok {
			t.Fatalf("no claim %s", id)
		}
		return c.RunTimed(cfg)
	}
	want := make([]Result, len(ids))
	for i, id := range ids {
		want[i] = run(id)
	}
	got := make([]Result, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() { got[i] = run(id) })
	}
	wg.Wait()
	ignore := cmpopts.IgnoreFields(Result{}, "Seconds")
	for i := range ids {
		if !want[i].Pass {
			t.Errorf("%s failed serially: %s", ids[i], want[i].Detail)
		}
		if diff := cmp.Diff(want[i], got[i], ignore, cmpopts.EquateNaNs()); diff != "" {
			t.Errorf("%s differs when run concurrently (-serial +concurrent):\n%s", ids[i], diff)
		}
	}
}

// TestCatalogueOrder: All lists every claim once, in the catalogue's order,
// each with a check, and Lookup finds each.
func TestCatalogueOrder(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range All() {
		if seen[c.ID] || c.Run == nil || c.Title == "" || c.Reference == "" {
			t.Errorf("claim %q: duplicate, or no check, title or reference", c.ID)
		}
		seen[c.ID] = true
		if l, ok := Lookup(c.ID); !ok || l.ID != c.ID {
			t.Errorf("Lookup(%s) = %v, %v", c.ID, l.ID, ok)
		}
	}
	if _, ok := Lookup("Z9"); ok {
		t.Error("Lookup found a claim Z9")
	}
}
