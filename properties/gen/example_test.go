package gen_test

import (
	"fmt"

	"pgregory.net/rapid"

	"github.com/reluproof/reluproof/properties"
	"github.com/reluproof/reluproof/properties/gen"
)

// A property over drawn network problems: every drawn network's gradient
// passes GradCheck. In a test the property runs as
//
//	func TestGradients(t *testing.T) { rapid.Check(t, prop) }
//
// where rapid draws the cases and shrinks a failing one; here it runs on
// three of rapid's example draws. Outside tests, Seeded draws the same kind
// of case from a seed without rapid's bit stream.
func Example() {
	cases := gen.Case(gen.NetSpec{MaxDepth: 2, MaxWidth: 4, Hidden: gen.SmoothActivations(), Output: gen.SmoothActivations()})
	prop := func(t *rapid.T) {
		c := cases.Draw(t, "case")
		r, err := properties.GradCheckNetwork(c.Net, c.X, c.T, c.Loss, nil)
		if err != nil || !r.Pass {
			t.Fatalf("%v: %v %v", c, r, err)
		}
	}
	ok := rapid.Custom(func(t *rapid.T) bool { prop(t); return true })
	for i := range 3 {
		fmt.Println(ok.Example(i))
	}
	c := cases.Seeded(1)
	fmt.Println(len(c.Net.Sizes()) >= 2, c.Loss != nil)
	// Output:
	// true
	// true
	// true
	// true true
}
