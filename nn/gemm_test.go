package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"

	"github.com/reluproof/reluproof/internal/gemm"
)

func randGeneral(rng *rand.Rand, r, c int) blas64.General {
	g := blas64.General{Rows: r, Cols: c, Stride: c, Data: make([]float64, r*c)}
	for i := range g.Data {
		if rng.IntN(3) > 0 { // a third zeros, as relu makes them
			g.Data[i] = rng.NormFloat64()
		}
	}
	return g
}

func transposed(g blas64.General) blas64.General {
	t := blas64.General{Rows: g.Cols, Cols: g.Rows, Stride: g.Rows, Data: make([]float64, len(g.Data))}
	transpose(t.Data, g, g.Rows, g.Cols)
	return t
}

// padded returns a copy of g stored with stride g.Cols + pad, the padding
// filled with NaN.
func padded(g blas64.General, pad int) blas64.General {
	p := blas64.General{Rows: g.Rows, Cols: g.Cols, Stride: g.Cols + pad, Data: make([]float64, g.Rows*(g.Cols+pad))}
	for i := range p.Data {
		p.Data[i] = math.NaN()
	}
	for i := 0; i < g.Rows; i++ {
		copy(p.Data[i*p.Stride:i*p.Stride+g.Cols], g.Data[i*g.Stride:i*g.Stride+g.Cols])
	}
	return p
}

// TestGemmLayouts checks the three product layouts against a naive triple
// loop, on the tiny-loop, matrix–vector, outer-product and blocked paths
// (sizes that cross the 64-wide blocks, the three-block panels and the
// 256-deep inner blocks, and a width of exactly three blocks), for beta 0
// and 1. Each entry is a sum of k products plus beta·c, computed in
// different orders on the two sides; each side is within γ_{k+1}·Σ|terms|
// of the exact value (γ_n = nε/(1−nε), the standard bound for a recursive
// sum of rounded products, which blocking only tightens), so they differ
// by at most 2γ_{k+1}·Σ|terms|.
//
// Each product also runs on operands stored with a stride 3 wider than
// their rows (all three, or one alone), the padding filled with NaN: an
// index that strays into the padding makes a NaN entry, and C's padding
// must come back untouched.
func TestGemmLayouts(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, d := range [][3]int{{4, 16, 8}, {1, 7, 3}, {64, 1, 128}, {256, 1, 64}, {256, 64, 1}, {1, 128, 64}, {130, 200, 70}, {128, 256, 200}, {70, 100, 600}, {5, 300, 9}, {300, 2, 40}, {70, 192, 100}} {
		m, n, k := d[0], d[1], d[2]
		// Draw every row's operands in order, before any subtest can stop,
		// so that each row sees the same numbers whichever rows run.
		a, b := randGeneral(rng, m, k), randGeneral(rng, k, n)
		c0 := randGeneral(rng, m, n)
		t.Run(fmt.Sprintf("%d×%d×%d", m, n, k), func(t *testing.T) {
			for _, beta := range []float64{0, 1} {
				want, tol := make([]float64, m*n), make([]float64, m*n)
				const eps = 0x1p-52
				gamma := float64(k+1) * eps / (1 - float64(k+1)*eps)
				for i := 0; i < m; i++ {
					for j := 0; j < n; j++ {
						s := beta * c0.Data[i*n+j]
						abs := math.Abs(s)
						for l := 0; l < k; l++ {
							p := a.Data[i*k+l] * b.Data[l*n+j]
							s += p
							abs += math.Abs(p)
						}
						want[i*n+j], tol[i*n+j] = s, 2*gamma*abs
					}
				}
				for _, layout := range []string{"NN", "NT", "TN"} {
					// Pads of A, B and C: contiguous, all strided, and each
					// of the single-column paths' operands strided alone.
					for _, pad := range [][3]int{{0, 0, 0}, {3, 3, 3}, {3, 0, 0}, {0, 3, 0}, {0, 0, 3}} {
						pa, pb, pc := pad[0], pad[1], pad[2]
						c := padded(c0, pc)
						scratch := make([]float64, max(m, n)*k)
						switch layout {
						case "NN":
							gemmNN(padded(a, pa), padded(b, pb), beta, c)
						case "NT":
							gemmNT(padded(a, pa), padded(transposed(b), pb), beta, c, scratch)
						case "TN":
							gemmTN(padded(transposed(a), pa), padded(b, pb), beta, c, scratch)
						}
						for i, w := range want {
							if got := c.Data[(i/n)*c.Stride+i%n]; !(math.Abs(got-w) <= tol[i]) {
								t.Fatalf("%s %d×%d×%d beta %v pads %v: C[%d][%d] = %v, want %v ± %v", layout, m, n, k, beta, pad, i/n, i%n, got, w, tol[i])
							}
						}
						for i := 0; i < m; i++ {
							for j := n; j < c.Stride; j++ {
								if v := c.Data[i*c.Stride+j]; !math.IsNaN(v) {
									t.Fatalf("%s %d×%d×%d beta %v pads %v: padding C[%d][%d] overwritten with %v", layout, m, n, k, beta, pad, i, j, v)
								}
							}
						}
					}
				}
			}
		})
	}
}

