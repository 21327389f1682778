package nn

import (
	"unsafe"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// checkBatch validates inputs x and targets t for the network and returns the
// batch size.
func (n *Network) checkBatch(x, t *mat.Dense, loss Loss) (int, error) {
	if loss == nil {
		return 0, errorf(ErrConfig, "nil loss")
	}
	batch, err := checkMatrix("input", x, n.sizes[0])
	if err != nil {
		return 0, err
	}
	tb, err := checkMatrix("target", t, n.sizes[len(n.sizes)-1])
	if err != nil {
		return 0, err
	}
	if tb != batch {
		return 0, errorf(ErrShape, "input has %d rows, target has %d", batch, tb)
	}
	return batch, nil
}

// Loss returns the mean loss of the network's outputs on the batch x against
// the targets t. It returns the errors of Gradient.
func (n *Network) Loss(x, t *mat.Dense, loss Loss) (float64, error) {
	batch, err := n.checkBatch(x, t, loss)
	if err != nil {
		return 0, err
	}
	ws := n.acquire(batch)
	defer n.release(ws)
	n.forward(ws, x.RawMatrix())
	v := loss.Loss(ws.y, t, nil)
	if firstNonFinite([]float64{v}) >= 0 {
		return 0, errorf(ErrNonFinite, "loss overflowed to %v", v)
	}
	return v, nil
}

// Gradient returns the mean loss over the batch (x: batch×in, t: batch×out)
// and its gradient with respect to the parameters, in Params order. It
// returns an error wrapping ErrConfig for a nil loss, ErrShape for nil,
// empty or mismatched x and t, and ErrNonFinite for NaN or ±Inf in x or t or
// a loss or gradient that overflowed. It allocates the returned slice; see
// GradientInto for the allocation-free form.
func (n *Network) Gradient(x, t *mat.Dense, loss Loss) (float64, []float64, error) {
	grad := make([]float64, len(n.params))
	v, err := n.GradientInto(grad, x, t, loss)
	if err != nil {
		return 0, nil, err
	}
	return v, grad, nil
}

// GradientInto is Gradient writing the gradient into grad, which must have
// length NumParams and must not share memory with x or t (the span of
// their backing data from first to last element): either is an error
// wrapping ErrShape, returned before anything is written. After the first
// call for a batch size it allocates nothing. On any other error grad is
// unspecified.
func (n *Network) GradientInto(grad []float64, x, t *mat.Dense, loss Loss) (float64, error) {
	if len(grad) != len(n.params) {
		return 0, errorf(ErrShape, "gradient has length %d, network has %d params", len(grad), len(n.params))
	}
	batch, err := n.checkBatch(x, t, loss)
	if err != nil {
		return 0, err
	}
	if overlaps(grad, x) {
		return 0, errorf(ErrShape, "gradient shares memory with the input")
	}
	if overlaps(grad, t) {
		return 0, errorf(ErrShape, "gradient shares memory with the target")
	}
	ws := n.acquire(batch)
	defer n.release(ws)
	ws.backward(n.sizes)
	xr := x.RawMatrix()
	n.forward(ws, xr)
	L := len(n.acts)
	v := loss.Loss(ws.y, t, ws.g)
	// δ_{L−1} = ∂loss/∂y ⊙ φ′(z_{L−1}), and db = its column sums.
	mulDerivSum(ws.delta[L-1].Data, ws.z[L-1].Data, n.acts[L-1], grad[n.offB[L-1]:n.offB[L-1]+n.sizes[L]])
	for l := L - 1; l >= 0; l-- {
		d := ws.delta[l]
		in, out := n.sizes[l], n.sizes[l+1]
		prev := xr
		if l > 0 {
			prev = ws.a[l-1]
		}
		// dW = δᵀ·A_{l−1}
		gw := blas64.General{Rows: out, Cols: in, Stride: in, Data: grad[n.offW[l] : n.offW[l]+in*out]}
		gemmTN(d, prev, 0, gw, ws.dT[l].Data)
		if l > 0 {
			// δ_{l−1} = (δ_l·W_l) ⊙ φ′(z_{l−1}), and db_{l−1} = its
			// column sums.
			pd := ws.delta[l-1]
			gemmNN(d, n.weights(l), 0, pd)
			mulDerivSum(pd.Data, ws.z[l-1].Data, n.acts[l-1], grad[n.offB[l-1]:n.offB[l-1]+n.sizes[l]])
		}
	}
	if firstNonFinite([]float64{v}) >= 0 {
		return 0, errorf(ErrNonFinite, "loss overflowed to %v", v)
	}
	if i := firstNonFinite(grad); i >= 0 {
		return 0, errorf(ErrNonFinite, "gradient of %s overflowed to %v", n.ParamName(i), grad[i])
	}
	return v, nil
}

// InputJacobian returns ∂outputs/∂input at the single sample x (length in),
// an out×in matrix, computed in forward mode as
// J = diag(φ′(z_L))·W_L ⋯ diag(φ′(z_1))·W_1. At a kink the activation's
// Deriv convention applies. It returns an error wrapping ErrShape for a
// wrong length and ErrNonFinite for NaN or ±Inf in x or in the result.
func (n *Network) InputJacobian(x []float64) (*mat.Dense, error) {
	if len(x) != n.sizes[0] {
		return nil, errorf(ErrShape, "input has length %d, want %d", len(x), n.sizes[0])
	}
	if i := firstNonFinite(x); i >= 0 {
		return nil, errorf(ErrNonFinite, "input[%d] = %v", i, x[i])
	}
	ws := n.acquire(1)
	defer n.release(ws)
	in := n.sizes[0]
	n.forward(ws, blas64.General{Rows: 1, Cols: in, Stride: in, Data: x})
	var j *mat.Dense
	for l := range n.acts {
		w := mat.NewDense(n.sizes[l+1], n.sizes[l], n.params[n.offW[l]:n.offW[l]+n.sizes[l]*n.sizes[l+1]])
		next := mat.NewDense(n.sizes[l+1], in, nil)
		if j == nil {
			next.Copy(w)
		} else {
			next.Mul(w, j)
		}
		z := ws.z[l].Data
		for r := 0; r < n.sizes[l+1]; r++ {
			d := n.acts[l].Deriv(z[r])
			row := next.RawRowView(r)
			for c := range row {
				row[c] *= d
			}
		}
		j = next
	}
	if i := firstNonFinite(j.RawMatrix().Data); i >= 0 {
		return nil, errorf(ErrNonFinite, "jacobian entry %d overflowed", i)
	}
	return j, nil
}

// overlaps reports whether s shares memory with the backing data of the
// non-empty matrix m, from its first element to its last.
func overlaps(s []float64, m *mat.Dense) bool {
	if len(s) == 0 {
		return false
	}
	raw := m.RawMatrix()
	used := raw.Data[:(raw.Rows-1)*raw.Stride+raw.Cols]
	const size = unsafe.Sizeof(float64(0))
	s0, m0 := uintptr(unsafe.Pointer(unsafe.SliceData(s))), uintptr(unsafe.Pointer(unsafe.SliceData(used)))
	return s0 < m0+uintptr(len(used))*size && m0 < s0+uintptr(len(s))*size
}
