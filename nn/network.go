package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// Network is a fully connected feed-forward network. Layer l (0-based) maps
// a batch A (batch×in) to φ_l(A·W_lᵀ + b_l), where φ_l is the hidden
// activation for every layer but the last and the output activation for the
// last.
//
// Concurrency. The methods that read the parameters (Forward,
// PreActivations, Loss, Gradient, GradientInto, InputJacobian, Params,
// Layer, Sizes, NumParams, ParamIndex, ParamName, Clone and the other
// accessors) may be called from several goroutines at once on one Network:
// each call takes a workspace of its own from the network's cache (making
// one if every cached workspace is in use), so concurrent calls give the
// same results, bit for bit, as the same calls made one after another.
// SetParams and Train write the parameters: neither may run at the same
// time as any other method call on the same Network.
type Network struct {
	sizes  []int
	acts   []Activation // one per layer
	params []float64    // W_0, b_0, W_1, b_1, … (W row-major, out×in)
	offW   []int        // offset of W_l in params
	offB   []int        // offset of b_l in params

	// mu guards ws and wTs, the caches that calls borrow from.
	mu sync.Mutex
	// ws holds idle workspaces, most recently used first; a few are kept
	// so that training with a remainder batch and full-data evaluation do
	// not thrash.
	ws []*workspace
	// wTs holds idle scratch buffers for W_lᵀ at offset offW[l] (see
	// gemmNT), each of length len(params).
	wTs [][]float64
}

// maxWorkspaces bounds the number of cached workspaces (and of idle
// transposed-weight scratch buffers).
const maxWorkspaces = 4

// MaxParams is the largest number of parameters New accepts: 2³⁰ weights
// and biases, 8 GiB of float64s (and as much again of scratch for the
// forward pass). Larger sizes, and sizes whose parameter count overflows
// int, are refused with ErrConfig before anything is allocated.
const MaxParams = 1 << 30

// New returns a network with layer sizes sizes = {in, h1, …, out}, the given
// hidden activation on every hidden layer and output activation on the last
// layer, initialised from seed: biases are zero and weights are normal with
// variance 2/fan_in (He) for a layer whose activation is relu or leaky relu
// and 2/(fan_in+fan_out) (Glorot) otherwise. The same seed gives a
// bit-identical network (math/rand/v2 PCG).
//
// New returns an error wrapping ErrConfig for fewer than two sizes, a size
// below 1, more than MaxParams parameters (Σ_l (in_l + 1)·out_l, counted
// without overflow), or a nil activation; it then allocates nothing. hidden
// may be nil when sizes has length 2.
func New(sizes []int, hidden, output Activation, seed uint64) (*Network, error) {
	if len(sizes) < 2 {
		return nil, errorf(ErrConfig, "need at least two sizes (input and output), got %d", len(sizes))
	}
	for i, s := range sizes {
		if s < 1 {
			return nil, errorf(ErrConfig, "size %d is %d, want ≥ 1", i, s)
		}
	}
	if err := checkParamCount(sizes); err != nil {
		return nil, err
	}
	if output == nil || (len(sizes) > 2 && hidden == nil) {
		return nil, errorf(ErrConfig, "nil activation")
	}
	L := len(sizes) - 1
	n := &Network{
		sizes: append([]int(nil), sizes...),
		acts:  make([]Activation, L),
		offW:  make([]int, L),
		offB:  make([]int, L),
	}
	total := 0
	for l := 0; l < L; l++ {
		n.acts[l] = hidden
		if l == L-1 {
			n.acts[l] = output
		}
		n.offW[l] = total
		total += sizes[l] * sizes[l+1]
		n.offB[l] = total
		total += sizes[l+1]
	}
	n.params = make([]float64, total)
	rng := rand.New(rand.NewPCG(seed, 0x72656c7570726f6f)) // "reluproo"
	for l := 0; l < L; l++ {
		in, out := sizes[l], sizes[l+1]
		variance := 2 / float64(in+out)
		switch n.acts[l].(type) {
		case relu, leakyReLU:
			variance = 2 / float64(in)
		}
		std := math.Sqrt(variance)
		w := n.params[n.offW[l] : n.offW[l]+in*out]
		for i := range w {
			w[i] = std * rng.NormFloat64()
		}
	}
	return n, nil
}

