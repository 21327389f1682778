package bench

import (
	"testing"

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
// outputs) and reports its process CPU time per op (cpu-ns/op; ns/op is
// wall-clock time) and GFLOP/s on the nominal count 2·batch·Σ in·out over
// CPU time.
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
			m := timeLoop(b, func() {
				if _, err := net.Forward(x); err != nil {
					b.Fatal(err)
				}
			})
			b.ReportMetric(s.ForwardFLOPs()*float64(b.N)/m.seconds()/1e9, "GFLOP/s")
		})
	}
}

// BenchmarkGradient times one steady-state gradient step
// (Network.GradientInto: forward, MSE, backward) and, interleaved with it in
// the same process, a forward pass (Network.Forward) and the GEMM bound of
// the same step (GEMMBound.Run). ns/op and allocations are the step's alone
// (wall-clock); cpu-ns/op, fwd-cpu-ns/op and gemm-cpu-ns/op are the process
// CPU times per op of the three, and the ratios x-gemm = step ÷ bound and
// x-fwd = step ÷ forward and GFLOP/s (nominal count 3·2·batch·Σ in·out) are
// taken from CPU time, which leaves out the time the process waited for a
// core on a loaded machine.
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
			var step, gemm, fwd meter
			for done := 0; done < b.N; done += chunk {
				n := min(chunk, b.N-done)
				b.StartTimer()
				step.start()
				for i := 0; i < n; i++ {
					if _, err := net.GradientInto(grad, x, y, nn.MSE); err != nil {
						b.Fatal(err)
					}
				}
				step.stop()
				b.StopTimer()
				gemm.start()
				for i := 0; i < n; i++ {
					bound.Run()
				}
				gemm.stop()
				fwd.start()
				for i := 0; i < n; i++ {
					if _, err := net.Forward(x); err != nil {
						b.Fatal(err)
					}
				}
				fwd.stop()
			}
			step.report(b, "")
			gemm.report(b, "gemm-")
			fwd.report(b, "fwd-")
			b.ReportMetric(s.GradientFLOPs()*float64(b.N)/step.seconds()/1e9, "GFLOP/s")
			b.ReportMetric(step.seconds()/gemm.seconds(), "x-gemm")
			b.ReportMetric(step.seconds()/fwd.seconds(), "x-fwd")
		})
	}
}
