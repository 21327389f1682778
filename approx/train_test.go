package approx_test

import (
	"errors"
	"fmt"
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

// TestTrainNetworkCountLimit: a step's len(xs)·(width + 1) activations may
// reach MaxCount but not pass it, checked before anything is built. With
// one sample, width MaxCount − 1 (exactly MaxCount activations) passes the
// count check and stops at the next one, the nil target function
// (ErrKnots), without allocating; width MaxCount is refused by the count
// check (ErrDomain naming MaxCount).
func TestTrainNetworkCountLimit(t *testing.T) {
	nilF := approx.Target{Name: "nil", A: -1, B: 1}
	cfg := approx.TrainSettings{Steps: 1, LearningRate: 0.01}
	xs := []float64{0}
	for _, c := range []struct {
		width int
		want  error
		text  string
	}{
		{approx.MaxCount - 1, approx.ErrKnots, "nil function"},
		{approx.MaxCount, approx.ErrDomain, "exceed MaxCount"},
	} {
		t.Run(fmt.Sprintf("width=%d", c.width), func(t *testing.T) {
			_, _, err := approx.TrainNetwork(nn.ReLU, c.width, nilF, xs, 1, cfg)
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.text) {
				t.Errorf("%v, want %v saying %q", err, c.want, c.text)
			}
		})
	}
}
