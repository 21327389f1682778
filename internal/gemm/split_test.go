package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// TestSplitBitIdentical checks that a product split over two goroutines
// equals the serial product bit for bit, on every assembly kernel, in each
// layout, for L's products (batch 128: 128×256×784, 256×784×128,
// 128×256×256) and for n = 2·nr + 1 (an edge tile in each half), with beta
// 0.5 so that both halves read C.
func TestSplitBitIdentical(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	rng := rand.New(rand.NewPCG(2, 14))
	draw := func() float64 { return 2*rng.Float64() - 1 }
	for _, kern := range Kernels()[:len(Kernels())-1] {
		useKernel(t, kern)
		nr := active.Load().nr
		dims := [][3]int{{128, 256, 784}, {256, 784, 128}, {128, 256, 256}, {700, 2*nr + 1, 300}, {97, 5*nr + 3, 1000}}
		for _, l := range layouts {
			for _, d := range dims {
				m, n, k := d[0], d[1], d[2]
				ar, ac, br, bc := operandShapes(l.tA, l.tB, m, n, k)
				a, b, c := operand(ar, ac, 1, draw), operand(br, bc, 3, draw), operand(m, n, 2, draw)
				serial, split, times := serialAndSplit(l.tA, l.tB, a, b, c)
				if m*n*k >= splitWork && times != 1 {
					t.Fatalf("%s %s %d×%d×%d: not split", kern, l.name, m, n, k)
				}
				for i := range serial.Data {
					if math.Float64bits(serial.Data[i]) != math.Float64bits(split.Data[i]) &&
						!(math.IsNaN(serial.Data[i]) && math.IsNaN(split.Data[i])) {
						t.Fatalf("%s %s %d×%d×%d: element %d split %v, serial %v", kern, l.name, m, n, k, i, split.Data[i], serial.Data[i])
					}
				}
			}
		}
	}
}

// TestSplitAllocs: a split product allocates nothing once the helper
// goroutine and the two workspaces exist. testing.AllocsPerRun sets
// GOMAXPROCS to 1, which turns the split off, so the heap allocations of
// 100 calls are counted directly; they include the runtime's own: a memory
// profile of this test shows the odd object of runtime.allocm (a new OS
// thread, started when runtime.ReadMemStats restarts the world) and a
// channel wait record after a collection. So the count must stay below 10:
// an allocation in every call would give at least 100.
func TestSplitAllocs(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	const calls = 100
	for _, kern := range Kernels()[:len(Kernels())-1] {
		useKernel(t, kern)
		one := func() float64 { return 1 }
		a, b, c := operand(128, 784, 0, one), operand(784, 256, 0, one), operand(128, 256, 0, one)
		// The second workspace is allocated the first time the two halves
		// overlap in time (a half may finish before the other starts).
		for i := 0; i < 1000 && freeWorkspaces(active.Load()) < 2; i++ {
			Gemm(blas.NoTrans, blas.NoTrans, 1, a, b, 0, c)
		}
		before := splits.Load()
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		for range calls {
			Gemm(blas.NoTrans, blas.NoTrans, 1, a, b, 0, c)
		}
		runtime.ReadMemStats(&m1)
		if n := m1.Mallocs - m0.Mallocs; n >= 10 {
			t.Errorf("%s: %d allocations in %d split calls", kern, n, calls)
		}
		if splits.Load() != before+calls {
			t.Errorf("%s: %d of %d calls split", kern, splits.Load()-before, calls)
		}
	}
}

// freeWorkspaces is the length of kern's free list.
func freeWorkspaces(kern *kernel) int {
	kern.workspaces.mu.Lock()
	defer kern.workspaces.mu.Unlock()
	return len(kern.workspaces.free)
}

