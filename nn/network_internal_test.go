package nn

import (
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
	hot := n.workspace(7)
	for b := 1; b <= 3*maxWorkspaces; b++ {
		if b == 7 {
			continue
		}
		if n.workspace(b) == hot {
			t.Fatalf("batch %d got batch 7's workspace", b)
		}
		if w := n.workspace(7); w != hot {
			t.Fatalf("batch 7's workspace evicted after batch %d", b)
		}
	}
	if len(n.ws) != maxWorkspaces {
		t.Errorf("cache holds %d workspaces, want %d", len(n.ws), maxWorkspaces)
	}
}
