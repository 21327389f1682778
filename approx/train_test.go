package approx_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/reluproof/reluproof/approx"
	"github.com/reluproof/reluproof/nn"
)

// TestTrainNetworkDomain: the smallest valid settings (width 1, one step,
// a tiny positive rate) train, and each setting just outside is ErrDomain
// from TrainNetwork's own check (not, say, nn.New's, reached later).
func TestTrainNetworkDomain(t *testing.T) {
	tg, _ := approx.TargetByName("sin3x")
	xs := []float64{-0.5, 0, 0.5}
	ok := approx.TrainSettings{Steps: 1, LearningRate: math.SmallestNonzeroFloat64}
	if _, _, err := approx.TrainNetwork(nn.Tanh, 1, tg, xs, 1, ok); err != nil {
		t.Errorf("TrainNetwork(width 1, %+v): %v", ok, err)
	}
	bad := []struct {
		name  string
		act   nn.Activation
		width int
		xs    []float64
		cfg   approx.TrainSettings
	}{
		{"width 0", nn.Tanh, 0, xs, ok},
		{"no samples", nn.Tanh, 1, nil, ok},
		{"no steps", nn.Tanh, 1, xs, approx.TrainSettings{Steps: 0, LearningRate: 0.01}},
		{"zero rate", nn.Tanh, 1, xs, approx.TrainSettings{Steps: 1, LearningRate: 0}},
		{"NaN rate", nn.Tanh, 1, xs, approx.TrainSettings{Steps: 1, LearningRate: math.NaN()}},
		{"nil activation", nil, 1, xs, ok},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := approx.TrainNetwork(c.act, c.width, tg, c.xs, 1, c.cfg)
			if !errors.Is(err, approx.ErrDomain) || !strings.Contains(err.Error(), "training needs an activation, width ≥ 1") {
				t.Errorf("TrainNetwork(%s): %v, want ErrDomain with the message of TrainNetwork's own check", c.name, err)
			}
		})
	}
}
