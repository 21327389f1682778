package nn

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Optimizer updates parameters from a gradient. The optimisers of this
// package are SGD and Adam; the interface is closed (its method is
// unexported) so that Train can validate and reset them.
type Optimizer interface {
	validate() error
	// start returns a stepper with fresh state for n parameters.
	start(n int) func(params, grad []float64)
}

// SGD is gradient descent with optional heavy-ball momentum:
// v ← μv − ηg, θ ← θ + v.
type SGD struct {
	LearningRate float64 // η > 0
	Momentum     float64 // μ in [0, 1)
}

func (o SGD) validate() error {
	if !(o.LearningRate > 0) || math.IsInf(o.LearningRate, 1) {
		return errorf(ErrConfig, "SGD learning rate %v not finite and positive", o.LearningRate)
	}
	if !(o.Momentum >= 0 && o.Momentum < 1) {
		return errorf(ErrConfig, "SGD momentum %v not in [0, 1)", o.Momentum)
	}
	return nil
}

func (o SGD) start(n int) func(params, grad []float64) {
	if o.Momentum == 0 {
		return func(p, g []float64) {
			for i := range p {
				p[i] -= o.LearningRate * g[i]
			}
		}
	}
	v := make([]float64, n)
	return func(p, g []float64) {
		for i := range p {
			v[i] = o.Momentum*v[i] - o.LearningRate*g[i]
			p[i] += v[i]
		}
	}
}

// Adam is the Adam optimiser (Kingma & Ba 2015) with bias correction. Zero
// Beta1, Beta2 and Epsilon take the usual defaults 0.9, 0.999 and 1e-8.
type Adam struct {
	LearningRate float64 // α > 0
	Beta1, Beta2 float64 // in [0, 1)
	Epsilon      float64 // > 0
}

func (o Adam) withDefaults() Adam {
	if o.Beta1 == 0 {
		o.Beta1 = 0.9
	}
	if o.Beta2 == 0 {
		o.Beta2 = 0.999
	}
	if o.Epsilon == 0 {
		o.Epsilon = 1e-8
	}
	return o
}

func (o Adam) validate() error {
	o = o.withDefaults()
	if !(o.LearningRate > 0) || math.IsInf(o.LearningRate, 1) {
		return errorf(ErrConfig, "Adam learning rate %v not finite and positive", o.LearningRate)
	}
	if !(o.Beta1 > 0 && o.Beta1 < 1 && o.Beta2 > 0 && o.Beta2 < 1) {
		return errorf(ErrConfig, "Adam betas %v, %v not in (0, 1)", o.Beta1, o.Beta2)
	}
	if !(o.Epsilon > 0) || math.IsInf(o.Epsilon, 1) {
		return errorf(ErrConfig, "Adam epsilon %v not finite and positive", o.Epsilon)
	}
	return nil
}

func (o Adam) start(n int) func(params, grad []float64) {
	o = o.withDefaults()
	m, v := make([]float64, n), make([]float64, n)
	var b1t, b2t float64 = 1, 1
	return func(p, g []float64) {
		b1t *= o.Beta1
		b2t *= o.Beta2
		step := o.LearningRate * math.Sqrt(1-b2t) / (1 - b1t)
		for i := range p {
			m[i] = o.Beta1*m[i] + (1-o.Beta1)*g[i]
			v[i] = o.Beta2*v[i] + (1-o.Beta2)*g[i]*g[i]
			p[i] -= step * m[i] / (math.Sqrt(v[i]) + o.Epsilon)
		}
	}
}

// TrainConfig configures Train.
type TrainConfig struct {
	Loss      Loss      // required
	Optimizer Optimizer // required: SGD or Adam
	// BatchSize is the minibatch size; 0 (or ≥ the number of samples)
	// means full-batch training. Minibatches are drawn from a permutation
	// of the samples made anew each epoch from Seed; the last one of an
	// epoch may be smaller.
	BatchSize int
	// MaxSteps bounds the number of optimiser steps (required, ≥ 1).
	MaxSteps int
	// Tol stops training once the mean loss over all samples is ≤ Tol,
	// checked before the first step and after every epoch. 0 disables it.
	Tol float64
	// Seed drives the minibatch order.
	Seed uint64
}

// TrainResult reports how training ended.
type TrainResult struct {
	Steps     int       // optimiser steps taken
	Epochs    int       // passes over the data (the last may be partial)
	Loss      float64   // mean loss over all samples at the end
	Converged bool      // whether Loss ≤ Tol stopped training
	History   []float64 // full-data loss before training and after each completed epoch
}

