package nn

import (
	"errors"
	"fmt"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"
)

func matDense(r, c int, d []float64) *mat.Dense { return mat.NewDense(r, c, d) }

// TestForwardChunks checks that a batch large enough to run in several
// chunks (and a remainder) is run in chunks within forwardChunkFloats, and
// gives the same outputs as running each sample alone. Both compute each
// output by the same sums up to the blocking of the products, so they agree
// within 1e-12 relative (the sums here have at most 301 terms of order 1).
func TestForwardChunks(t *testing.T) {
	// Three inputs and two outputs, so that a chunk's offset into x and
	// into y is a multiple of the row length, not the row index.
	const in, out = 3, 2
	net, err := New([]int{in, 300, out}, ReLU, Identity, 7)
	if err != nil {
		t.Fatal(err)
	}
	const batch = 2000
	x := make([]float64, batch*in)
	for i := range x {
		x[i] = float64(i%(batch+7))/batch*4 - 2
	}
	if chunk := max(minForwardChunk, forwardChunkFloats/(300+out)); chunk >= batch/2 {
		t.Fatalf("chunk %d rows: the test needs at least two chunks", chunk)
	}
	y, err := net.Forward(matDense(batch, in, x))
	if err != nil {
		t.Fatal(err)
	}
	// The documented memory bound: no workspace Forward made holds more
	// than about forwardChunkFloats activations (or minForwardChunk rows).
	width := 300 + out
	for _, w := range net.ws {
		if w.batch*width > max(forwardChunkFloats, minForwardChunk*width) {
			t.Errorf("Forward held %d rows × %d activations at once, over the bound of %d floats",
				w.batch, width, forwardChunkFloats)
		}
	}
	for i := 0; i < batch; i += 37 {
		yi, err := net.Forward(matDense(1, in, x[i*in:(i+1)*in]))
		if err != nil {
			t.Fatal(err)
		}
		for j := 0; j < out; j++ {
			if got, want := y.At(i, j), yi.At(0, j); !scalar.EqualWithinAbsOrRel(got, want, 1e-12, 1e-12) {
				t.Fatalf("row %d output %d: batched %v, alone %v", i, j, got, want)
			}
		}
	}
}

// TestWorkspaceCacheKeepsRecent: the cache holds maxWorkspaces batch sizes
// and evicts the least recently used, so a batch size used between every
// new one (a training batch between evaluations, say) keeps its workspace
// (and its allocation) however many other sizes pass through.
func TestWorkspaceCacheKeepsRecent(t *testing.T) {
	n, err := New([]int{2, 3, 1}, ReLU, Identity, 1)
	if err != nil {
		t.Fatal(err)
	}
	// use is one call's borrowing of a workspace for batch rows.
	use := func(batch int) *workspace {
		w := n.acquire(batch)
		n.release(w)
		return w
	}
	hot := use(7)
	for b := 1; b <= 3*maxWorkspaces; b++ {
		if b == 7 {
			continue
		}
		if use(b) == hot {
			t.Fatalf("batch %d got batch 7's workspace", b)
		}
		if w := use(7); w != hot {
			t.Fatalf("batch 7's workspace evicted after batch %d", b)
		}
	}
	if len(n.ws) != maxWorkspaces {
		t.Errorf("cache holds %d workspaces, want %d", len(n.ws), maxWorkspaces)
	}
}

// TestWorkspaceNotShared: a workspace, and its transposed-weight scratch,
// belong to one call from acquire to release. Two calls in flight with the
// same batch size get different ones; once both are released the next two
// calls reuse them (nothing more is allocated), and the cache never holds
// more than maxWorkspaces idle scratch buffers.
func TestWorkspaceNotShared(t *testing.T) {
	n, err := New([]int{2, 3, 1}, ReLU, Identity, 1)
	if err != nil {
		t.Fatal(err)
	}
	a, b := n.acquire(5), n.acquire(5)
	if a == b || &a.wT[0] == &b.wT[0] {
		t.Fatal("two calls in flight share a workspace or its scratch")
	}
	n.release(a)
	n.release(b)
	c, d := n.acquire(5), n.acquire(5)
	if !(c == a && d == b || c == b && d == a) {
		t.Error("released workspaces were not reused")
	}
	if !(&c.wT[0] == &a.wT[0] && &d.wT[0] == &b.wT[0] || &c.wT[0] == &b.wT[0] && &d.wT[0] == &a.wT[0]) {
		t.Error("released scratch buffers were not reused")
	}
	var held []*workspace
	for range 2 * maxWorkspaces {
		held = append(held, n.acquire(5))
	}
	for _, w := range held {
		n.release(w)
	}
	n.release(c)
	n.release(d)
	if len(n.ws) > maxWorkspaces || len(n.wTs) > maxWorkspaces {
		t.Errorf("cache holds %d workspaces and %d scratch buffers, want at most %d each", len(n.ws), len(n.wTs), maxWorkspaces)
	}
}

