// Package gorgonia measures Gorgonia (v0.9.18, the main Go peer of
// reluproof's package nn) on the benchmark shapes of BENCHMARKS.md: a
// forward pass and a gradient step (forward, MSE, backward) of the same
// float64 networks, written the way Gorgonia's own examples write them
// (x·W with W in×out, BroadcastAdd of the bias, Rectify or Tanh, a tape
// machine). It is a separate module so that reluproof does not depend on
// Gorgonia; run it with `cd bench/gorgonia && go test -bench .` (Linux: the
// CPU-time metric reads CLOCK_PROCESS_CPUTIME_ID).
package gorgonia

import (
	"math/rand/v2"
	"syscall"
	"testing"
	"time"
	"unsafe"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

type shape struct {
	name  string
	sizes []int
	batch int
	tanh  bool
}

var shapes = []shape{
	{"S", []int{1, 64, 64, 1}, 256, false},
	{"M", []int{32, 128, 128, 1}, 64, false},
	{"L", []int{784, 256, 256, 10}, 128, false},
	{"T", []int{8, 16, 16, 1}, 4, true},
}

func randTensor(rng *rand.Rand, r, c int, scale float64) *tensor.Dense {
	d := make([]float64, r*c)
	for i := range d {
		d[i] = scale * rng.NormFloat64()
	}
	return tensor.New(tensor.WithShape(r, c), tensor.WithBacking(d))
}

// build returns the graph of the shape's network on a fixed batch, its
// loss node (nil without withLoss) and its parameters.
func build(b *testing.B, s shape, withLoss bool) (*G.ExprGraph, *G.Node, G.Nodes) {
	rng := rand.New(rand.NewPCG(1, 2))
	g := G.NewGraph()
	in, out := s.sizes[0], s.sizes[len(s.sizes)-1]
	x := G.NewMatrix(g, tensor.Float64, G.WithShape(s.batch, in), G.WithName("x"),
		G.WithValue(randTensor(rng, s.batch, in, 1)))
	h := x
	var params G.Nodes
	L := len(s.sizes) - 1
	for l := 0; l < L; l++ {
		fi, fo := s.sizes[l], s.sizes[l+1]
		w := G.NewMatrix(g, tensor.Float64, G.WithShape(fi, fo), G.WithValue(randTensor(rng, fi, fo, 0.1)))
		bias := G.NewMatrix(g, tensor.Float64, G.WithShape(1, fo), G.WithValue(randTensor(rng, 1, fo, 0)))
		params = append(params, w, bias)
		h = G.Must(G.BroadcastAdd(G.Must(G.Mul(h, w)), bias, nil, []byte{0}))
		if l < L-1 {
			if s.tanh {
				h = G.Must(G.Tanh(h))
			} else {
				h = G.Must(G.Rectify(h))
			}
		}
	}
	if !withLoss {
		return g, h, params
	}
	t := G.NewMatrix(g, tensor.Float64, G.WithShape(s.batch, out), G.WithName("t"),
		G.WithValue(randTensor(rng, s.batch, out, 1)))
	// (1/(2·batch))·Σ (y − t)², reluproof's MSE: Mean over batch·out
	// elements scaled by out/2.
	loss := G.Must(G.Mul(G.Must(G.Mean(G.Must(G.Square(G.Must(G.Sub(h, t)))))),
		G.NewConstant(float64(out)/2)))
	if _, err := G.Grad(loss, params...); err != nil {
		b.Fatal(err)
	}
	return g, loss, params
}

// processCPUTime is the CPU time of all threads of this process (Linux's
// CLOCK_PROCESS_CPUTIME_ID), as reluproof's bench.ProcessCPUTime; -1 if it
// cannot be read.
func processCPUTime() time.Duration {
	var ts syscall.Timespec
	if _, _, e := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, 2, uintptr(unsafe.Pointer(&ts)), 0); e != 0 {
		return -1
	}
	return time.Duration(ts.Nano())
}

// run times vm over b.N runs and reports the process CPU time per op
// (cpu-ns/op) beside the wall-clock ns/op, as reluproof's benchmarks do.
func run(b *testing.B, vm G.VM) {
	b.ReportAllocs()
	b.ResetTimer()
	c0 := processCPUTime()
	for i := 0; i < b.N; i++ {
		if err := vm.RunAll(); err != nil {
			b.Fatal(err)
		}
		vm.Reset()
	}
	c1 := processCPUTime()
	b.StopTimer()
	if c0 >= 0 && c1 > c0 {
		b.ReportMetric(float64((c1-c0).Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

func BenchmarkForward(b *testing.B) {
	for _, s := range shapes {
		b.Run(s.name, func(b *testing.B) {
			g, _, _ := build(b, s, false)
			vm := G.NewTapeMachine(g)
			defer vm.Close()
			run(b, vm)
		})
	}
}

func BenchmarkGradient(b *testing.B) {
	for _, s := range shapes {
		b.Run(s.name, func(b *testing.B) {
			g, _, params := build(b, s, true)
			vm := G.NewTapeMachine(g, G.BindDualValues(params...))
			defer vm.Close()
			run(b, vm)
		})
	}
}
