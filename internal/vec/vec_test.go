package vec

import (
	"fmt"
	"math"
	"testing"

	"pgregory.net/rapid"
)

// specials are the values at which an element-wise pass can go wrong:
// signed zeros, the smallest and largest magnitudes, subnormals, ±Inf and
// NaN.
var specials = []float64{
	0, math.Copysign(0, -1), 1, -1, math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64,
	0x1p-1022, -0x1p-1022, math.MaxFloat64, -math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN(),
}

// element draws a float64 that is often one of the specials.
func element(t *rapid.T, label string) float64 {
	if rapid.IntRange(0, 3).Draw(t, label+"kind") == 0 {
		return rapid.SampledFrom(specials).Draw(t, label+"special")
	}
	return rapid.Float64().Draw(t, label)
}

// draw returns n elements.
func draw(t *rapid.T, n int, label string) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = element(t, label)
	}
	return s
}

// guard is the number of elements past z's end that the passes must leave
// alone; they hold a NaN with a payload no arithmetic produces.
const guard = 5

var guardBits uint64 = 0x7ff8_dead_beef_0001

// withGuard returns s followed by guard elements of guardBits.
func withGuard(s []float64) []float64 {
	out := append([]float64(nil), s...)
	for range guard {
		out = append(out, math.Float64frombits(guardBits))
	}
	return out
}

// same reports whether a and b hold the same bits, where any NaN equals any
// NaN (the paths may differ in a NaN's payload, as Go's scalar arithmetic
// itself may, depending on operand order).
func same(a, b float64) bool {
	if math.IsNaN(a) && math.IsNaN(b) {
		return true
	}
	return math.Float64bits(a) == math.Float64bits(b)
}

// sameSlices fails t at the first element where got and want differ.
func sameSlices(t interface {
	Helper()
	Fatalf(string, ...any)
}, what string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: length %d, want %d", what, len(got), len(want))
	}
	for i := range got {
		if !same(got[i], want[i]) {
			t.Fatalf("%s[%d] = %v (%#x), want %v (%#x)", what, i, got[i], math.Float64bits(got[i]), want[i], math.Float64bits(want[i]))
		}
	}
}

// checkGuard fails t if a guard element past n was written.
func checkGuard(t interface {
	Helper()
	Fatalf(string, ...any)
}, what string, s []float64, n int) {
	t.Helper()
	for i := n; i < len(s); i++ {
		if math.Float64bits(s[i]) != guardBits {
			t.Fatalf("%s[%d] past the end was overwritten with %v", what, i, s[i])
		}
	}
}

// withGo runs f with the passes on their Go path.
func withGo(f func()) {
	prev := useAVX
	useAVX = false
	defer func() { useAVX = prev }()
	f()
}

// reluDef is relu by its definition: the input where it is positive, NaN
// where it is NaN, +0 elsewhere.
func reluDef(v float64) float64 {
	switch {
	case v > 0, math.IsNaN(v):
		return v
	}
	return 0
}

// TestPropertyPassesMatchDefinition checks both passes, on the path this CPU runs,
// against their definitions written out element by element, on rows of 1
// to 70 columns (every remainder of 4 and 16) and 0 to 9 rows, with the
// specials mixed in.
func TestPropertyPassesMatchDefinition(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := rapid.IntRange(1, 70).Draw(t, "c")
		rows := rapid.IntRange(0, 9).Draw(t, "rows")
		z := draw(t, rows*c, "z")
		b := draw(t, c, "b")
		g := draw(t, rows*c, "g")

		zz, dst := withGuard(z), withGuard(make([]float64, rows*c))
		BiasReLU(dst, zz[:rows*c], b)
		for i := range z {
			v := z[i] + b[i%c]
			if !same(zz[i], v) {
				t.Fatalf("z[%d] = %v, want %v + %v = %v", i, zz[i], z[i], b[i%c], v)
			}
			if !same(dst[i], reluDef(v)) {
				t.Fatalf("relu[%d] = %v (%#x), want %v", i, dst[i], math.Float64bits(dst[i]), reluDef(v))
			}
		}
		checkGuard(t, "z", zz, rows*c)
		checkGuard(t, "dst", dst, rows*c)

		gg, sum := withGuard(g), withGuard(make([]float64, c))
		for i := range sum[:c] {
			sum[i] = 42 // overwritten, not added to
		}
		ReLUBackSum(gg[:rows*c], z, sum[:c])
		want := make([]float64, c)
		for i := range g {
			d := 0.0
			if z[i] > 0 {
				d = g[i]
			}
			if !same(gg[i], d) {
				t.Fatalf("g[%d] = %v, want %v (z = %v)", i, gg[i], d, z[i])
			}
			want[i%c] += d
		}
		sameSlices(t, "sum", sum[:c], want)
		checkGuard(t, "g", gg, rows*c)
		checkGuard(t, "sum", sum, c)
	})
}

