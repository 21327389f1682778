package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
	"pgregory.net/rapid"
)

// layouts are the three products nn makes, as (op(A), op(B)).
var layouts = []struct {
	name   string
	tA, tB blas.Transpose
}{
	{"NN", blas.NoTrans, blas.NoTrans},
	{"NT", blas.NoTrans, blas.Trans},
	{"TN", blas.Trans, blas.NoTrans},
}

// shapeProducts are the m×n×k of every product of one gradient step of the
// benchmark shapes (bench/shapes.go: S 1-64-64-1 batch 256, M 32-128-128-1
// batch 64, L 784-256-256-10 batch 128, T 8-16-16-1 batch 4): per layer
// in→out, the forward batch×out×in, the weight gradient out×in×batch and
// the input gradient batch×in×out.
func shapeProducts() [][3]int {
	var ps [][3]int
	for _, s := range []struct {
		sizes []int
		batch int
	}{{[]int{1, 64, 64, 1}, 256}, {[]int{32, 128, 128, 1}, 64}, {[]int{784, 256, 256, 10}, 128}, {[]int{8, 16, 16, 1}, 4}} {
		for l := 0; l+1 < len(s.sizes); l++ {
			in, out := s.sizes[l], s.sizes[l+1]
			ps = append(ps, [3]int{s.batch, out, in}, [3]int{out, in, s.batch}, [3]int{s.batch, in, out})
		}
	}
	return ps
}

// useKernel switches Gemm to the named kernel for the rest of the test.
func useKernel(t testing.TB, name string) {
	prev, err := UseKernel(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { UseKernel(prev) })
}

// operand returns an r×c matrix with row stride c+pad whose elements are
// drawn by draw, the padding NaN (a stray index makes a NaN).
func operand(r, c, pad int, draw func() float64) blas64.General {
	g := blas64.General{Rows: r, Cols: c, Stride: max(1, c+pad)}
	g.Data = make([]float64, max(0, (r-1)*g.Stride+c))
	for i := range g.Data {
		if i%g.Stride < c {
			g.Data[i] = draw()
		} else {
			g.Data[i] = math.NaN()
		}
	}
	return g
}

// operandShapes returns the rows and columns of A and of B for an m×n×k
// product op(A)·op(B) with the transposes tA and tB.
func operandShapes(tA, tB blas.Transpose, m, n, k int) (ar, ac, br, bc int) {
	ar, ac, br, bc = m, k, k, n
	if tA == blas.Trans {
		ar, ac = ac, ar
	}
	if tB == blas.Trans {
		br, bc = bc, br
	}
	return ar, ac, br, bc
}

func clone(g blas64.General) blas64.General {
	g.Data = append([]float64(nil), g.Data...)
	return g
}

// gamma is γ_n = n·u/(1−n·u), u = 2⁻⁵³, the relative error bound of n
// roundings.
func gamma(n int) float64 {
	const u = 0x1p-53
	return float64(n) * u / (1 - float64(n)*u)
}

// roundings is the number of roundings an element of C passes through on
// either side: k in the running sum of the inner dimension, one for alpha,
// one for beta·c, one for the final addition and one per panel of the
// inner dimension (the blocked path adds each panel's sum to C; gonum's
// Dgemm rounds alpha·a and the product separately, within the same count).
func roundings(k int) int { return k + (k+255)/256 + 3 }