// Train fits the network to inputs x (samples×in) and targets t
// (samples×out) and returns how it ended. Training is deterministic for a
// seed: the same network, data and config give bit-identical parameters.
//
// Train returns the errors of Gradient, and ErrConfig for a nil loss or
// optimiser, an invalid optimiser setting, MaxSteps < 1, a negative
// BatchSize or a negative or NaN Tol. If training diverges (a loss,
// gradient or parameter overflows to ±Inf or becomes NaN, on the full-batch
// and the minibatch path alike) it returns an error wrapping ErrNonFinite
// and restores the parameters it started from, so the network is unchanged
// by a failed call. Train writes the parameters: it must not run at the
// same time as any other method call on n.
func (n *Network) Train(x, t *mat.Dense, cfg TrainConfig) (TrainResult, error) {
	var res TrainResult
	if cfg.Optimizer == nil {
		return res, errorf(ErrConfig, "nil optimizer")
	}
	if err := cfg.Optimizer.validate(); err != nil {
		return res, err
	}
	if cfg.MaxSteps < 1 || cfg.BatchSize < 0 || !(cfg.Tol >= 0) {
		return res, errorf(ErrConfig, "MaxSteps %d, BatchSize %d, Tol %v: want MaxSteps ≥ 1, BatchSize ≥ 0, Tol ≥ 0",
			cfg.MaxSteps, cfg.BatchSize, cfg.Tol)
	}
	samples, err := n.checkBatch(x, t, cfg.Loss)
	if err != nil {
		return res, err
	}
	start := n.Params()
	fail := func(err error) (TrainResult, error) {
		copy(n.params, start)
		return TrainResult{}, err
	}
	bs := cfg.BatchSize
	if bs == 0 || bs > samples {
		bs = samples
	}
	full, err := n.Loss(x, t, cfg.Loss)
	if err != nil {
		return fail(err)
	}
	res.History = append(res.History, full)
	res.Loss = full
	if full <= cfg.Tol {
		res.Converged = true
		return res, nil
	}
	step := cfg.Optimizer.start(len(n.params))
	grad := make([]float64, len(n.params))
	in, out := n.sizes[0], n.sizes[len(n.sizes)-1]
	var bx, bt, rx, rt *mat.Dense // minibatch buffers (full and remainder)
	if bs < samples {
		bx, bt = mat.NewDense(bs, in, nil), mat.NewDense(bs, out, nil)
		if r := samples % bs; r > 0 {
			rx, rt = mat.NewDense(r, in, nil), mat.NewDense(r, out, nil)
		}
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x747261696e)) // "train"
	perm := make([]int, samples)
	for i := range perm {
		perm[i] = i
	}
	if bs == samples {
		// Full batch: the loss GradientInto returns is the full-data loss
		// at the current parameters, so no separate evaluation is needed.
		for {
			v, err := n.GradientInto(grad, x, t, cfg.Loss)
			if err != nil {
				return fail(err)
			}
			if res.Steps > 0 {
				res.History = append(res.History, v)
			}
			res.Loss = v
			if v <= cfg.Tol {
				res.Converged = true
				return res, nil
			}
			if res.Steps == cfg.MaxSteps {
				return res, nil
			}
			step(n.params, grad)
			res.Steps++
			res.Epochs++
			// A step can overflow a parameter while the loss and gradient
			// at the new point stay finite (an infinite weight into a
			// saturated sigmoid or tanh), so the parameters are screened
			// themselves.
			if i := firstNonFinite(n.params); i >= 0 {
				return fail(errorf(ErrNonFinite, "training diverged: %s = %v", n.ParamName(i), n.params[i]))
			}
		}
	}
	for res.Steps < cfg.MaxSteps {
		rng.Shuffle(samples, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		for lo := 0; lo < samples && res.Steps < cfg.MaxSteps; lo += bs {
			cx, ct := bx, bt
			if lo+bs > samples {
				cx, ct = rx, rt
			}
			r, _ := cx.Dims()
			for i := 0; i < r; i++ {
				cx.SetRow(i, x.RawRowView(perm[lo+i]))
				ct.SetRow(i, t.RawRowView(perm[lo+i]))
			}
			if _, err := n.GradientInto(grad, cx, ct, cfg.Loss); err != nil {
				return fail(err)
			}
			step(n.params, grad)
			res.Steps++
		}
		res.Epochs++
		if i := firstNonFinite(n.params); i >= 0 {
			return fail(errorf(ErrNonFinite, "training diverged: %s = %v", n.ParamName(i), n.params[i]))
		}
		full, err = n.Loss(x, t, cfg.Loss)
		if err != nil {
			return fail(err)
		}
		res.History = append(res.History, full)
		res.Loss = full
		if full <= cfg.Tol {
			res.Converged = true
			break
		}
	}
	return res, nil
}