// TestPropertyAssemblyMatchesGo checks that the AVX path gives the Go path's
// results on the same operands, on this CPU (skipped without AVX or under
// the purego tag, where there is one path).
func TestPropertyAssemblyMatchesGo(t *testing.T) {
	if !useAVX {
		t.Skip("no AVX kernel in this build or on this CPU")
	}
	rapid.Check(t, func(t *rapid.T) {
		c := rapid.IntRange(1, 70).Draw(t, "c")
		rows := rapid.IntRange(0, 9).Draw(t, "rows")
		z := draw(t, rows*c, "z")
		b := draw(t, c, "b")
		g := draw(t, rows*c, "g")

		z1, d1 := append([]float64(nil), z...), make([]float64, rows*c)
		z2, d2 := append([]float64(nil), z...), make([]float64, rows*c)
		BiasReLU(d1, z1, b)
		withGo(func() { BiasReLU(d2, z2, b) })
		sameSlices(t, "z", z1, z2)
		sameSlices(t, "dst", d1, d2)

		g1, s1 := append([]float64(nil), g...), make([]float64, c)
		g2, s2 := append([]float64(nil), g...), make([]float64, c)
		ReLUBackSum(g1, z, s1)
		withGo(func() { ReLUBackSum(g2, z, s2) })
		sameSlices(t, "g", g1, g2)
		sameSlices(t, "sum", s1, s2)
	})
}

// TestColumnSumOrder checks that a column is summed in row order from +0:
// 1, 2⁵³ and −2⁵³ sum to 0 in that order (1 + 2⁵³ rounds to 2⁵³), and to
// 1 in any order that adds the large two first. Every column of every
// block width (16, 4 and the Go tail) gets the same rows.
func TestColumnSumOrder(t *testing.T) {
	for _, c := range []int{1, 3, 4, 5, 16, 21} {
		z := make([]float64, 3*c)
		g := make([]float64, 3*c)
		for j := range c {
			z[j], z[c+j], z[2*c+j] = 1, 1, 1
			g[j], g[c+j], g[2*c+j] = 1, 0x1p53, -0x1p53
		}
		sum := make([]float64, c)
		ReLUBackSum(g, z, sum)
		for j, s := range sum {
			if s != 0 {
				t.Errorf("c = %d: sum[%d] = %v, want 0 (row order)", c, j, s)
			}
		}
	}
}

// TestShapePanics checks the documented panics.
func TestShapePanics(t *testing.T) {
	cases := []struct {
		name string
		f    func()
	}{
		{"BiasReLU empty b", func() { BiasReLU(make([]float64, 4), make([]float64, 4), nil) }},
		{"BiasReLU ragged z", func() { BiasReLU(make([]float64, 5), make([]float64, 5), make([]float64, 2)) }},
		{"BiasReLU short dst", func() { BiasReLU(make([]float64, 3), make([]float64, 4), make([]float64, 2)) }},
		{"ReLUBackSum empty sum", func() { ReLUBackSum(make([]float64, 4), make([]float64, 4), nil) }},
		{"ReLUBackSum ragged z", func() { ReLUBackSum(make([]float64, 5), make([]float64, 5), make([]float64, 2)) }},
		{"ReLUBackSum short g", func() { ReLUBackSum(make([]float64, 3), make([]float64, 4), make([]float64, 2)) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			tc.f()
		})
	}
}

// TestKeepPositive checks relu′(z)·g at the specials of z.
func TestKeepPositive(t *testing.T) {
	for _, z := range specials {
		want := 0.0
		if z > 0 {
			want = -3
		}
		if got := KeepPositive(-3, z); !same(got, want) {
			t.Errorf("KeepPositive(−3, %v) = %v, want %v", z, got, want)
		}
	}
}

// TestZeroRows: with no rows (empty z) on the path this CPU runs, for row
// lengths below, at and past the AVX blocks of 4 and 16, BiasReLU writes
// nothing (not even into a longer dst) and ReLUBackSum sets every column
// sum to +0, the empty sum from +0, over a NaN it must not read.
func TestZeroRows(t *testing.T) {
	for _, c := range []int{1, 3, 4, 5, 16, 21} {
		t.Run(fmt.Sprint("c=", c), func(t *testing.T) {
			b := make([]float64, c)
			dst := withGuard(nil)
			BiasReLU(dst, nil, b)
			checkGuard(t, "dst", dst, 0)
			sum := make([]float64, c)
			for j := range sum {
				sum[j] = math.NaN()
			}
			ReLUBackSum(nil, nil, sum)
			for j, s := range sum {
				if math.Float64bits(s) != 0 {
					t.Fatalf("sum[%d] = %v, want +0", j, s)
				}
			}
		})
	}
}