// checkParamCount returns an error wrapping ErrConfig if the network of the
// given sizes (each ≥ 1) has more than MaxParams parameters. Every partial
// count it forms is at most 2·MaxParams, so none overflows int.
func checkParamCount(sizes []int) error {
	total := 0
	for l := 0; l+1 < len(sizes); l++ {
		in, out := sizes[l], sizes[l+1]
		// (in + 1)·out ≤ MaxParams − total, tested without forming the
		// product: in + 1 ≤ ⌊(MaxParams − total)/out⌋.
		if room := (MaxParams - total) / out; in >= room {
			return errorf(ErrConfig, "sizes %v have more than MaxParams = %d parameters", sizes, MaxParams)
		}
		total += (in + 1) * out
	}
	return nil
}

// Sizes returns a copy of the layer sizes {in, h1, …, out}.
func (n *Network) Sizes() []int { return append([]int(nil), n.sizes...) }

// NumLayers returns the number of weight layers, len(Sizes())−1.
func (n *Network) NumLayers() int { return len(n.sizes) - 1 }

// Activation returns the activation of layer l (0-based); it panics if l is
// out of range.
func (n *Network) Activation(l int) Activation { return n.acts[l] }

// Hidden returns the hidden activation (nil for a network with no hidden
// layer) and Output the output activation.
func (n *Network) Hidden() Activation {
	if len(n.acts) < 2 {
		return nil
	}
	return n.acts[0]
}

// Output returns the output layer's activation.
func (n *Network) Output() Activation { return n.acts[len(n.acts)-1] }

// NumParams returns the number of weights and biases.
func (n *Network) NumParams() int { return len(n.params) }

// Params returns a copy of the parameters: layer by layer, W (out×in,
// row-major) then b.
func (n *Network) Params() []float64 { return append([]float64(nil), n.params...) }

// SetParams copies p into the network's parameters, in Params order. It
// returns an error wrapping ErrShape if len(p) != NumParams() and ErrNonFinite
// if p holds a NaN or ±Inf; the network is then unchanged. SetParams
// writes the parameters: it must not run at the same time as any other
// method call on n.
func (n *Network) SetParams(p []float64) error {
	if len(p) != len(n.params) {
		return errorf(ErrShape, "params has length %d, network has %d", len(p), len(n.params))
	}
	if i := firstNonFinite(p); i >= 0 {
		return errorf(ErrNonFinite, "param %d (%s) = %v", i, n.ParamName(i), p[i])
	}
	copy(n.params, p)
	return nil
}

// Layer returns copies of layer l's weights (out×in) and biases. It panics if
// l is out of range.
func (n *Network) Layer(l int) (w *mat.Dense, b []float64) {
	in, out := n.sizes[l], n.sizes[l+1]
	w = mat.NewDense(out, in, append([]float64(nil), n.params[n.offW[l]:n.offW[l]+in*out]...))
	b = append([]float64(nil), n.params[n.offB[l]:n.offB[l]+out]...)
	return w, b
}

// ParamIndex locates parameter k in network terms: its layer, and either
// the weight W[row][col] (isBias false) or the bias b[row] (isBias true, col
// 0). It panics if k is out of range.
func (n *Network) ParamIndex(k int) (layer, row, col int, isBias bool) {
	if k < 0 || k >= len(n.params) {
		panic("nn: parameter index out of range")
	}
	for l := len(n.offW) - 1; l >= 0; l-- {
		if k >= n.offB[l] {
			return l, k - n.offB[l], 0, true
		}
		if k >= n.offW[l] {
			r := (k - n.offW[l]) / n.sizes[l]
			return l, r, (k - n.offW[l]) % n.sizes[l], false
		}
	}
	panic("unreachable")
}

// ParamName names parameter k as "layer L, W[i][j]" or "layer L, b[i]",
// with 1-based layers.
func (n *Network) ParamName(k int) string {
	l, r, c, bias := n.ParamIndex(k)
	if bias {
		return fmt.Sprintf("layer %d, b[%d]", l+1, r)
	}
	return fmt.Sprintf("layer %d, W[%d][%d]", l+1, r, c)
}

