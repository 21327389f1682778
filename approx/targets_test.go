package approx_test

import (
	"math"
	"testing"

	"github.com/reluproof/reluproof/approx"
)

// targetSpec is Targets' doc comment written out independently: f, f′ and
// f″ in closed form, the interval, and the constants the bounds use.
type targetSpec struct {
	f, d1, d2        func(float64) float64 // d1, d2 nil where f is not differentiable
	a, b             float64
	lipschitz, maxF2 float64
	smooth           bool
}

var targetSpecs = map[string]targetSpec{
	"sin3x": {
		f:  func(x float64) float64 { return math.Sin(3 * x) },
		d1: func(x float64) float64 { return 3 * math.Cos(3*x) },
		d2: func(x float64) float64 { return -9 * math.Sin(3*x) },
		a:  -1, b: 1, lipschitz: 3, maxF2: 9, smooth: true,
	},
	"exp": {
		f: math.Exp, d1: math.Exp, d2: math.Exp,
		a: -1, b: 1, lipschitz: math.E, maxF2: math.E, smooth: true,
	},
	"gauss": {
		f:  func(x float64) float64 { return math.Exp(-8 * x * x) },
		d1: func(x float64) float64 { return -16 * x * math.Exp(-8*x*x) },
		d2: func(x float64) float64 { return (256*x*x - 16) * math.Exp(-8*x*x) },
		// |f′| peaks at x = ±1/4 (f″ = 0): 16·¼·e^{−½}; |f″| peaks at 0.
		a: -1, b: 1, lipschitz: 4 / math.Sqrt(math.E), maxF2: 16, smooth: true,
	},
	"kink": {
		f: func(x float64) float64 { return math.Abs(x - 1/math.Pi) },
		a: -1, b: 1, lipschitz: 1, maxF2: math.Inf(1),
	},
	"sqrt": {
		f: math.Sqrt,
		a: 0, b: 1, lipschitz: math.Inf(1), maxF2: math.Inf(1),
	},
	"abs": {
		f: math.Abs,
		a: -1, b: 1, lipschitz: 1, maxF2: math.Inf(1),
	},
}

// TestTargetsAsDocumented: every target of Targets is the documented
// function on the documented interval with the documented constants, and
// TargetByName finds it. Values are compared within 4 ulp (the spec and the
// target may round a libm call and a product differently); the constants
// within 2 ulp (4/√e and 4·e^{−½} round differently). The smooth targets'
// Lipschitz and MaxF2 must also be the maxima of |f′| and |f″| on a grid of
// step 10⁻⁴ on [−1, 1]: the maximisers 0, ±¼ and 1 are grid points, π/6 is
// within δ = 5·10⁻⁵ of one, where |9 sin 3x| falls short of 9 by at most
// 81δ²/2 ≈ 1e−7 (relative 1.2e−8). So the grid maximum lies in
// [(1 − 1e−7)·c, (1 + 4ε)·c] for the constant c, the 4ε for roundings.
func TestTargetsAsDocumented(t *testing.T) {
	targets := approx.Targets()
	if len(targets) != len(targetSpecs) {
		t.Fatalf("Targets has %d targets, want %d", len(targets), len(targetSpecs))
	}
	near := func(got, want float64, ulps float64) bool {
		if math.IsInf(want, 0) {
			return got == want
		}
		return math.Abs(got-want) <= ulps*0x1p-52*math.Max(math.Abs(want), 0x1p-1022)
	}
	for _, tg := range targets {
		t.Run(tg.Name, func(t *testing.T) {
			spec, ok := targetSpecs[tg.Name]
			if !ok {
				t.Errorf("unexpected target %q", tg.Name)
				return
			}
			if tg.A != spec.a || tg.B != spec.b {
				t.Errorf("%s: interval [%v, %v], want [%v, %v]", tg.Name, tg.A, tg.B, spec.a, spec.b)
			}
			if !near(tg.Lipschitz, spec.lipschitz, 2) || !near(tg.MaxF2, spec.maxF2, 2) || tg.Smooth != spec.smooth {
				t.Errorf("%s: Lipschitz %v, MaxF2 %v, Smooth %v; want %v, %v, %v",
					tg.Name, tg.Lipschitz, tg.MaxF2, tg.Smooth, spec.lipschitz, spec.maxF2, spec.smooth)
			}
			const n = 20000
			var max1, max2 float64
			for i := 0; i <= n; i++ {
				x := spec.a + (spec.b-spec.a)*float64(i)/n
				if got, want := tg.F(x), spec.f(x); !near(got, want, 4) {
					t.Errorf("%s: F(%v) = %v, want %v", tg.Name, x, got, want)
					break
				}
				if spec.d1 != nil {
					max1 = math.Max(max1, math.Abs(spec.d1(x)))
					max2 = math.Max(max2, math.Abs(spec.d2(x)))
				}
			}
			if spec.d1 != nil {
				for _, m := range []struct {
					name       string
					grid, want float64
				}{{"Lipschitz", max1, tg.Lipschitz}, {"MaxF2", max2, tg.MaxF2}} {
					t.Run(m.name, func(t *testing.T) {
						if !(m.grid <= m.want*(1+0x1p-50) && m.grid >= m.want*(1-1e-7)) {
							t.Errorf("%s: %s = %v, but the grid maximum is %v", tg.Name, m.name, m.want, m.grid)
						}
					})
				}
			}
			byName, ok := approx.TargetByName(tg.Name)
			if !ok || byName.Name != tg.Name || byName.A != tg.A || byName.B != tg.B ||
				byName.Lipschitz != tg.Lipschitz || byName.MaxF2 != tg.MaxF2 || byName.F(0.3) != tg.F(0.3) {
				t.Errorf("TargetByName(%q) = %+v, %v; want the target of Targets", tg.Name, byName, ok)
			}
		})
	}
	// The kink sits at 1/π, where |x − c| is 0; at 0 it is 1/π.
	kink, _ := approx.TargetByName("kink")
	if approx.KinkPoint != 1/math.Pi || kink.F(approx.KinkPoint) != 0 || kink.F(0) != 1/math.Pi {
		t.Errorf("kink: KinkPoint %v, F(KinkPoint) %v, F(0) %v; want 1/π, 0, 1/π",
			approx.KinkPoint, kink.F(approx.KinkPoint), kink.F(0))
	}
	if _, ok := approx.TargetByName("cos"); ok {
		t.Error(`TargetByName("cos") found a target`)
	}
}