// checkProduct runs Gemm on the current kernel and gonum's Dgemm on copies
// of the same operands and reports the first element outside the rounding
// bound, or a changed padding element of C.
func checkProduct(tA, tB blas.Transpose, alpha float64, a, b blas64.General, beta float64, c blas64.General) error {
	m, n := c.Rows, c.Cols
	k := a.Cols
	if tA == blas.Trans {
		k = a.Rows
	}
	want := clone(c)
	gonum.Implementation{}.Dgemm(tA, tB, m, n, k, alpha, a.Data, a.Stride, b.Data, b.Stride, beta, want.Data, want.Stride)
	got := clone(c)
	Gemm(tA, tB, alpha, a, b, beta, got)
	at := func(g blas64.General, t blas.Transpose, i, j int) float64 {
		if t == blas.Trans {
			i, j = j, i
		}
		return g.Data[i*g.Stride+j]
	}
	// Each side is within γ·(|alpha|·Σ|aᵢₗ·bₗⱼ| + |beta·cᵢⱼ|) of the exact
	// value, so they differ by at most twice that.
	g2 := 2 * gamma(roundings(k))
	for idx := range got.Data {
		i, j := idx/c.Stride, idx%c.Stride
		if j >= n {
			if math.Float64bits(got.Data[idx]) != math.Float64bits(c.Data[idx]) {
				return fmt.Errorf("padding of C at %d changed to %v", idx, got.Data[idx])
			}
			continue
		}
		var abs float64
		if alpha != 0 {
			for l := 0; l < k; l++ {
				abs += math.Abs(at(a, tA, i, l) * at(b, tB, l, j))
			}
		}
		bound := g2 * (math.Abs(alpha)*abs + math.Abs(beta*c.Data[idx]))
		if beta == 0 && alpha == 0 {
			bound = 0
		}
		if d := math.Abs(got.Data[idx] - want.Data[idx]); !(d <= bound) {
			return fmt.Errorf("C[%d][%d] = %v, gonum %v: |difference| %v above the bound %v", i, j, got.Data[idx], want.Data[idx], d, bound)
		}
	}
	return nil
}

// scalars are the alpha and beta the property draws.
var scalars = []float64{0, 1, -1, 0.5}

// propGemm: for every kernel, layout, m, n, k in 1…70 or a product of the
// benchmark shapes, alpha and beta in {0, 1, −1, 0.5}, strides with up to 3
// elements of NaN padding and elements sign × [0, 4) with about a quarter
// exact zeros, Gemm agrees with gonum's Dgemm within 2γ_{k+⌈k/256⌉+3}·
// (|alpha|·(|op(A)|·|op(B)|)ᵢⱼ + |beta·cᵢⱼ|), leaves C's padding alone
// and gives the same bits when run again.
func propGemm(t *rapid.T) {
	kern := rapid.SampledFrom(Kernels()).Draw(t, "kernel")
	lay := rapid.IntRange(0, len(layouts)-1).Draw(t, "layout")
	var m, n, k int
	if rapid.IntRange(0, 4).Draw(t, "shape?") == 0 {
		p := rapid.SampledFrom(shapeProducts()).Draw(t, "shape product")
		m, n, k = p[0], p[1], p[2]
	} else {
		m = rapid.IntRange(1, 70).Draw(t, "m")
		n = rapid.IntRange(1, 70).Draw(t, "n")
		k = rapid.IntRange(1, 70).Draw(t, "k")
	}
	alpha := rapid.SampledFrom(scalars).Draw(t, "alpha")
	beta := rapid.SampledFrom(scalars).Draw(t, "beta")
	pads := rapid.SliceOfN(rapid.IntRange(0, 3), 3, 3).Draw(t, "pads")
	seed := rapid.Uint64().Draw(t, "seed")

	prev, err := UseKernel(kern)
	if err != nil {
		t.Fatal(err)
	}
	defer UseKernel(prev)
	rng := rand.New(rand.NewPCG(seed, 14))
	draw := func() float64 {
		if rng.IntN(4) == 0 {
			return 0
		}
		v := 4 * rng.Float64()
		if rng.IntN(2) == 0 {
			v = -v
		}
		return v
	}
	l := layouts[lay]
	ar, ac, br, bc := operandShapes(l.tA, l.tB, m, n, k)
	a := operand(ar, ac, pads[0], draw)
	b := operand(br, bc, pads[1], draw)
	c := operand(m, n, pads[2], draw)
	if err := checkProduct(l.tA, l.tB, alpha, a, b, beta, c); err != nil {
		t.Fatalf("%s %s %d×%d×%d alpha %v beta %v: %v", kern, l.name, m, n, k, alpha, beta, err)
	}
	once, twice := clone(c), clone(c)
	Gemm(l.tA, l.tB, alpha, a, b, beta, once)
	Gemm(l.tA, l.tB, alpha, a, b, beta, twice)
	for i := range once.Data {
		if math.Float64bits(once.Data[i]) != math.Float64bits(twice.Data[i]) {
			t.Fatalf("%s: two runs differ at %d: %v, %v", kern, i, once.Data[i], twice.Data[i])
		}
	}
}

func TestPropertyGemm(t *testing.T) { rapid.Check(t, propGemm) }