// Clone returns a deep copy of the network without its workspaces: the
// copy shares no memory with n.
func (n *Network) Clone() *Network {
	return &Network{
		sizes:  append([]int(nil), n.sizes...),
		acts:   append([]Activation(nil), n.acts...),
		params: append([]float64(nil), n.params...),
		offW:   append([]int(nil), n.offW...),
		offB:   append([]int(nil), n.offB...),
	}
}

// workspace holds the buffers of one batch size. delta, dT and g are
// allocated by the first gradient (see backward), so that evaluation alone
// needs half the memory. A call owns the workspace it acquired until it
// releases it; wT is the scratch it borrowed with it.
type workspace struct {
	batch int
	z, a  []blas64.General // per layer, batch×out_l
	delta []blas64.General // per layer, batch×out_l
	dT    []blas64.General // per layer, out_l×batch: scratch for δᵀ (see gemmTN)
	y, g  *mat.Dense       // views of a[L-1] and delta[L-1]
	wT    []float64        // len(params): scratch for W_lᵀ (see gemmNT)
}

// backward allocates the workspace's gradient buffers if it has none.
func (w *workspace) backward(sizes []int) {
	if w.delta != nil {
		return
	}
	L := len(w.z)
	w.delta, w.dT = make([]blas64.General, L), make([]blas64.General, L)
	for l := 0; l < L; l++ {
		w.delta[l] = general(w.batch, sizes[l+1])
		w.dT[l] = general(sizes[l+1], w.batch)
	}
	w.g = mat.NewDense(w.batch, sizes[L], w.delta[L-1].Data)
}

// acquire takes an idle workspace for batch rows out of the cache, or
// makes one, with a transposed-weight scratch buffer; the caller owns both
// until it calls release. Concurrent calls never share a workspace.
func (n *Network) acquire(batch int) *workspace {
	n.mu.Lock()
	var w *workspace
	for i, c := range n.ws {
		if c.batch == batch {
			w = c
			k := len(n.ws) - 1
			copy(n.ws[i:], n.ws[i+1:])
			n.ws[k] = nil
			n.ws = n.ws[:k]
			break
		}
	}
	var wT []float64
	if k := len(n.wTs); k > 0 {
		wT, n.wTs[k-1] = n.wTs[k-1], nil
		n.wTs = n.wTs[:k-1]
	}
	n.mu.Unlock()
	if w == nil {
		w = n.newWorkspace(batch)
	}
	if wT == nil {
		wT = make([]float64, len(n.params))
	}
	w.wT = wT
	return w
}

// release returns w and its scratch to the cache, most recently used
// first, evicting the least recently used workspace beyond maxWorkspaces.
func (n *Network) release(w *workspace) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if len(n.wTs) < maxWorkspaces {
		n.wTs = append(n.wTs, w.wT)
	}
	w.wT = nil
	if n.ws == nil {
		n.ws = make([]*workspace, 0, maxWorkspaces)
	}
	if len(n.ws) == maxWorkspaces {
		n.ws[maxWorkspaces-1] = nil
		n.ws = n.ws[:maxWorkspaces-1]
	}
	n.ws = append(n.ws, nil)
	copy(n.ws[1:], n.ws)
	n.ws[0] = w
}

// newWorkspace makes the forward buffers of a workspace for batch rows.
func (n *Network) newWorkspace(batch int) *workspace {
	L := len(n.acts)
	w := &workspace{batch: batch, z: make([]blas64.General, L), a: make([]blas64.General, L)}
	for l := 0; l < L; l++ {
		out := n.sizes[l+1]
		w.z[l] = general(batch, out)
		w.a[l] = general(batch, out)
	}
	w.y = mat.NewDense(batch, n.sizes[L], w.a[L-1].Data)
	return w
}

func general(r, c int) blas64.General {
	return blas64.General{Rows: r, Cols: c, Stride: c, Data: make([]float64, r*c)}
}

func (n *Network) weights(l int) blas64.General {
	in, out := n.sizes[l], n.sizes[l+1]
	return blas64.General{Rows: out, Cols: in, Stride: in, Data: n.params[n.offW[l] : n.offW[l]+in*out]}
}