// TestSplitWidths: with GOMAXPROCS 2, a product of at least splitWork
// multiply–adds is split exactly when n₀ = ⌈⌊n/2⌋/nr⌉·nr leaves each half
// a column, which is for every n > nr (1 ≤ ⌊n/2⌋ < nr gives n₀ = nr, and
// otherwise n₀ < n/2 + nr ≤ n), and never for n ≤ nr (n₀ = nr ≥ n, or
// n₀ = 0 at n = 1, so no empty half is handed over); split or not, the
// product equals the serial one bit for bit. The widths are 1, 2 and 3,
// those around nr and those just below 2·nr, where n₀ goes from nr to
// 2·nr; k = 256 and m is the fewest rows that reach splitWork (exactly
// splitWork where n is a power of 2).
func TestSplitWidths(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	rng := rand.New(rand.NewPCG(3, 14))
	draw := func() float64 { return 2*rng.Float64() - 1 }
	const k = 256
	for _, kern := range Kernels()[:len(Kernels())-1] {
		useKernel(t, kern)
		nr := active.Load().nr
		for _, n := range []int{1, 2, 3, nr, nr + 1, 2*nr - 2, 2*nr - 1, 2 * nr, 2*nr + 1} {
			m := (splitWork + n*k - 1) / (n * k) // the fewest rows that reach splitWork
			a := operand(m, k, 0, draw)
			for _, l := range layouts {
				t.Run(fmt.Sprintf("%s/%s/n=%d", kern, l.name, n), func(t *testing.T) {
					a := a
					if l.tA == blas.Trans {
						// The same elements as a k×m matrix.
						a = blas64.General{Rows: k, Cols: m, Stride: m, Data: a.Data}
					}
					_, _, br, bc := operandShapes(l.tA, l.tB, m, n, k)
					b, c := operand(br, bc, 1, draw), operand(m, n, 2, draw)
					serial, split, got := serialAndSplit(l.tA, l.tB, a, b, c)
					want := int64(0)
					if n > nr {
						want = 1
					}
					if got != want {
						t.Fatalf("%d×%d×%d split %d times, want %d", m, n, k, got, want)
					}
					for i := range serial.Data {
						if math.Float64bits(serial.Data[i]) != math.Float64bits(split.Data[i]) {
							t.Fatalf("element %d split %v, serial %v", i, split.Data[i], serial.Data[i])
						}
					}
				})
			}
		}
	}
}

// TestColumns: columns(g, trans, j0, j1) is columns j0…j1−1 of op(g), as
// run splits B and C: for trans, rows j0…j1−1 of g (j1−j0 rows of
// g.Cols), otherwise g.Rows rows of j1−j0 columns, both on g's stride,
// with element (i, j) that of g at (j0+i, j) or (i, j0+j).
func TestColumns(t *testing.T) {
	g := indexed(7, 9)
	for _, tc := range []struct {
		name   string
		trans  bool
		j0, j1 int
	}{
		{"NoTrans/first", false, 0, 4},
		{"NoTrans/second", false, 4, 9},
		{"Trans/first", true, 0, 3},
		{"Trans/second", true, 3, 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := columns(g, tc.trans, tc.j0, tc.j1)
			rows, cols, di, dj := g.Rows, tc.j1-tc.j0, 0, tc.j0
			if tc.trans {
				rows, cols, di, dj = tc.j1-tc.j0, g.Cols, tc.j0, 0
			}
			if h.Rows != rows || h.Cols != cols || h.Stride != g.Stride {
				t.Fatalf("%d×%d with stride %d, want %d×%d with stride %d", h.Rows, h.Cols, h.Stride, rows, cols, g.Stride)
			}
			for i := 0; i < rows; i++ {
				for j := 0; j < cols; j++ {
					if got, want := h.Data[i*h.Stride+j], g.Data[(i+di)*g.Stride+j+dj]; got != want {
						t.Fatalf("element (%d, %d) = %v, want %v", i, j, got, want)
					}
				}
			}
		})
	}
}

// serialAndSplit computes C ← −½·op(A)·op(B) + ½·C on two copies of c,
// first with the split turned off, then with it allowed, and says how many
// times the second product was split.
func serialAndSplit(tA, tB blas.Transpose, a, b, c blas64.General) (serial, split blas64.General, times int64) {
	serial, split = clone(c), clone(c)
	splitOn.Store(false)
	Gemm(tA, tB, -0.5, a, b, 0.5, serial)
	splitOn.Store(true)
	before := splits.Load()
	Gemm(tA, tB, -0.5, a, b, 0.5, split)
	return serial, split, splits.Load() - before
}
