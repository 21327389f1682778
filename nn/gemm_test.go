package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas/blas64"
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
