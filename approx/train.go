package approx

import (
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/reluproof/reluproof/nn"
)

// TrainSettings configures TrainNetwork (claim U5).
type TrainSettings struct {
	Steps        int     // full-batch Adam steps (≥ 1)
	LearningRate float64 // Adam's α (> 0)
}

// DefaultTrainSettings is the setting of the U5 sweep: 3000 full-batch Adam
// steps at α = 0.01.
var DefaultTrainSettings = TrainSettings{Steps: 3000, LearningRate: 0.01}

// TrainNetwork trains a φ-width-identity network on the samples (xs, t.F(xs))
// by full-batch Adam on the MSE with nn's trainer (claim U5). The first
// layer starts from the random features of RandomFeatures (each unit's kink
// or centre uniform on [t.A, t.B], steepness growing with width; nn.New's
// zero biases would put every kink at 0 and Glorot's small weights leave
// wide tanh layers nearly linear), the output layer from nn.New(seed).
// Deterministic for a seed. It returns an error wrapping ErrDomain for a
// nil activation, a width below 1, no samples, bad settings, a bad interval
// [t.A, t.B], or more than MaxCount activations a step
// (len(xs)·(width + 1)), ErrKnots for a nil t.F, and nn's errors from
// training wrapped in ErrDomain.
func TrainNetwork(act nn.Activation, width int, t Target, xs []float64, seed uint64, cfg TrainSettings) (*nn.Network, nn.TrainResult, error) {
	if act == nil || width < 1 || len(xs) == 0 || cfg.Steps < 1 || !(cfg.LearningRate > 0) {
		return nil, nn.TrainResult{}, errorf(ErrDomain, "training needs an activation, width ≥ 1, samples, steps ≥ 1 and a positive rate; got width %d, %d samples, %+v", width, len(xs), cfg)
	}
	if width > MaxCount/len(xs)-1 {
		return nil, nn.TrainResult{}, errorf(ErrDomain, "%d samples through %d + 1 units exceed MaxCount = %d activations", len(xs), width, MaxCount)
	}
	if t.F == nil {
		return nil, nn.TrainResult{}, errorf(ErrKnots, "target %q has a nil function", t.Name)
	}
	if err := checkInterval(t.A, t.B); err != nil {
		return nil, nn.TrainResult{}, err
	}
	net, err := nn.New([]int{1, width, 1}, act, nn.Identity, seed)
	if err != nil {
		return nil, nn.TrainResult{}, errorf(ErrDomain, "network: %w", err)
	}
	p := net.Params()
	w, bias := featureLayer(act, width, t.A, t.B, seed)
	copy(p, w)
	copy(p[width:], bias)
	if err := net.SetParams(p); err != nil {
		return nil, nn.TrainResult{}, errorf(ErrDomain, "initial biases: %w", err)
	}
	x := mat.NewDense(len(xs), 1, append([]float64(nil), xs...))
	y := mat.NewDense(len(xs), 1, nil)
	for i, v := range xs {
		y.Set(i, 0, t.F(v))
	}
	res, err := net.Train(x, y, nn.TrainConfig{
		Loss:      nn.MSE,
		Optimizer: nn.Adam{LearningRate: cfg.LearningRate},
		MaxSteps:  cfg.Steps,
		Seed:      seed,
	})
	if err != nil {
		return nil, res, errorf(ErrDomain, "training: %w", err)
	}
	return net, res, nil
}

// TrainSweep trains TrainNetwork(act, n, t, train, seed, cfg) for every
// width n and seed and measures each network on eval (claim U5): one row per
// (width, seed), widths outer; Median summarises the seeds. It returns the
// errors of TrainNetwork (ErrKnots for a nil t.F) and Errors.
func TrainSweep(act nn.Activation, t Target, widths []int, seeds []uint64, train, eval []float64, cfg TrainSettings) ([]SweepRow, error) {
	var rows []SweepRow
	for _, n := range widths {
		for _, seed := range seeds {
			start := time.Now()
			net, _, err := TrainNetwork(act, n, t, train, seed, cfg)
			if err != nil {
				return nil, err
			}
			sup, rms, err := Errors(net, t.F, eval)
			if err != nil {
				return nil, err
			}
			rows = append(rows, SweepRow{Width: n, Seed: seed, SupErr: sup, RMS: rms, Seconds: time.Since(start).Seconds()})
		}
	}
	return rows, nil
}
