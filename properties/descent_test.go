package properties

import (
	"math"
	"testing"
)

// TestDescentCheckCatchesAscent: on f(x) = Σ (k+1)·x_k² + sin x₀ the right
// gradient lowers f at small steps, and the same gradient with its sign
// flipped, or with one coordinate's sign flipped where that coordinate
// dominates, raises it, so the check fails.
func TestDescentCheckCatchesAscent(t *testing.T) {
	f := func(x []float64) float64 {
		s := math.Sin(x[0])
		for k, v := range x {
			s += float64(k+1) * v * v
		}
		return s
	}
	grad := func(dst, x []float64) {
		for k, v := range x {
			dst[k] = 2 * float64(k+1) * v
		}
		dst[0] += math.Cos(x[0])
	}
	x := []float64{0.7, -1.3, 2.1}
	good, err := DescentCheck(Function{F: f, Grad: grad, What: "f"}, x)
	if err != nil {
		t.Fatal(err)
	}
	// The ratio of actual to predicted decrease tends to 1 as η → 0: at
	// the smallest usable step the second-order term is below 1e-3 of it.
	if !good.Pass || good.Skipped || math.Abs(good.Ratio-1) > 1e-3 {
		t.Errorf("right gradient: %v (ratio %v), want a pass with ratio ≈ 1", good, good.Ratio)
	}
	bugs := map[string]func(dst, x []float64){
		"sign flipped": func(dst, x []float64) {
			grad(dst, x)
			for k := range dst {
				dst[k] = -dst[k]
			}
		},
		"dominant coordinate flipped": func(dst, x []float64) { grad(dst, x); dst[2] = -dst[2] },
	}
	for name, bug := range bugs {
		t.Run(name, func(t *testing.T) {
			r, err := DescentCheck(Function{F: f, Grad: bug, What: "f"}, x)
			if err != nil {
				t.Fatal(err)
			}
			if r.Pass || r.Skipped || r.Err() == nil {
				t.Errorf("planted bug passed the descent check: %v", r)
			}
		})
	}
	// A zero gradient says nothing: skipped, never passed.
	r, err := DescentCheck(Function{F: func([]float64) float64 { return 1 }, Grad: func(dst, _ []float64) { clear(dst) }}, x)
	if err != nil || !r.Skipped || r.Pass {
		t.Errorf("zero gradient: %v, %v; want skipped", r, err)
	}
}
