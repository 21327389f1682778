package gemm

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

// A contender multiplies C = A·B (NoTrans×NoTrans, alpha 1, beta 0).
type contender struct {
	name string
	gemm func(a, b, c blas64.General)
}

// contenders are the kernels this CPU runs, gonum's native Dgemm and,
// under the openblas build tag, OpenBLAS through cgo.
func contenders() []contender {
	var cs []contender
	for _, k := range kernels() {
		cs = append(cs, contender{k.name, func(a, b, c blas64.General) {
			blocked(k, false, false, c.Rows, c.Cols, a.Cols, 1, a, b, 0, c)
		}})
	}
	cs = append(cs, contender{"gonum", func(a, b, c blas64.General) {
		gonum.Implementation{}.Dgemm(blas.NoTrans, blas.NoTrans, c.Rows, c.Cols, a.Cols, 1, a.Data, a.Stride, b.Data, b.Stride, 0, c.Data, c.Stride)
	}})
	return append(cs, extraContenders...)
}

// extraContenders holds OpenBLAS under the openblas build tag.
var extraContenders []contender

// benchSet is a list of products, m×n×k each, timed as one op.
type benchSet struct {
	name  string
	prods [][3]int
}

// benchSets are the squares 64² … 512² and, for each benchmark shape S, M
// and L, the products of one gradient step as bench.GEMMBound makes them:
// per layer in→out the forward batch×out×in, the weight gradient
// out×in×batch and, above the first layer, the input gradient
// batch×in×out.
func benchSets() []benchSet {
	var sets []benchSet
	for _, s := range []int{64, 128, 256, 512} {
		sets = append(sets, benchSet{fmt.Sprintf("%d²", s), [][3]int{{s, s, s}}})
	}
	for _, s := range []struct {
		name  string
		sizes []int
		batch int
	}{{"S", []int{1, 64, 64, 1}, 256}, {"M", []int{32, 128, 128, 1}, 64}, {"L", []int{784, 256, 256, 10}, 128}} {
		var ps [][3]int
		for l := 0; l+1 < len(s.sizes); l++ {
			in, out := s.sizes[l], s.sizes[l+1]
			ps = append(ps, [3]int{s.batch, out, in}, [3]int{out, in, s.batch})
			if l > 0 {
				ps = append(ps, [3]int{s.batch, in, out})
			}
		}
		sets = append(sets, benchSet{s.name, ps})
	}
	return sets
}

// BenchmarkGemm times C = A·B single-threaded on every contender, in ten
// interleaved rounds so that a change of load on the machine affects all
// alike, and reports each contender's GFLOP/s over process CPU time (wall
// time where the CPU clock does not work) and the ratios of the fastest
// kernel and of the AVX2 kernel to gonum and OpenBLAS. Each op is one pass
// over the set's products for every contender; ns/op is their sum.
//
//	go test -run '^$' -bench Gemm -cpu 1 ./internal/gemm
//	CGO_LDFLAGS=-lopenblas OPENBLAS_NUM_THREADS=1 go test -tags openblas -run '^$' -bench Gemm -cpu 1 ./internal/gemm
func BenchmarkGemm(b *testing.B) {
	rng := rand.New(rand.NewPCG(14, 2))
	for _, set := range benchSets() {
		b.Run(set.name, func(b *testing.B) {
			type prod struct{ a, b, c blas64.General }
			var ps []prod
			var flops float64
			for _, p := range set.prods {
				m, n, k := p[0], p[1], p[2]
				draw := func() float64 { return rng.NormFloat64() }
				ps = append(ps, prod{operand(m, k, 0, draw), operand(k, n, 0, draw), operand(m, n, 0, draw)})
				flops += 2 * float64(m*n*k)
			}
			cs := contenders()
			secs := make([]float64, len(cs))
			for _, c := range cs { // warm up: buffers, caches
				for _, p := range ps {
					c.gemm(p.a, p.b, p.c)
				}
			}
			b.ResetTimer()
			chunk := max(1, (b.N+9)/10)
			for done := 0; done < b.N; done += chunk {
				n := min(chunk, b.N-done)
				for i, c := range cs {
					t0, c0 := time.Now(), cpuTime()
					for range n {
						for _, p := range ps {
							c.gemm(p.a, p.b, p.c)
						}
					}
					if c1 := cpuTime(); c0 >= 0 && c1 > c0 {
						secs[i] += (c1 - c0).Seconds()
					} else {
						secs[i] += time.Since(t0).Seconds()
					}
				}
			}
			gflops := map[string]float64{}
			for i, c := range cs {
				gflops[c.name] = flops * float64(b.N) / secs[i] / 1e9
				b.ReportMetric(gflops[c.name], c.name+"-GFLOP/s")
			}
			for _, k := range []string{cs[0].name, AVX2} {
				for _, base := range []string{"gonum", "openblas"} {
					if gflops[k] > 0 && gflops[base] > 0 && k != base {
						b.ReportMetric(gflops[k]/gflops[base], k+"/"+base)
					}
				}
				if k == AVX2 {
					break
				}
			}
		})
	}
}
