package properties

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/floats"
)

// SymmetryResult is the outcome of SymmetryCheck.
type SymmetryResult struct {
	What string
	// UHV is ⟨u, ∇f(x+hv) − ∇f(x−hv)⟩/2h, the central difference of the
	// claimed gradient along v read along u: uᵀHv + O(h²) when the
	// gradient is right (H the Hessian of f at x).
	UHV float64
	// VHU is ⟨v, ∇f(x+hu) − ∇f(x−hu)⟩/2h, the same with u and v swapped:
	// vᵀHu + O(h²), equal to UHV up to truncation and rounding because H
	// is symmetric.
	VHU float64
	// RelErr is the relative asymmetry |UHV − VHU| / max(1, |UHV|, |VHU|);
	// NaN (and a failure) if a gradient was not finite.
	RelErr float64
	// Floor is the estimated rounding floor of RelErr,
	// RoundingFactor·ε·G/h / max(1, |UHV|, |VHU|) with G the largest ‖∇f‖₂
	// at the four points (see SymmetryCheck).
	Floor   float64
	Step    float64 // the step h used
	Allowed float64 // the tolerance at that step
	// Skipped is true when one of x ± hu, x ± hv left the piece of x at
	// every step tried; nothing was compared and Pass is false.
	Skipped bool
	// Unresolved is true when the rounding floor exceeds Allowed: no
	// float64 difference of this gradient can judge the symmetry to the
	// tolerance, which is a limit of float64, not a fault of the gradient.
	// Pass is false.
	Unresolved bool
	Pass       bool
}

// String summarises the result in one line.
func (r SymmetryResult) String() string {
	if r.Skipped {
		return r.What + ": skipped: the directions cross a kink at every step tried"
	}
	verdict := "pass"
	switch {
	case r.Unresolved:
		verdict = "unresolved"
	case !r.Pass:
		verdict = "FAIL"
	}
	return fmt.Sprintf("%s: %s: uᵀHv ≈ %.6g, vᵀHu ≈ %.6g (relative asymmetry %.3g, tolerance %.3g, rounding floor %.3g, step %.3g)",
		r.What, verdict, r.UHV, r.VHU, r.RelErr, r.Allowed, r.Floor, r.Step)
}

// Err returns nil when the check passed and otherwise an error carrying
// String.
func (r SymmetryResult) Err() error {
	if r.Pass {
		return nil
	}
	return fmt.Errorf("properties: %s", r)
}