// TestGemmEdges sweeps every m and n in 1…70 (every edge tile of every
// kernel, several times over) for inner dimensions 1, 3, 5 and 17 (the
// unrolled loop's remainders; under the race detector or -short m and n
// in 1…40 for k = 5), and every k in 1…70 and across the
// 256-deep panels for a few m×n, in each layout, on every kernel, with
// alpha −0.5 and beta 0.5 (both scaling paths at once) against gonum
// within the bound of propGemm.
func TestGemmEdges(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 1))
	draw := func() float64 { return 2*rng.Float64() - 1 }
	type dims struct{ m, n, k int }
	var ds []dims
	ks, top := []int{1, 3, 5, 17}, 70
	if raceDetector || testing.Short() {
		// Still every edge tile of each kernel, in a tenth of the time:
		// under the race detector (ten times slower) and under -short,
		// which make mutate passes (the sweep is the bulk of each gemm
		// mutant's cost).
		ks, top = []int{5}, 40
	}
	for _, k := range ks {
		for m := 1; m <= top; m++ {
			for n := 1; n <= top; n++ {
				ds = append(ds, dims{m, n, k})
			}
		}
	}
	for k := 1; k <= 70; k++ {
		ds = append(ds, dims{9, 17, k}, dims{24, 40, k})
	}
	for _, k := range []int{255, 256, 257, 511, 513, 784} {
		ds = append(ds, dims{13, 19, k}, dims{97, 33, k})
	}
	for _, kern := range Kernels() {
		t.Run(kern, func(t *testing.T) {
			useKernel(t, kern)
			for _, l := range layouts {
				for _, d := range ds {
					ar, ac, br, bc := operandShapes(l.tA, l.tB, d.m, d.n, d.k)
					a, b, c := operand(ar, ac, 1, draw), operand(br, bc, 0, draw), operand(d.m, d.n, 2, draw)
					if err := checkProduct(l.tA, l.tB, -0.5, a, b, 0.5, c); err != nil {
						t.Fatalf("%s %d×%d×%d: %v", l.name, d.m, d.n, d.k, err)
					}
				}
			}
		})
	}
}

// TestGemmScalars checks gonum's special cases on every kernel: beta 0
// overwrites a NaN in C; alpha 0 reads neither A nor B (NaN there stays
// out of C) and scales C by beta; k 0 scales C by beta; m or n 0 writes
// nothing.
func TestGemmScalars(t *testing.T) {
	nan := math.NaN()
	for _, kern := range Kernels() {
		t.Run(kern, func(t *testing.T) {
			useKernel(t, kern)
			for _, sz := range []int{3, 40} {
				ones := func(r, c int) blas64.General { return operand(r, c, 0, func() float64 { return 1 }) }
				a, b := ones(sz, 5), ones(5, sz)
				c := operand(sz, sz, 0, func() float64 { return nan })
				Gemm(blas.NoTrans, blas.NoTrans, 2, a, b, 0, c)
				for i, v := range c.Data {
					if v != 10 {
						t.Fatalf("beta 0 over NaN: C[%d] = %v, want 10", i, v)
					}
				}
				na := operand(sz, 5, 0, func() float64 { return nan })
				Gemm(blas.NoTrans, blas.Trans, 0, na, na, 0.5, c)
				for i, v := range c.Data {
					if v != 5 {
						t.Fatalf("alpha 0: C[%d] = %v, want 5", i, v)
					}
				}
				Gemm(blas.NoTrans, blas.NoTrans, 1, ones(sz, 0), ones(0, sz), -1, c)
				for i, v := range c.Data {
					if v != -5 {
						t.Fatalf("k 0: C[%d] = %v, want −5", i, v)
					}
				}
				Gemm(blas.NoTrans, blas.Trans, 0, na, na, 0, c)
				for i, v := range c.Data {
					if v != 0 {
						t.Fatalf("alpha 0 beta 0: C[%d] = %v, want 0", i, v)
					}
				}
			}
			empty := blas64.General{Stride: 1}
			Gemm(blas.NoTrans, blas.NoTrans, 1, empty, blas64.General{Rows: 0, Cols: 4, Stride: 4}, 0, blas64.General{Rows: 0, Cols: 4, Stride: 4})
		})
	}
}

