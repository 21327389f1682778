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
		for name, pass := range map[string]func(){
			"BiasReLU":    func() { BiasReLU(dst, z, bias) },
			"ReLUBackSum": func() { ReLUBackSum(g, z, sum) },
		} {
			b.Run(name+"/"+sh.name, func(b *testing.B) {
				var tGo, tAVX float64
				for i := 0; i < b.N; i++ {
					tGo += timed(func() { withGo(pass) })
					tAVX += timed(pass)
				}
				b.ReportMetric(tGo/float64(b.N), "go-ns/op")
				b.ReportMetric(tAVX/float64(b.N), "avx-ns/op")
				b.ReportMetric(tGo/tAVX, "x-avx")
			})
		}
	}
}

// timed returns the wall time of f in nanoseconds.
func timed(f func()) float64 {
	t := time.Now()
	f()
	return float64(time.Since(t).Nanoseconds())
}