// SymmetryCheck is a second-order gradient check that needs no Hessian
// code, in the spirit of PyTorch's gradgradcheck and JAX's
// check_grads(order=2). A right gradient field is the gradient of
// something, so its Jacobian (the Hessian H of f) is symmetric. For the
// unit directions u/‖u‖ and v/‖v‖ it forms the central differences of the
// claimed gradient
//
//	UHV = ⟨u, ∇f(x+hv) − ∇f(x−hv)⟩ / 2h = uᵀHv + O(h²),
//	VHU = ⟨v, ∇f(x+hu) − ∇f(x−hu)⟩ / 2h = vᵀHu + O(h²),
//
// and passes when |UHV − VHU| ≤ Tol·max(1, |UHV|, |VHU|). It never calls
// f: it checks the gradient field against itself. It catches gradients that
// agree with f to first order along the directions tried but are not the
// gradient of anything (a field g(y) = ∇f(x) + (I + A)(y − x) with A
// antisymmetric agrees with ∇f(x) = x of ½‖x‖² at x exactly, so GradCheck,
// DirectionalCheck and TaylorCheck at x pass, but its Jacobian I + A is
// not symmetric). It is blind to an error that is itself a gradient (a
// gradient scaled by 1.01 is the gradient of 1.01·f); the first-order
// checkers catch those.
//
// The step is a power of two near Step·max(1, ‖x‖∞), so that x ± hu moves
// every coordinate by exactly h·u_k up to one rounding. The tolerance is
// derived from the error of each side:
//   - truncation: the central difference of ∇f along v has error
//     h²/6·D⁴f[u, v, v, v] (a fourth derivative), so each side is off by
//     about 1e-11·|D⁴f| at h = 2^-17;
//   - rounding: a back-propagated gradient carries an error of a few ε per
//     entry relative to ‖∇f‖ (c·ε·‖∇f‖₂ in the 2-norm, c of a few units
//     as for f itself, see DefaultStep), and the difference of the two
//     gradients is formed before the inner product, so that product adds
//     only ε relative to the difference. Each side is thus off by at most
//     c·ε·G/h, G the largest ‖∇f‖₂ at the four points.
//
// With c = RoundingFactor = 8 the rounding floor is 8·2.2e-16·G/7.6e-6 ≈
// 2.3e-10·G, relative to max(1, |UHV|, |VHU|); the networks of the suite
// have gradients up to about 1e2 in norm, so the floor stays near 2e-8 and
// DefaultTol = 1e-6 leaves a margin of fifty over it and over the
// truncation term, while a non-conservative part of size 1e-6·|H| (in
// uᵀ(A − Aᵀ)v) is caught. Where the floor exceeds the tolerance (huge
// gradients, flat curvature) the result is Unresolved, never a failure.
// The step balances the two terms: h³ ≈ ε·G/|D⁴f| puts the optimum near
// ε^(1/3) ≈ 6e-6, the order of DefaultStep.
//
// With fn.Pattern set the check is kink-aware: the step is halved until the
// patterns at all four points x ± hu, x ± hv equal the one at x, with the
// tolerance growing as h_0/h since the rounding floor grows as 1/h (see
// Settings.MaxHalvings); if that fails after MaxHalvings halvings the
// result is Skipped. On a piece of a relu network the Hessian is the
// piece's own, smooth and symmetric, so the check applies there too.
//
// SymmetryCheck keeps no state; it may run on any number of goroutines at
// once provided fn.Grad and fn.Pattern may be called concurrently. It calls
// fn.Grad four times and fn.Pattern at most 4·(MaxHalvings+1) + 1 times,
// always on copies of x. u and v are not modified.
//
// It returns an error wrapping ErrInvalidCheck for a nil F or Grad, an
// empty or non-finite x, a u or v of another length or of zero or
// non-finite norm, or invalid settings. An asymmetric gradient is not an
// error: it is a result with Pass false.
func SymmetryCheck(fn Function, x, u, v []float64, s *Settings) (SymmetryResult, error) {
	if err := validatePoint(fn, x); err != nil {
		return SymmetryResult{}, err
	}
	u, err := validateDirection(x, u)
	if err != nil {
		return SymmetryResult{}, err
	}
	v, err = validateDirection(x, v)
	if err != nil {
		return SymmetryResult{}, err
	}
	set, err := s.resolve(false)
	if err != nil {
		return SymmetryResult{}, err
	}
	res := SymmetryResult{What: "symmetry of the Jacobian of " + fn.what()}
	x0 := slices.Clone(x)
	xc := make([]float64, len(x))
	at := func(t float64, d []float64) []float64 {
		copy(xc, x0)
		floats.AddScaled(xc, t, d)
		return xc
	}
	h0 := powerOfTwoStep(set.step * math.Max(1, floats.Norm(x0, math.Inf(1))))
	h := h0
	if fn.Pattern != nil {
		p0 := fn.Pattern(slices.Clone(x0))
		onPiece := func(h float64) bool {
			for _, d := range [][]float64{u, v} {
				for _, t := range []float64{h, -h} {
					if !slices.Equal(fn.Pattern(at(t, d)), p0) {
						return false
					}
				}
			}
			return true
		}
		for halvings := 0; !onPiece(h); halvings++ {
			if halvings == set.maxHalvings {
				res.Skipped = true
				return res, nil
			}
			h /= 2
		}
	}
	res.Step, res.Allowed = h, set.tol*h0/h
	gp, gm := make([]float64, len(x)), make([]float64, len(x))
	var gmax float64 // the largest ‖∇f‖₂ at the four points
	// side returns ⟨w, ∇f(x+hd) − ∇f(x−hd)⟩/2h, the difference of the two
	// gradients formed first so that the inner product rounds relative to
	// it, not to ‖∇f‖.
	side := func(w, d []float64) float64 {
		fn.Grad(gp, slices.Clone(at(h, d)))
		fn.Grad(gm, slices.Clone(at(-h, d)))
		gmax = math.Max(gmax, math.Max(floats.Norm(gp, 2), floats.Norm(gm, 2)))
		floats.Sub(gp, gm)
		return floats.Dot(w, gp) / (2 * h)
	}
	res.UHV = side(u, v)
	res.VHU = side(v, u)
	res.RelErr = gradRelErr(res.UHV, res.VHU)
	scale := math.Max(1, math.Max(math.Abs(res.UHV), math.Abs(res.VHU)))
	res.Floor = RoundingFactor * machEps * gmax / h / scale
	if res.Floor > res.Allowed && !math.IsInf(gmax, 0) {
		res.Unresolved = true
		return res, nil
	}
	res.Pass = res.RelErr <= res.Allowed
	return res, nil
}