// TestParamCountLimit: checkParamCount accepts a network of exactly
// MaxParams parameters, Σ_l (in_l + 1)·out_l, and refuses one more, for a
// wide input, a wide output and a sum over layers; and it refuses sizes
// whose count overflows int (2⁶²·4 wraps to 0 in int arithmetic, which
// once built a 9-parameter network) without forming the product. Only the
// count is checked here: nothing is allocated.
func TestParamCountLimit(t *testing.T) {
	const maxInt = int(^uint(0) >> 1)
	for _, c := range []struct {
		sizes []int
		ok    bool
	}{
		{[]int{MaxParams - 1, 1}, true}, // (2³⁰ − 1 + 1)·1
		{[]int{MaxParams, 1}, false},
		{[]int{1, MaxParams / 2}, true}, // 2·2²⁹
		{[]int{1, MaxParams/2 + 1}, false},
		{[]int{1, 1, MaxParams/2 - 1}, true}, // 2·1 + 2·(2²⁹ − 1)
		{[]int{1, 1, MaxParams / 2}, false},
		{[]int{2, MaxParams/4 - 1, 1, 1}, true}, // 3·(2²⁸ − 1) + 2²⁸ + 2
		{[]int{2, MaxParams/4 - 1, 1, 2}, false},
		{[]int{1 << 62, 4, 1}, false},
		{[]int{1 << 32, 1 << 32}, false},
		{[]int{maxInt, maxInt}, false},
		{[]int{1, maxInt}, false},
		{[]int{maxInt, 1}, false},
		{[]int{2, 3, maxInt - 1, 1}, false},
		{[]int{3, 5, 4, 2}, true},
	} {
		t.Run(fmt.Sprint(c.sizes), func(t *testing.T) {
			err := checkParamCount(c.sizes)
			if c.ok && err != nil {
				t.Errorf("refused: %v", err)
			}
			if !c.ok && !errors.Is(err, ErrConfig) {
				t.Errorf("got %v, want an error wrapping ErrConfig", err)
			}
		})
	}
}

// TestForwardWholeChunksOfView: a batch that is an exact number of chunks
// (two of 64 rows), given as a view into a wider matrix (stride above its
// columns, so its data ends with the last row's last column), runs as
// those chunks and nothing after them, and gives the outputs of the same
// rows stored contiguously bit for bit: both run the same chunks through
// the same code, and each output row depends on its input row alone.
func TestForwardWholeChunksOfView(t *testing.T) {
	const in, out = 2, 1
	hidden := 4096 - out // width 4096: chunks of forwardChunkFloats/4096 = 64 rows
	net, err := New([]int{in, hidden, out}, ReLU, Identity, 3)
	if err != nil {
		t.Fatal(err)
	}
	chunk := max(minForwardChunk, forwardChunkFloats/(hidden+out))
	if chunk > 256 {
		t.Fatalf("chunk of %d rows: the test wants a small one", chunk)
	}
	batch := 2 * chunk
	wide := mat.NewDense(batch, in+3, nil)
	for i := 0; i < batch; i++ {
		for j := 0; j < in+3; j++ {
			wide.Set(i, j, float64((i*7+j*3)%11)/5-1)
		}
	}
	view := wide.Slice(0, batch, 1, 1+in).(*mat.Dense)
	got, err := net.Forward(view)
	if err != nil {
		t.Fatalf("Forward of a %d-row view (%d chunks of %d): %v", batch, batch/chunk, chunk, err)
	}
	want, err := net.Forward(mat.DenseCopyOf(view))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < batch; i++ {
		if g, w := got.At(i, 0), want.At(i, 0); g != w {
			t.Fatalf("row %d: %v from the view, %v from a contiguous copy", i, g, w)
		}
	}
}
