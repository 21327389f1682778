package approx

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/reluproof/reluproof/nn"
)

// SigmoidSum returns S_{n,h}(x) = h·Σ_{i=1..n} σ(x − (i − ½)h), the
// expected activity of n stepped sigmoid units with biases shifted by
// −h/2, −3h/2, …; Nair & Hinton's case is h = 1 (claims N1–N3, Nair &
// Hinton 2010). It is the midpoint rule for ∫_0^{nh} σ(x − t) dt =
// sp(x) − sp(x − nh) (SigmoidSumIntegral), so it tracks softplus below the
// last shift.
//
// The sum is compensated (Neumaier), so its rounding error is a few ε·S
// whatever n is; it costs n sigmoid evaluations. It returns NaN for n < 1,
// n > MaxCount, h ≤ 0, h = +Inf or a NaN argument; x = ±Inf gives the
// limits n·h and 0.
func SigmoidSum(x float64, n int, h float64) float64 {
	if !sumDomain(x, n, h) {
		return math.NaN()
	}
	if math.IsInf(x, 0) { // the limits; x − (i − ½)h would be Inf − Inf for h near MaxFloat64
		return limit(x, n, h)
	}
	var sum, comp float64
	for i := 1; i <= n; i++ {
		v := nn.Sigmoid.Eval(x - (float64(i)-0.5)*h)
		t := sum + v
		if math.Abs(sum) >= math.Abs(v) {
			comp += (sum - t) + v
		} else {
			comp += (v - t) + sum
		}
		sum = t
	}
	return h * (sum + comp)
}

// sumDomain reports whether (x, n, h) is in the domain of SigmoidSum.
func sumDomain(x float64, n int, h float64) bool {
	return n >= 1 && n <= MaxCount && h > 0 && !math.IsInf(h, 1) && !math.IsNaN(x)
}

// limit returns the value of SigmoidSum and SigmoidSumIntegral at x = ±Inf:
// n·h (+Inf if that overflows) and 0.
func limit(x float64, n int, h float64) float64 {
	if math.IsInf(x, 1) {
		return float64(n) * h
	}
	return 0
}

// SigmoidSumIntegral returns sp(x) − sp(x − nh) = ∫_0^{nh} σ(x − t) dt,
// the integral that SigmoidSum approximates by the midpoint rule (claim
// N1). It returns NaN where SigmoidSum does, and the same limits n·h and 0
// at x = ±Inf.
func SigmoidSumIntegral(x float64, n int, h float64) float64 {
	if !sumDomain(x, n, h) {
		return math.NaN()
	}
	if math.IsInf(x, 0) {
		return limit(x, n, h)
	}
	return nn.Softplus.Eval(x) - nn.Softplus.Eval(x-float64(n)*h)
}

// MidpointBound returns h²/16, the bound of claim N1 (derived from the
// midpoint rule's Peano kernel, at most h²/8, times ∫|σ″| = 2·max σ′ = ½)
// on |SigmoidSum − SigmoidSumIntegral| for every x and n. NaN for h ≤ 0.
func MidpointBound(h float64) float64 {
	if !(h > 0) {
		return math.NaN()
	}
	return h * h / 16
}

// MidpointLeadingError returns the Euler–Maclaurin leading term of the
// error of SigmoidSum, −(h²/24)·(σ′(x) − σ′(x − nh)) (claim N1); the rest
// is O(h⁴), with 7h⁴/5760·(σ‴(x−nh) − σ‴(x)) next. NaN where SigmoidSum is.
func MidpointLeadingError(x float64, n int, h float64) float64 {
	if !sumDomain(x, n, h) {
		return math.NaN()
	}
	return -(h * h / 24) * (nn.Sigmoid.Deriv(x) - nn.Sigmoid.Deriv(x-float64(n)*h))
}

// SharpenedSoftplus returns the sharpened softplus sp_β(x) = log(1 + e^{βx})/β,
// computed as max(x, 0) + log1p(e^{−β|x|})/β so that it is finite and
// accurate for every finite x (claim R1). sp_β(x) − relu(x) lies in
// (0, log 2/β], the maximum exactly at x = 0. It returns NaN for β ≤ 0 or a
// NaN argument, and relu(x), the limit, for β = +Inf.
func SharpenedSoftplus(x, beta float64) float64 {
	if math.IsNaN(x) || !(beta > 0) {
		return math.NaN()
	}
	if math.IsInf(beta, 1) {
		return nn.ReLU.Eval(x)
	}
	return math.Max(x, 0) + math.Log1p(math.Exp(-beta*math.Abs(x)))/beta
}

