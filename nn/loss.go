package nn

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// Loss is a training objective on a batch of network outputs.
type Loss interface {
	// Name names the loss ("mse", "bce_with_logits").
	Name() string
	// Loss returns the mean loss over the rows of y against the targets t
	// and, when grad is not nil, writes ∂loss/∂y into grad. y, t and grad
	// have the same shape (batch×out); grad may not alias y or t. Loss does
	// not validate its arguments: Network.Gradient does that before calling
	// it. It panics with mat.ErrShape if the shapes differ.
	Loss(y, t, grad *mat.Dense) float64
}

// The losses: squared error for regression and the cross-entropy on logits
// for binary targets.
var (
	// MSE is the mean squared error (1/(2B))·Σ_b ‖y_b − t_b‖², with gradient
	// (y − t)/B.
	MSE Loss = mse{}
	// BCEWithLogits is the binary cross-entropy on logits,
	// (1/B)·Σ_b Σ_j [sp(y_bj) − t_bj·y_bj], with gradient (σ(y) − t)/B.
	// It is finite and accurate for every finite logit (sp is computed
	// stably), so the output layer should use the Identity activation.
	// Targets should lie in [0, 1]; others are accepted and give the same
	// formula.
	BCEWithLogits Loss = bceWithLogits{}
)

// LossByName returns MSE for "mse" and BCEWithLogits for "bce_with_logits";
// any other name gives an error wrapping ErrConfig.
func LossByName(name string) (Loss, error) {
	switch name {
	case "mse":
		return MSE, nil
	case "bce_with_logits":
		return BCEWithLogits, nil
	}
	return nil, errorf(ErrConfig, "unknown loss %q (want mse or bce_with_logits)", name)
}

func sameShape(y, t, grad *mat.Dense) {
	r, c := y.Dims()
	if tr, tc := t.Dims(); tr != r || tc != c {
		panic(mat.ErrShape)
	}
	if grad != nil {
		if gr, gc := grad.Dims(); gr != r || gc != c {
			panic(mat.ErrShape)
		}
	}
}

type mse struct{}

func (mse) Name() string { return "mse" }
func (mse) Loss(y, t, grad *mat.Dense) float64 {
	sameShape(y, t, grad)
	r, c := y.Dims()
	ry, rt := y.RawMatrix(), t.RawMatrix()
	inv := 1 / float64(r)
	var sum float64
	for i := 0; i < r; i++ {
		yr := ry.Data[i*ry.Stride : i*ry.Stride+c]
		tr := rt.Data[i*rt.Stride : i*rt.Stride+c]
		for j, v := range yr {
			d := v - tr[j]
			sum += d * d
		}
		if grad != nil {
			rg := grad.RawMatrix()
			gr := rg.Data[i*rg.Stride : i*rg.Stride+c]
			for j, v := range yr {
				gr[j] = (v - tr[j]) * inv
			}
		}
	}
	return 0.5 * sum * inv
}

type bceWithLogits struct{}

func (bceWithLogits) Name() string { return "bce_with_logits" }
func (bceWithLogits) Loss(y, t, grad *mat.Dense) float64 {
	sameShape(y, t, grad)
	r, c := y.Dims()
	ry, rt := y.RawMatrix(), t.RawMatrix()
	inv := 1 / float64(r)
	var sum float64
	for i := 0; i < r; i++ {
		yr := ry.Data[i*ry.Stride : i*ry.Stride+c]
		tr := rt.Data[i*rt.Stride : i*rt.Stride+c]
		for j, v := range yr {
			// sp(y) − t·y, grouped so that large logits cancel exactly:
			// for y > 0 it is (1−t)·y + log1p(e^{−y}), for y ≤ 0 it is
			// −t·y + log1p(e^{y}).
			l := math.Log1p(math.Exp(-math.Abs(v)))
			if v > 0 {
				l += (1 - tr[j]) * v
			} else {
				l -= tr[j] * v
			}
			sum += l
		}
		if grad != nil {
			rg := grad.RawMatrix()
			gr := rg.Data[i*rg.Stride : i*rg.Stride+c]
			for j, v := range yr {
				// σ(y) − t, with σ(y) − 1 written as −σ(−y) for t = 1 and
				// y large, so that the gradient keeps its relative accuracy.
				if v > 0 && tr[j] == 1 {
					gr[j] = -sigma(-v) * inv
				} else {
					gr[j] = (sigma(v) - tr[j]) * inv
				}
			}
		}
	}
	return sum * inv
}
