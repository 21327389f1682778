package bench

import (
	"fmt"
	"testing"

	"github.com/reluproof/reluproof/approx"
	"github.com/reluproof/reluproof/nn"
)

// BenchmarkSigmoidSum times Nair & Hinton's stepped sigmoid sum S_{N,1}(x)
// (claims N1–N3) for N = 10, 100 and 1000 units and reports its throughput
// in sigmoid units per second.
func BenchmarkSigmoidSum(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			var sink float64
			for i := 0; i < b.N; i++ {
				sink += approx.SigmoidSum(float64(i%64)*0.25-4, n, 1)
			}
			if sink != sink {
				b.Fatal("NaN")
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Munits/s")
		})
	}
}

// BenchmarkInterpolant times the relu interpolant of sin 3x on n uniform
// pieces of [−1, 1] (claims U1–U3): building the width-n network and
// measuring its sup error on the refined grid the rate sweeps use
// (approx.RefinedGrid(knots, 4097, 8)). It reports the sup error, which
// must be within h²/8·max|f″| = (2/n)²/8·9.
func BenchmarkInterpolant(b *testing.B) {
	sin, _ := approx.TargetByName("sin3x")
	for n := 8; n <= 4096; n *= 8 {
		b.Run(fmt.Sprintf("width=%d", n), func(b *testing.B) {
			var sup float64
			for i := 0; i < b.N; i++ {
				knots, err := approx.UniformKnots(sin.A, sin.B, n)
				if err != nil {
					b.Fatal(err)
				}
				net, err := approx.Interpolant(sin.F, knots)
				if err != nil {
					b.Fatal(err)
				}
				xs, err := approx.RefinedGrid(knots, 4097, 8)
				if err != nil {
					b.Fatal(err)
				}
				if sup, _, err = approx.Errors(net, sin.F, xs); err != nil {
					b.Fatal(err)
				}
			}
			h := (sin.B - sin.A) / float64(n)
			if bound := h * h / 8 * sin.MaxF2 * (1 + 1e-9); !(sup <= bound) {
				b.Fatalf("sup error %v above the bound %v", sup, bound)
			}
			b.ReportMetric(sup, "sup-err")
		})
	}
}

// BenchmarkRandomFeatures times the least-squares fit of sin 3x on random
// relu features (claim U5) for widths 8 … 1024, on 2049 equally spaced
// samples of [−1, 1] (an SVD of a 2049×(width+1) design), and reports the
// RMS error on the samples.
func BenchmarkRandomFeatures(b *testing.B) {
	sin, _ := approx.TargetByName("sin3x")
	xs, err := approx.Grid(sin.A, sin.B, 2049)
	if err != nil {
		b.Fatal(err)
	}
	ys := make([]float64, len(xs))
	for i, x := range xs {
		ys[i] = sin.F(x)
	}
	for _, w := range []int{8, 64, 256, 1024} {
		b.Run(fmt.Sprintf("width=%d", w), func(b *testing.B) {
			var rms float64
			for i := 0; i < b.N; i++ {
				fit, err := approx.RandomFeatures(nn.ReLU, w, sin.A, sin.B, xs, ys, 1)
				if err != nil {
					b.Fatal(err)
				}
				if _, rms, err = approx.Errors(fit.Net, sin.F, xs); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(rms, "rms-err")
		})
	}
}

// BenchmarkPieces times the exact piece count of Telgarsky's sawtooth of
// depth k on [0, 1] (claim D1), which must be 2^k, for k = 5, 10, 15, 20.
func BenchmarkPieces(b *testing.B) {
	for k := 5; k <= 20; k += 5 {
		b.Run(fmt.Sprintf("k=%d", k), func(b *testing.B) {
			net, err := approx.Sawtooth(k)
			if err != nil {
				b.Fatal(err)
			}
			for i := 0; i < b.N; i++ {
				p, err := approx.Pieces(net, 0, 1)
				if err != nil {
					b.Fatal(err)
				}
				if p != 1<<k {
					b.Fatalf("%d pieces, want 2^%d", p, k)
				}
			}
			b.ReportMetric(float64(int(1)<<k)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mpieces/s")
		})
	}
}