// StepVariance returns Σ_{i=1..n} σ′(x − i + ½), the variance of the number
// of active copies among n stepped sigmoid units (claim N4, Nair & Hinton
// 2010). It is the midpoint rule for ∫_0^n σ′(x − t) dt = σ(x) − σ(x − n),
// which Nair & Hinton approximate by σ(x). It returns NaN for n < 1,
// n > MaxCount or a NaN x.
func StepVariance(x float64, n int) float64 {
	if n < 1 || n > MaxCount || math.IsNaN(x) {
		return math.NaN()
	}
	var sum float64
	for i := 1; i <= n; i++ {
		sum += nn.Sigmoid.Deriv(x - float64(i) + 0.5)
	}
	return sum
}

// StepVarianceBound is the bound 0.0081 of claim N4 on
// |StepVariance(x, n) − (σ(x) − σ(x − n))|: the Euler–Maclaurin leading
// term (1/24)·|σ″(x) − σ″(x − n)| ≤ (1/24)·2·max|σ″| with
// max|σ″| = 1/(6√3), rounded up.
const StepVarianceBound = 0.0081

// NoisyReLU describes the noisy relu y = max(0, x + z), z ~ N(0, σ(x)),
// that Nair & Hinton use in place of n stepped sigmoid units (claim N5).
type NoisyReLU struct {
	ZeroProb float64 // P(y = 0) = Φ(−x/s), s = √σ(x)
	PosProb  float64 // P(y > 0) = Φ(x/s), computed directly (accurate when tiny)
	Mean     float64 // E[y] = x·Φ(x/s) + s·φ(x/s)
	Var      float64 // Var[y] = (x² + s²)·Φ(x/s) + x·s·φ(x/s) − E[y]²
}

// NoisyReLUMoments returns the exact law of claim N5 at x, with Φ and φ
// from gonum's distuv.UnitNormal. Every field is NaN for a NaN or infinite x.
func NoisyReLUMoments(x float64) NoisyReLU {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		nan := math.NaN()
		return NoisyReLU{nan, nan, nan, nan}
	}
	s := math.Sqrt(nn.Sigmoid.Eval(x))
	u := x / s
	cdf, pdf := distuv.UnitNormal.CDF(u), distuv.UnitNormal.Prob(u)
	mean := x*cdf + s*pdf
	second := (x*x+s*s)*cdf + x*s*pdf
	return NoisyReLU{
		ZeroProb: distuv.UnitNormal.CDF(-u),
		PosProb:  cdf,
		Mean:     mean,
		Var:      math.Max(second-mean*mean, 0),
	}
}

// NoisyReLUEstimate is a Monte Carlo estimate of the noisy relu's law.
type NoisyReLUEstimate struct {
	Samples  int
	ZeroFrac float64 // fraction of samples with y = 0
	Mean     float64 // sample mean of y
}

// SampleNoisyReLU draws m samples of y = max(0, x + z), z ~ N(0, σ(x)),
// from a PCG generator seeded with seed (claim N5): the same arguments give
// the same estimate. Sample i is y_i = max(0, x + √σ(x)·n_i), with n_1, n_2, …
// the successive NormFloat64 draws of rand.New(rand.NewPCG(seed,
// 0x6e6f697379)) (math/rand/v2); a sample y_i = 0 counts as a zero. It
// returns NaN fields for m < 1, m > MaxCount or a non-finite x. Where the
// sum of the samples would overflow (x near MaxFloat64) the mean is the
// running mean of the same samples instead, finite for every finite x.
func SampleNoisyReLU(x float64, m int, seed uint64) NoisyReLUEstimate {
	if m < 1 || m > MaxCount || math.IsNaN(x) || math.IsInf(x, 0) {
		return NoisyReLUEstimate{Samples: m, ZeroFrac: math.NaN(), Mean: math.NaN()}
	}
	rng := rand.New(rand.NewPCG(seed, 0x6e6f697379)) // "noisy"
	s := math.Sqrt(nn.Sigmoid.Eval(x))
	zeros := 0
	var sum float64
	for i := 0; i < m; i++ {
		y := x + s*rng.NormFloat64()
		if y <= 0 {
			zeros++
			continue
		}
		sum += y
	}
	if math.IsInf(sum, 1) { // x near MaxFloat64: a running mean of the same samples
		rng = rand.New(rand.NewPCG(seed, 0x6e6f697379))
		var mean float64
		for i := 0; i < m; i++ {
			y := math.Max(x+s*rng.NormFloat64(), 0)
			mean += (y - mean) / float64(i+1) // stays within [0, max y]
		}
		return NoisyReLUEstimate{Samples: m, ZeroFrac: float64(zeros) / float64(m), Mean: mean}
	}
	return NoisyReLUEstimate{Samples: m, ZeroFrac: float64(zeros) / float64(m), Mean: sum / float64(m)}
}
