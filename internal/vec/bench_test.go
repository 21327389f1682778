package vec

import (
	"math/rand/v2"
	"testing"
	"time"
)

// BenchmarkPasses times both passes on S's hidden layer (batch 256, width
// 64) and L's (batch 128, width 256), on the Go path and on the AVX path,
// alternated within one benchmark so that the ratio go ÷ avx is measured
// side by side (reported as x-avx; 1 where there is no AVX path).
func BenchmarkPasses(b *testing.B) {
	for _, sh := range []struct {
		name        string
		rows, width int
	}{{"S", 256, 64}, {"L", 128, 256}} {
		rng := rand.New(rand.NewPCG(1, 2))
		z := make([]float64, sh.rows*sh.width)
		g := make([]float64, len(z))
		for i := range z {
			z[i], g[i] = rng.NormFloat64(), rng.NormFloat64()
		}
		bias, sum, dst := make([]float64, sh.width), make([]float64, sh.width), make([]float64, len(z))
		for _, p := range []struct {
			name string
			pass func()
		}{
			{"BiasReLU", func() { BiasReLU(dst, z, bias) }},
			{"ReLUBackSum", func() { ReLUBackSum(g, z, sum) }},
		} {
			name, pass := p.name, p.pass
			b.Run(name+"/"+sh.name, func(b *testing.B) {
				// Alternate chunks of 50 calls on each path, so that a change
				// of load on the machine hits both alike.
				const chunk = 50
				goPass := func() { withGo(pass) }
				var tGo, tAVX float64
				for done := 0; done < b.N; done += chunk {
					n := min(chunk, b.N-done)
					tGo += timed(goPass, n)
					tAVX += timed(pass, n)
				}
				b.ReportMetric(tGo/float64(b.N), "go-ns/op")
				b.ReportMetric(tAVX/float64(b.N), "avx-ns/op")
				b.ReportMetric(tGo/tAVX, "x-avx")
			})
		}
	}
}

// timed returns the wall time of n calls of f in nanoseconds.
func timed(f func(), n int) float64 {
	t := time.Now()
	for range n {
		f()
	}
	return float64(time.Since(t).Nanoseconds())
}