// dotOrder is dot's documented order, written out: four partial sums,
// term l going to sum l mod 4 over the whole groups of four, the tail to
// the first, combined as (s0 + s1) + (s2 + s3).
func dotOrder(x, y []float64) float64 {
	var s [4]float64
	whole := len(x) / 4 * 4
	for l := 0; l < whole; l++ {
		s[l%4] += x[l] * y[l]
	}
	for l := whole; l < len(x); l++ {
		s[0] += x[l] * y[l]
	}
	return (s[0] + s[1]) + (s[2] + s[3])
}

// sameBits reports whether got and want are the same float64, NaN for
// NaN and the sign of a zero included.
func sameBits(got, want float64) bool {
	return math.Float64bits(got) == math.Float64bits(want) || math.IsNaN(got) && math.IsNaN(want)
}

// TestDotPartialSums: dot adds in the order its comment documents, for
// every length up to three groups of four and a tail. The orders differ in
// rounding, so only equal bits pin the order; the first case is one where
// they differ: (1 + 0) + (2⁻⁵³ + 2⁻⁵³) = 1 + 2⁻⁵² exactly, where adding
// left to right rounds each 2⁻⁵³ away (a tie to even) and gives 1.
func TestDotPartialSums(t *testing.T) {
	u := 0x1p-53
	tie := []float64{1, 0, u, u}
	if got := dot(tie, []float64{1, 1, 1, 1}); got != 1+2*u {
		t.Errorf("dot(%v, ones) = %v, want (1 + 0) + (2⁻⁵³ + 2⁻⁵³) = 1 + 2⁻⁵²", tie, got)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 0; n <= 13; n++ {
		x, y := make([]float64, n), make([]float64, n+2) // y may be longer
		for i := range x {
			x[i] = rng.NormFloat64() * math.Ldexp(1, rng.IntN(40)-20)
		}
		for i := range y {
			y[i] = rng.NormFloat64()
		}
		t.Run(fmt.Sprintf("length %d", n), func(t *testing.T) {
			if got, want := dot(x, y), dotOrder(x, y[:n]); !sameBits(got, want) {
				t.Errorf("dot = %v, want %v (four partial sums)", got, want)
			}
		})
	}
}

// TestGemmSingleColumnPaths: the plain-loop products with a contiguous
// single column compute each entry in a documented order, and must give
// its bits exactly (TestGemmLayouts only holds them to a rounding bound):
// A·b as dot's four partial sums then + c (loopNN); the outer product
// a·bᵀ (inner dimension 1) as the single product aᵢ·bⱼ, then + c (loopNT);
// Aᵀ·b as c + Σₗ A[l][i]·b[l] left to right, zero terms included (loopTN;
// C starts from +0 when beta is 0). Zeros of both signs are planted so
// that an order which drops or reorders a zero term shows in a sign:
// 0·(−1) = −0 alone, but (+0) + (−0) = +0.
func TestGemmSingleColumnPaths(t *testing.T) {
	negZero := math.Copysign(0, -1)
	u := 0x1p-53
	rng := rand.New(rand.NewPCG(5, 6))
	const m, k = 7, 8 // m·k ≤ tinyGemm: the plain loops on every backend
	// A·b: row 0 is dot's order-sensitive case (see TestDotPartialSums).
	aNN, bNN := randGeneral(rng, m, k), randGeneral(rng, k, 1)
	copy(aNN.Data, []float64{1, 0, u, u, 0, 0, 0, 0})
	copy(bNN.Data, []float64{1, 1, 1, 1})
	// a·bᵀ: a column of zeros of both signs against a b of both signs.
	aNT := blas64.General{Rows: m, Cols: 1, Stride: 1, Data: []float64{0, negZero, 2, -3, 0.5, 0, 1e-300}}
	bNT := blas64.General{Rows: 5, Cols: 1, Stride: 1, Data: []float64{-1, 3, negZero, 0.25, 7}}
	// Aᵀ·b: column 0 of A is zero (its entry is a sum of +0s only).
	aTN, bTN := randGeneral(rng, k, m), randGeneral(rng, k, 1)
	for l := 0; l < k; l++ {
		aTN.Data[l*m] = 0
		bTN.Data[l] = math.Abs(bTN.Data[l]) + 1
	}
	for _, tc := range []struct {
		name string
		rows int
		cols int
		run  func(beta float64, c blas64.General)
		want func(i, j int, c float64, beta float64) float64
	}{
		{"NN one column", m, 1,
			func(beta float64, c blas64.General) { gemmNN(aNN, bNN, beta, c) },
			func(i, _ int, c, beta float64) float64 {
				s := dotOrder(aNN.Data[i*k:(i+1)*k], bNN.Data)
				if beta != 0 {
					s += c
				}
				return s
			}},
		{"NT inner dimension one", m, 5,
			func(beta float64, c blas64.General) { gemmNT(aNT, bNT, beta, c, make([]float64, 5)) },
			func(i, j int, c, beta float64) float64 {
				p := aNT.Data[i] * bNT.Data[j]
				if beta != 0 {
					return c + p
				}
				return p
			}},
		{"TN one column", m, 1,
			func(beta float64, c blas64.General) { gemmTN(aTN, bTN, beta, c, make([]float64, m*k)) },
			func(i, _ int, c, beta float64) float64 {
				s := 0.0
				if beta != 0 {
					s = c
				}
				for l := 0; l < k; l++ {
					s += aTN.Data[l*m+i] * bTN.Data[l]
				}
				return s
			}},
	} {
		for _, beta := range []float64{0, 1} {
			t.Run(fmt.Sprintf("%s beta %v", tc.name, beta), func(t *testing.T) {
				c := blas64.General{Rows: tc.rows, Cols: tc.cols, Stride: tc.cols, Data: make([]float64, tc.rows*tc.cols)}
				for i := range c.Data {
					c.Data[i] = []float64{negZero, 1.5, 0, -2}[i%4]
				}
				c0 := append([]float64(nil), c.Data...)
				tc.run(beta, c)
				for i := 0; i < tc.rows; i++ {
					for j := 0; j < tc.cols; j++ {
						got, want := c.Data[i*tc.cols+j], tc.want(i, j, c0[i*tc.cols+j], beta)
						if !sameBits(got, want) {
							t.Errorf("C[%d][%d] = %v (signbit %v), want %v (signbit %v)",
								i, j, got, math.Signbit(got), want, math.Signbit(want))
						}
					}
				}
			})
		}
	}
}

// TestGemmKernelDispatch: on gonum's native blas64, a product that is
// neither tiny nor a vector product runs whole on internal/gemm's Gemm
// when it has an assembly kernel, and otherwise as NoTrans×NoTrans panels
// of gonum's Dgemm on a transposed copy (gemm.go's comment). The paths
// compute each entry in different orders (the assembly kernels with fused
// multiply–adds in depth blocks, gonum's transposed layouts with dot
// products, its NoTrans×NoTrans with axpy updates), so only equal bits
// show which ran. 24×40×20 = 19 200 multiply–adds is past tinyGemm
// with every dimension above 1; the decision is read from gemm.Kernel
// itself, not from the code under test.
func TestGemmKernelDispatch(t *testing.T) {
	if !nativeBLAS() {
		t.Skip("blas64 is not gonum's native implementation: every such product goes to it whole")
	}
	const m, n, k = 24, 40, 20
	if m*n*k <= tinyGemm {
		t.Fatalf("%d×%d×%d is a tiny product; the test needs the blocked paths", m, n, k)
	}
	asm := gemm.Kernel() != gemm.PureGo
	rng := rand.New(rand.NewPCG(7, 8))
	a, b, c0 := randGeneral(rng, m, k), randGeneral(rng, k, n), randGeneral(rng, m, n)
	at, bt := transposed(a), transposed(b)
	for _, tc := range []struct {
		name   string
		run    func(beta float64, c blas64.General)
		tA, tB blas.Transpose
		ga, gb blas64.General // the operands as stored
	}{
		{"NN", func(beta float64, c blas64.General) { gemmNN(a, b, beta, c) }, blas.NoTrans, blas.NoTrans, a, b},
		{"NT", func(beta float64, c blas64.General) { gemmNT(a, bt, beta, c, make([]float64, n*k)) }, blas.NoTrans, blas.Trans, a, bt},
		{"TN", func(beta float64, c blas64.General) { gemmTN(at, b, beta, c, make([]float64, m*k)) }, blas.Trans, blas.NoTrans, at, b},
	} {
		for _, beta := range []float64{0, 1} {
			t.Run(fmt.Sprintf("%s beta %v kernel %s", tc.name, beta, gemm.Kernel()), func(t *testing.T) {
				got := blas64.General{Rows: m, Cols: n, Stride: n, Data: append([]float64(nil), c0.Data...)}
				want := blas64.General{Rows: m, Cols: n, Stride: n, Data: append([]float64(nil), c0.Data...)}
				tc.run(beta, got)
				if asm {
					gemm.Gemm(tc.tA, tc.tB, 1, tc.ga, tc.gb, beta, want)
				} else {
					panelsNN(a, b, beta, want) // the plain operands the copies recreate
				}
				for i := range want.Data {
					if !sameBits(got.Data[i], want.Data[i]) {
						t.Fatalf("C[%d][%d] = %v, want %v bit for bit (assembly kernel: %v)", i/n, i%n, got.Data[i], want.Data[i], asm)
					}
				}
			})
		}
	}
}
