package nn_test

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/reluproof/reluproof/nn"
)

// TestLeakyReLUSlopeDomain: LeakyReLU accepts exactly the slopes
// 0 ≤ α < 1, both ends included or excluded as documented. α = 0 is relu
// itself; α = 1 would be the identity, which is not a leaky relu.
func TestLeakyReLUSlopeDomain(t *testing.T) {
	for _, alpha := range []float64{0, 0.01, 0.5, math.Nextafter(1, 0)} {
		t.Run(fmt.Sprintf("valid %v", alpha), func(t *testing.T) {
			act, err := nn.LeakyReLU(alpha)
			if err != nil {
				t.Fatalf("LeakyReLU(%v): %v, want a valid activation", alpha, err)
			}
			// −2·α is exact (a product by a power of two), so the negative
			// side must give it bit for bit.
			if got := act.Eval(-2); got != -2*alpha {
				t.Errorf("LeakyReLU(%v).Eval(−2) = %v, want %v", alpha, got, -2*alpha)
			}
			if got := act.Eval(3); got != 3 {
				t.Errorf("LeakyReLU(%v).Eval(3) = %v, want 3", alpha, got)
			}
		})
	}
	relu0, err := nn.LeakyReLU(0)
	if err != nil {
		t.Fatalf("LeakyReLU(0): %v", err)
	}
	for _, x := range []float64{-3, -0.5, 0, 0.25, 7} {
		if got, want := relu0.Eval(x), nn.ReLU.Eval(x); got != want {
			t.Errorf("LeakyReLU(0).Eval(%v) = %v, relu gives %v", x, got, want)
		}
	}
	for _, alpha := range []float64{1, 2, -math.SmallestNonzeroFloat64, -0.5, math.Inf(1), math.Inf(-1)} {
		t.Run(fmt.Sprintf("invalid %v", alpha), func(t *testing.T) {
			if _, err := nn.LeakyReLU(alpha); !errors.Is(err, nn.ErrConfig) {
				t.Errorf("LeakyReLU(%v): error %v, want one wrapping ErrConfig", alpha, err)
			}
		})
	}
}

// TestKinkDerivativeConvention: at a kink Deriv returns the left
// derivative (the Activation contract), so relu′(0) = 0 and the leaky
// relu's derivative at 0 is its slope α, for 0 and −0 alike.
func TestKinkDerivativeConvention(t *testing.T) {
	for _, x := range []float64{0, math.Copysign(0, -1)} {
		t.Run(fmt.Sprintf("at %v", x), func(t *testing.T) {
			if d := nn.ReLU.Deriv(x); d != 0 {
				t.Errorf("relu′(%v) = %v, want the left derivative 0", x, d)
			}
			for _, alpha := range []float64{0, nn.DefaultLeakySlope, 0.2} {
				act, err := nn.LeakyReLU(alpha)
				if err != nil {
					t.Fatal(err)
				}
				if d := act.Deriv(x); d != alpha {
					t.Errorf("%s′(%v) = %v, want the left derivative %v", act.Name(), x, d, alpha)
				}
			}
		})
	}
	// Away from the kink both are plainly 1 on the right.
	for _, x := range []float64{math.SmallestNonzeroFloat64, 1, 1e300} {
		if d := nn.ReLU.Deriv(x); d != 1 {
			t.Errorf("relu′(%v) = %v, want 1", x, d)
		}
	}
}

// TestActivationNamesIdentify: a name identifies its activation. Every
// name of ActivationNames round-trips through ActivationByName; a leaky relu or
// sharpened softplus off the default names its parameter exactly (the
// shortest decimal that parses back to the same float64), so that two
// different slopes never share a name in a report.
func TestActivationNamesIdentify(t *testing.T) {
	for _, name := range nn.ActivationNames() {
		t.Run(name, func(t *testing.T) {
			act, err := nn.ActivationByName(name)
			if err != nil {
				t.Fatalf("ActivationByName(%q): %v", name, err)
			}
			if got := act.Name(); got != name {
				t.Errorf("ActivationByName(%q).Name() = %q", name, got)
			}
		})
	}
	param := func(name, prefix string) (float64, bool) {
		inner, ok := strings.CutPrefix(name, prefix+"(")
		if !ok || !strings.HasSuffix(inner, ")") {
			return 0, false
		}
		v, err := strconv.ParseFloat(strings.TrimSuffix(inner, ")"), 64)
		return v, err == nil
	}
	for _, alpha := range []float64{0, 0.2, 0.25, 0.123456789, 0.5} {
		t.Run(fmt.Sprintf("leaky_relu(%v)", alpha), func(t *testing.T) {
			act, err := nn.LeakyReLU(alpha)
			if err != nil {
				t.Fatal(err)
			}
			if v, ok := param(act.Name(), "leaky_relu"); !ok || v != alpha {
				t.Errorf("LeakyReLU(%v).Name() = %q does not name slope %v", alpha, act.Name(), alpha)
			}
		})
	}
	if act, _ := nn.LeakyReLU(nn.DefaultLeakySlope); act.Name() != "leaky_relu" {
		t.Errorf("LeakyReLU(DefaultLeakySlope).Name() = %q, want leaky_relu", act.Name())
	}
	for _, beta := range []float64{0.5, 2, 2.25, 10.125} {
		t.Run(fmt.Sprintf("softplus_beta(%v)", beta), func(t *testing.T) {
			act, err := nn.SoftplusBeta(beta)
			if err != nil {
				t.Fatal(err)
			}
			if v, ok := param(act.Name(), "softplus_beta"); !ok || v != beta {
				t.Errorf("SoftplusBeta(%v).Name() = %q does not name β = %v", beta, act.Name(), beta)
			}
		})
	}
	if act, _ := nn.SoftplusBeta(1); act.Name() != "softplus" {
		t.Errorf("SoftplusBeta(1).Name() = %q, want softplus", act.Name())
	}
}

// TestReLUEvalIsMax: ReLU.Eval(x) is max(x, 0) bit for bit, the value the
// network's relu pass computes for a pre-activation x: Go's max orders −0
// below +0, so both zeros map to +0, a NaN stays NaN, and every other x is
// exact (relu rounds nothing), so equality of bits is the only tolerance.
func TestReLUEvalIsMax(t *testing.T) {
	negZero := math.Copysign(0, -1)
	for _, x := range []float64{negZero, 0, -math.SmallestNonzeroFloat64, math.SmallestNonzeroFloat64,
		-1, 2.5, -math.MaxFloat64, math.MaxFloat64, math.Inf(-1), math.Inf(1), math.NaN()} {
		t.Run(fmt.Sprintf("%v signbit %v", x, math.Signbit(x)), func(t *testing.T) {
			got, want := nn.ReLU.Eval(x), max(x, 0)
			if math.IsNaN(want) {
				if !math.IsNaN(got) {
					t.Errorf("relu(%v) = %v, want NaN", x, got)
				}
				return
			}
			if math.Float64bits(got) != math.Float64bits(want) {
				t.Errorf("relu(%v) = %v (signbit %v), want max(x, 0) = %v (signbit %v)",
					x, got, math.Signbit(got), want, math.Signbit(want))
			}
		})
	}
}