// TestGemmPanics: bad arguments panic with gemm's prefix.
func TestGemmPanics(t *testing.T) {
	g := func(r, c, stride, n int) blas64.General {
		return blas64.General{Rows: r, Cols: c, Stride: stride, Data: make([]float64, n)}
	}
	for _, tc := range []struct {
		name    string
		tA      blas.Transpose
		a, b, c blas64.General
	}{
		{"inner", blas.NoTrans, g(2, 3, 3, 6), g(2, 2, 2, 4), g(2, 2, 2, 4)},
		{"C shape", blas.NoTrans, g(2, 3, 3, 6), g(3, 2, 2, 6), g(3, 2, 2, 6)},
		{"stride", blas.NoTrans, g(2, 3, 2, 6), g(3, 2, 2, 6), g(2, 2, 2, 4)},
		{"short", blas.NoTrans, g(2, 3, 3, 5), g(3, 2, 2, 6), g(2, 2, 2, 4)},
		{"negative", blas.NoTrans, g(-1, 3, 3, 0), g(3, 2, 2, 6), g(-1, 2, 2, 0)},
		{"transpose", 'x', g(2, 3, 3, 6), g(3, 2, 2, 6), g(2, 2, 2, 4)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if s, ok := r.(string); !ok || len(s) < 6 || s[:6] != "gemm: " {
					t.Fatalf("recovered %v, want a gemm: panic", r)
				}
			}()
			Gemm(tc.tA, blas.NoTrans, 1, tc.a, tc.b, 0, tc.c)
		})
	}
}

// TestKernels: the kernel list ends in pure Go, every name in it can be
// used, and an unknown name is an error that changes nothing.
func TestKernels(t *testing.T) {
	ks := Kernels()
	if ks[len(ks)-1] != PureGo {
		t.Fatalf("Kernels() = %v, want purego last", ks)
	}
	for _, k := range ks {
		useKernel(t, k)
		if got := Kernel(); got != k {
			t.Fatalf("after UseKernel(%q), Kernel() = %q", k, got)
		}
	}
	before := Kernel()
	if _, err := UseKernel("sse9"); err == nil || Kernel() != before {
		t.Fatalf("UseKernel(sse9): err %v, kernel %q, want an error and %q", err, Kernel(), before)
	}
}

// TestGemmAllocs: no allocation per call once the buffers exist.
func TestGemmAllocs(t *testing.T) {
	for _, kern := range Kernels()[:len(Kernels())-1] {
		useKernel(t, kern)
		one := func() float64 { return 1 }
		a, b, c := operand(100, 300, 0, one), operand(300, 50, 0, one), operand(100, 50, 0, one)
		Gemm(blas.NoTrans, blas.NoTrans, 1, a, b, 0, c)
		if n := testing.AllocsPerRun(10, func() { Gemm(blas.NoTrans, blas.NoTrans, 1, a, b, 0, c) }); n != 0 {
			t.Errorf("%s: %v allocations per call", kern, n)
		}
	}
}

// TestGemmEmptyOperandsNeedNoData: a matrix with no rows or no columns
// holds no element, so nil data holds it at any stride; with k = 0 (op(A)
// m×0, op(B) 0×n, either stored transposed or not) Gemm sets C to beta·C
// on every kernel, where gonum's Dgemm would ask for (rows−1)·stride
// elements.
func TestGemmEmptyOperandsNeedNoData(t *testing.T) {
	const m, n = 3, 4
	empty := func(r, c int) blas64.General { return blas64.General{Rows: r, Cols: c, Stride: max(1, c)} }
	for _, kern := range Kernels() {
		for _, l := range layouts {
			t.Run(kern+"/"+l.name, func(t *testing.T) {
				useKernel(t, kern)
				a, b := empty(m, 0), empty(0, n)
				if l.tA == blas.Trans {
					a = empty(0, m)
				}
				if l.tB == blas.Trans {
					b = empty(n, 0)
				}
				c := operand(m, n, 0, func() float64 { return 3 })
				Gemm(l.tA, l.tB, 1, a, b, -0.5, c)
				for i, v := range c.Data {
					if v != -1.5 {
						t.Fatalf("C[%d] = %v, want −0.5·3 = −1.5", i, v)
					}
				}
			})
		}
	}
}
