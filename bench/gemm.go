package bench

import (
	"fmt"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/gonum/mat"

	"github.com/reluproof/reluproof/internal/gemm"
	"github.com/reluproof/reluproof/nn"
)

// GEMMBound holds the matrix products that one gradient step of a network
// on a batch cannot avoid, with the step's own operands, so that timing Run
// gives a lower bound for the step on the current backend (see Run):
//
//	forward, per layer l:   Z_l = A_{l−1}·W_lᵀ            (batch×out)
//	backward, per layer l:  dW_l = δ_lᵀ·A_{l−1}           (out×in)
//	and for l ≥ 1:          δ_l·W_l, before ⊙ φ′(Z_{l−1})  (batch×in)
//
// with A_{−1} = X. Every product is a NoTrans×NoTrans multiply of plain
// row-major matrices, the fastest layout of gonum's native Dgemm; the
// transposed operands (W_lᵀ, δ_lᵀ) are copied once at construction and
// their copying is not timed. The operands are the real activations and
// back-propagated errors of the step, so that a backend that skips zero
// entries (gonum's native Dgemm skips zero elements of its left operand,
// and relu makes about half of A and δ zero) skips the same ones in the
// bound as in the step.
type GEMMBound struct {
	prods []product
	// dW and db are the products' parameter gradients (db is summed from
	// δ outside Run), kept for Check.
	dW []blas64.General
	db [][]float64
}

type product struct{ a, b, c blas64.General }

// NewGEMMBound builds the bound for one gradient step of net on inputs x
// and targets t under MSE loss. The network's output activation must be
// the identity (the benchmark shapes' choice); its hidden activation may be
// any nn.Activation.
func NewGEMMBound(net *nn.Network, x, t *mat.Dense) (*GEMMBound, error) {
	if net.Output() != nn.Identity {
		return nil, fmt.Errorf("bench: GEMM bound needs an identity output, got %s", net.Output().Name())
	}
	zs, err := net.PreActivations(x)
	if err != nil {
		return nil, err
	}
	L := net.NumLayers()
	batch, _ := x.Dims()
	// Activations A_{−1} = X, A_l = φ_l(Z_l).
	as := make([]*mat.Dense, L+1)
	as[0] = mat.DenseCopyOf(x)
	for l := 0; l < L; l++ {
		a := mat.DenseCopyOf(zs[l])
		act := net.Activation(l)
		a.Apply(func(_, _ int, v float64) float64 { return act.Eval(v) }, a)
		as[l+1] = a
	}
	// δ_{L−1} = (Y − T)/batch for MSE with identity output, then
	// δ_{l−1} = (δ_l·W_l) ⊙ φ′(Z_{l−1}).
	deltas := make([]*mat.Dense, L)
	d := mat.NewDense(batch, net.Sizes()[L], nil)
	d.Sub(as[L], t)
	d.Scale(1/float64(batch), d)
	deltas[L-1] = d
	for l := L - 1; l > 0; l-- {
		w, _ := net.Layer(l)
		p := mat.NewDense(batch, w.RawMatrix().Cols, nil)
		p.Mul(deltas[l], w)
		act := net.Activation(l - 1)
		z := zs[l-1]
		p.Apply(func(i, j int, v float64) float64 { return v * act.Deriv(z.At(i, j)) }, p)
		deltas[l-1] = p
	}
	g := &GEMMBound{}
	for l := 0; l < L; l++ {
		w, _ := net.Layer(l)
		out, _ := w.Dims()
		wT := mat.DenseCopyOf(w.T())
		g.prods = append(g.prods, product{
			a: as[l].RawMatrix(), b: wT.RawMatrix(),
			c: mat.NewDense(batch, out, nil).RawMatrix()})
	}
	for l := L - 1; l >= 0; l-- {
		w, _ := net.Layer(l)
		out, in := w.Dims()
		dT := mat.DenseCopyOf(deltas[l].T())
		dW := mat.NewDense(out, in, nil).RawMatrix()
		g.prods = append(g.prods, product{a: dT.RawMatrix(), b: as[l].RawMatrix(), c: dW})
		g.dW = append([]blas64.General{dW}, g.dW...)
		db := make([]float64, out)
		for j := range db {
			db[j] = mat.Sum(dT.RowView(j))
		}
		g.db = append([][]float64{db}, g.db...)
		if l > 0 {
			g.prods = append(g.prods, product{
				a: deltas[l].RawMatrix(), b: w.RawMatrix(),
				c: mat.NewDense(batch, in, nil).RawMatrix()})
		}
	}
	return g, nil
}

// Run computes the products once, each as one NoTrans×NoTrans call on the
// backend nn uses for its large products: internal/gemm when blas64 holds
// gonum's native implementation (its AVX-512F or AVX2+FMA kernel, or
// gonum's Dgemm whole under the purego tag or on a CPU without them),
// otherwise blas64 (OpenBLAS under the openblas tag).
func (g *GEMMBound) Run() {
	_, native := blas64.Implementation().(gonum.Implementation)
	for _, p := range g.prods {
		if native {
			gemm.Gemm(blas.NoTrans, blas.NoTrans, 1, p.a, p.b, 0, p.c)
		} else {
			blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, p.a, p.b, 0, p.c)
		}
	}
}

// FLOPs is 2·m·n·k summed over the products: the nominal gradient count
// less the first layer's input gradient.
func (g *GEMMBound) FLOPs() float64 {
	var f float64
	for _, p := range g.prods {
		f += 2 * float64(p.a.Rows) * float64(p.a.Cols) * float64(p.b.Cols)
	}
	return f
}

// Gradient returns the parameter gradient assembled from the products of
// the last Run (and the bias sums), in nn's Params order, so that a test
// can confirm the bound multiplies the step's real operands.
func (g *GEMMBound) Gradient() []float64 {
	var p []float64
	for l, dW := range g.dW {
		p = append(p, dW.Data...)
		p = append(p, g.db[l]...)
	}
	return p
}
