package bench

import (
	"testing"
	"time"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/reluproof/reluproof/nn"
)

// TestGEMMBoundMatchesGradient confirms that the GEMM bound multiplies the
// gradient step's real operands: the parameter gradient assembled from its
// products equals nn's. Both sum the same products in possibly different
// orders and blockings, so they agree to a few hundred roundings of the
// largest term; 1e-12 relative (about 4500ε) with an absolute floor of
// 1e-12·max|g| covers the longest sum here (784 terms).
func TestGEMMBoundMatchesGradient(t *testing.T) {
	for _, s := range Shapes() {
		net, x, y, err := s.Setup(2)
		if err != nil {
			t.Fatal(err)
		}
		_, want, err := net.Gradient(x, y, nn.MSE)
		if err != nil {
			t.Fatal(err)
		}
		g, err := NewGEMMBound(net, x, y)
		if err != nil {
			t.Fatal(err)
		}
		g.Run()
		got := g.Gradient()
		if len(got) != len(want) {
			t.Fatalf("%s: bound gradient has %d entries, want %d", s.Name, len(got), len(want))
		}
		var scale float64
		for _, v := range want {
			scale = max(scale, abs(v))
		}
		for k := range want {
			if !scalar.EqualWithinAbsOrRel(got[k], want[k], 1e-12*scale, 1e-12) {
				t.Fatalf("%s: %s: bound %v, nn %v", s.Name, net.ParamName(k), got[k], want[k])
			}
		}
		if f, nominal := g.FLOPs(), s.GradientFLOPs(); !(f < nominal && f > 0.6*nominal) {
			t.Errorf("%s: bound FLOPs %v not in (0.6, 1)·%v", s.Name, f, nominal)
		}
	}
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

// BenchmarkForward times Network.Forward (which returns a fresh copy of the
// outputs) and reports GFLOP/s on the nominal count 2·batch·Σ in·out.
func BenchmarkForward(b *testing.B) {
	for _, s := range Shapes() {
		b.Run(s.Name, func(b *testing.B) {
			net, x, _, err := s.Setup(2)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := net.Forward(x); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := net.Forward(x); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(s.ForwardFLOPs()*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// BenchmarkGradient times one steady-state gradient step
// (Network.GradientInto: forward, MSE, backward) and, interleaved with it in
// the same process, a forward pass (Network.Forward) and the GEMM bound of
// the same step (GEMMBound.Run). It reports ns/op and allocations of the
// step alone, GFLOP/s on the nominal count 3·2·batch·Σ in·out, the bound's
// and the forward pass's times per step (gemm-ns/op, fwd-ns/op), and the
// ratios x-gemm = step time / bound time and x-fwd = step time / forward
// time.
func BenchmarkGradient(b *testing.B) {
	for _, s := range Shapes() {
		b.Run(s.Name, func(b *testing.B) {
			net, x, y, err := s.Setup(2)
			if err != nil {
				b.Fatal(err)
			}
			grad := make([]float64, net.NumParams())
			if _, err := net.GradientInto(grad, x, y, nn.MSE); err != nil {
				b.Fatal(err)
			}
			bound, err := NewGEMMBound(net, x, y)
			if err != nil {
				b.Fatal(err)
			}
			bound.Run()
			b.ReportAllocs()
			b.ResetTimer()
			// Alternate the three in about ten rounds, so that a change
			// of load on the machine affects all alike.
			chunk := max(1, (b.N+9)/10)
			var step, gemm, fwd time.Duration
			for done := 0; done < b.N; done += chunk {
				n := min(chunk, b.N-done)
				b.StartTimer()
				t0 := time.Now()
				for i := 0; i < n; i++ {
					if _, err := net.GradientInto(grad, x, y, nn.MSE); err != nil {
						b.Fatal(err)
					}
				}
				step += time.Since(t0)
				b.StopTimer()
				t1 := time.Now()
				for i := 0; i < n; i++ {
					bound.Run()
				}
				gemm += time.Since(t1)
				t2 := time.Now()
				for i := 0; i < n; i++ {
					if _, err := net.Forward(x); err != nil {
						b.Fatal(err)
					}
				}
				fwd += time.Since(t2)
			}
			b.ReportMetric(s.GradientFLOPs()*float64(b.N)/step.Seconds()/1e9, "GFLOP/s")
			b.ReportMetric(float64(gemm.Nanoseconds())/float64(b.N), "gemm-ns/op")
			b.ReportMetric(float64(fwd.Nanoseconds())/float64(b.N), "fwd-ns/op")
			b.ReportMetric(step.Seconds()/gemm.Seconds(), "x-gemm")
			b.ReportMetric(step.Seconds()/fwd.Seconds(), "x-fwd")
		})
	}
}