// forward runs the batch x through the network, filling ws.z and ws.a.
// x must already be validated.
func (n *Network) forward(ws *workspace, x blas64.General) {
	in := x
	for l := range n.acts {
		z := ws.z[l]
		// z = in·Wᵀ, then z += 1·bᵀ and a = φ(z) in one pass.
		gemmNT(in, n.weights(l), 0, z, ws.wT[n.offW[l]:])
		applyBias(ws.a[l].Data, z.Data, n.params[n.offB[l]:n.offB[l]+z.Cols], n.acts[l])
		in = ws.a[l]
	}
}

// forwardChunkFloats bounds the activations Forward holds at once: a large
// batch runs through the network in chunks of rows whose pre-activations
// and activations fit in about this many float64s (with at least
// minForwardChunk rows a chunk). Each output row depends on its input row
// alone, so chunking changes no output.
const (
	forwardChunkFloats = 1 << 18
	minForwardChunk    = 64
)

// Forward returns the network's outputs (batch×out) for the inputs x
// (batch×in, one sample per row). It returns an error wrapping ErrShape for
// a nil or empty x or a wrong number of columns, and ErrNonFinite for a NaN
// or ±Inf in x or an output that overflowed.
func (n *Network) Forward(x *mat.Dense) (*mat.Dense, error) {
	batch, err := checkMatrix("input", x, n.sizes[0])
	if err != nil {
		return nil, err
	}
	width := 0
	for _, s := range n.sizes[1:] {
		width += s
	}
	chunk := max(minForwardChunk, forwardChunkFloats/width)
	out := n.sizes[len(n.sizes)-1]
	xr := x.RawMatrix()
	y := mat.NewDense(batch, out, nil)
	yd := y.RawMatrix().Data
	for lo := 0; lo < batch; lo += chunk {
		rows := min(chunk, batch-lo)
		ws := n.acquire(rows)
		n.forward(ws, blas64.General{Rows: rows, Cols: xr.Cols, Stride: xr.Stride, Data: xr.Data[lo*xr.Stride:]})
		yc := ws.y.RawMatrix().Data
		if i := firstNonFinite(yc); i >= 0 {
			err := errorf(ErrNonFinite, "output[%d][%d] overflowed to %v", lo+i/out, i%out, yc[i])
			n.release(ws)
			return nil, err
		}
		copy(yd[lo*out:], yc)
		n.release(ws)
	}
	return y, nil
}

// PreActivations returns copies of every layer's pre-activations
// z_l = a_{l−1}·W_lᵀ + b_l (batch×out_l) for the inputs x. Kink-aware
// gradient checks use them to see which side of a kink each unit is on. It
// returns the errors of Forward: ErrShape for a nil or empty x or a wrong
// number of columns, and ErrNonFinite for a NaN or ±Inf in x, an output
// that overflowed, or a pre-activation of any layer that overflowed (which
// a saturating activation can hide from the outputs).
func (n *Network) PreActivations(x *mat.Dense) ([]*mat.Dense, error) {
	batch, err := checkMatrix("input", x, n.sizes[0])
	if err != nil {
		return nil, err
	}
	ws := n.acquire(batch)
	defer n.release(ws)
	n.forward(ws, x.RawMatrix())
	L := len(n.acts)
	out := n.sizes[L]
	y := ws.a[L-1].Data
	if i := firstNonFinite(y); i >= 0 {
		return nil, errorf(ErrNonFinite, "output[%d][%d] overflowed to %v", i/out, i%out, y[i])
	}
	for l, z := range ws.z {
		if i := firstNonFinite(z.Data); i >= 0 {
			return nil, errorf(ErrNonFinite, "layer %d pre-activation [%d][%d] overflowed to %v", l+1, i/z.Cols, i%z.Cols, z.Data[i])
		}
	}
	zs := make([]*mat.Dense, len(ws.z))
	for l, z := range ws.z {
		zs[l] = mat.NewDense(z.Rows, z.Cols, append([]float64(nil), z.Data...))
	}
	return zs, nil
}
