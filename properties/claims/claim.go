package claims

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/reluproof/reluproof/properties/gen"
)

// Config sizes one run of a claim's check. The zero value is the default
// run with seed 0.
type Config struct {
	// Seed drives every random choice of the run; the same seed gives the
	// same cases and the same figures.
	Seed uint64
	// Quick asks for smaller sweeps and fewer cases, for CI.
	Quick bool
	// Cases is the number of random cases for claims checked case by case;
	// 0 means the claim's default.
	Cases int
	// Progress, if not nil, is told how far a long check has got. It is
	// called from the goroutine that runs the check.
	Progress func(done, total int)
}

// Result is the outcome of one run of a claim's check.
type Result struct {
	ID        string  // catalogue ID, "G1"
	Title     string  // the claim in a few words
	Reference string  // where the claim comes from
	Measured  float64 // the headline figure measured
	Bound     string  // the bound or expected value it was held to, "≤ 0.0625", "−2 ± 0.1"
	Pass      bool    // whether the claim held
	Detail    string  // what was run: cases, skips, the worst case
	Seconds   float64 // wall time of the check
	// Sweeps holds the error-against-width sweeps the check measured, for
	// the claims judged on sweeps (U3–U6, T2); nil for the others. A figure
	// draws these rows rather than running its own sweep.
	Sweeps []Sweep `json:"-"`
	// Points holds the point sets a figure of the claim draws (F1's
	// decision regions, F2's learned directions); nil for the others.
	Points []Points `json:"-"`
}

// Claim is one entry of the catalogue with the function that checks it.
// Run is deterministic for a Config and does not panic on a failing claim:
// it reports failure in Result.Pass.
type Claim struct {
	ID        string
	Title     string
	Reference string
	Run       func(Config) Result
}

// catalogue is every claim, in the catalogue's order (families G, I, S, N,
// R, U, D, T, F, then by number).
var catalogue = []Claim{
	{ID: "G1", Title: "parameter gradients match central differences", Reference: "PyTorch gradcheck; Caffe's kink-aware checker", Run: runG1},
	{ID: "G2", Title: "directional derivative matches ⟨∇L, u⟩", Reference: "PyTorch gradcheck fast mode", Run: runG2},
	{ID: "G3", Title: "Taylor remainder is second order", Reference: "Taylor's theorem (derived)", Run: runG3},
	{ID: "G4", Title: "input Jacobian matches central differences", Reference: "forward-mode differentiation", Run: runG4},
	{ID: "G5", Title: "activation derivatives match central differences", Reference: "subdifferential convention of relu", Run: runG5},
	{ID: "G6", Title: "MSE and BCE-with-logits values and gradients", Reference: "stable log-sum-exp", Run: runG6},
	{ID: "G7", Title: "gradient fields are conservative: the Jacobian of ∇L is symmetric", Reference: "PyTorch gradgradcheck; JAX check_grads(order=2)", Run: runG7},
	{ID: "I1", Title: "relu(x) − relu(−x) = x, relu(x) + relu(−x) = |x|, bit-exact", Reference: "definition of relu", Run: runI1},
	{ID: "I2", Title: "sp(x) − sp(−x) = x within 4ε·max(1, |x|)", Reference: "log(1+e^x) − log(1+e^−x) = x", Run: runI2},
	{ID: "I3", Title: "σ(x) + σ(−x) = 1 within 4ε", Reference: "symmetry of the logistic function", Run: runI3},
	{ID: "I4", Title: "sp′ = σ, σ′ = σ(1 − σ), tanh x = 2σ(2x) − 1 within a few ε", Reference: "calculus of the logistic function", Run: runI4},
	{ID: "I5", Title: "σ, sp, tanh and the losses finite and accurate to |x| = 1e300", Reference: "stable log-sum-exp; Goldberg (1991)", Run: runI5},
	{ID: "S1", Title: "bias-free relu networks are positively homogeneous", Reference: "relu(a·z) = a·relu(z) for a > 0", Run: runS1},
	{ID: "S2", Title: "rescaling a hidden unit by c and 1/c leaves f unchanged", Reference: "Dinh et al. (ICML 2017), Sharp minima can generalize", Run: runS2},
	{ID: "S3", Title: "permuting a hidden layer leaves f unchanged", Reference: "weight-space symmetry (Hecht-Nielsen 1990)", Run: runS3},
	{ID: "S4", Title: "relu networks are affine inside an activation region", Reference: "Montúfar et al. (NIPS 2014), linear regions", Run: runS4},
	{ID: "S5", Title: "piece count ≤ Π(w_l + 1), counted exactly and confirmed by sampling", Reference: "Montúfar, Pascanu, Cho & Bengio, NeurIPS 2014; Serra, Tjandraatmadja & Ramalingam, ICML 2018; derived", Run: runS5},
	{ID: "N1", Title: "stepped sigmoid sum: midpoint bound h²/16 and Euler–Maclaurin form", Reference: nairHinton + "; Peano kernel, Euler–Maclaurin", Run: runN1},
	{ID: "N2", Title: "stepped sigmoid sum tracks softplus below the last shift", Reference: nairHinton, Run: runN2},
	{ID: "N3", Title: "stepped sigmoid sum converges to softplus with order 2 in h", Reference: nairHinton, Run: runN3},
	{ID: "N4", Title: "variance of the active count approximates σ(x)", Reference: nairHinton, Run: runN4},
	{ID: "N5", Title: "noisy relu law matches Monte Carlo within 4 standard errors", Reference: nairHinton, Run: runN5},
	{ID: "R1", Title: "sharpened softplus: sp_β − relu in (0, log 2/β], max at 0", Reference: "Glorot, Bordes & Bengio, AISTATS 2011 (softplus as smooth relu); derived", Run: runR1},
	{ID: "R2", Title: "two relus make a sigmoidal ramp; hardsigmoid and PL sigmoid bounds", Reference: "Cybenko 1989 (sigmoidal units); PyTorch hardsigmoid; derived", Run: runR2},
	{ID: "R3", Title: "relu from stepped sigmoid units: (1/β)·S(βx)", Reference: nairHinton + "; derived from N1, N2, R1", Run: runR3},
	{ID: "U1", Title: "a relu interpolant represents a piecewise-linear function exactly", Reference: "Arora, Basu, Mianjy & Mukherjee, ICLR 2018; derived", Run: runU1},
	{ID: "U2", Title: "interpolation bound h²/8·max|f″|; x² with n pieces has error 1/n²", Reference: "classical (de Boor, A Practical Guide to Splines)", Run: runU2},
	{ID: "U3", Title: "relu interpolation rates: −2 (C²), −1 (kink), −½ (√x uniform), −2 (√x graded)", Reference: "classical; DeVore & Lorentz, Constructive Approximation", Run: runU3},
	{ID: "U4", Title: "Nielsen's sigmoid bumps: error ≤ L(b−a)/(2N), order −1", Reference: "Nielsen, Neural Networks and Deep Learning, ch. 4", Run: runU4},
	{ID: "U5", Title: "learned networks improve ≥ 10x from width 4 to 128", Reference: "Cybenko 1989; Hornik 1991; Rahimi & Recht 2008 (random features)", Run: runU5},
	{ID: "U6", Title: "negative control: polynomial activations plateau, the others shrink", Reference: "Leshno, Lin, Pinkus & Schocken, Neural Networks 1993", Run: runU6},
	{ID: "D1", Title: "Telgarsky's sawtooth: depth k, width 2, exactly 2^k pieces", Reference: "Telgarsky, Benefits of depth in neural networks, COLT 2016", Run: runD1},
	{ID: "D2", Title: "one hidden layer of ≤ 2^k − 2 units misses the sawtooth by ≥ ½; 2^k − 1 units reach ⅙, 2^k are exact", Reference: "Telgarsky, COLT 2016; S5; derived (a crossing count)", Run: runD2},
	{ID: "D3", Title: "Yarotsky's x² network: interpolant at k/2^m, error 2^{−2m−2}", Reference: "Yarotsky, Error bounds for approximations with deep ReLU networks, Neural Networks 2017", Run: runD3},
	{ID: "T1", Title: "a small gradient step lowers the loss", Reference: "first-order Taylor expansion", Run: runT1},
	{ID: "T2", Title: "trained error falls with width (relu, tanh, sigmoid)", Reference: "CLAIMS.md T2 (see U5); Cybenko 1989; Hornik 1991", Run: runT2},
	{ID: "T3", Title: "a relu unit recovers a relu teacher; a sigmoid unit a logistic teacher's direction", Reference: "rectified and logistic regression", Run: runT3},
	{ID: "F1", Title: "XOR and parity: logistic regression stays at chance, a relu layer separates them", Reference: "Minsky & Papert 1969; Rumelhart, Hinton & Williams 1986", Run: runF1},
	{ID: "F2", Title: "a trained relu layer finds planted directions and makes the task linear", Reference: "Rumelhart, Hinton & Williams 1986; derived", Run: runF2},
	{ID: "F3", Title: "relu ramps are bounded sigmoidal units: Cybenko's construction keeps its rate", Reference: "Cybenko 1989; Leshno, Lin, Pinkus & Schocken 1993; Nielsen ch. 4", Run: runF3},
}

// All returns every claim of the catalogue in order: G1 … G7, I1 … I5,
// S1 … S5, N1 … N5, R1 … R3, U1 … U6, D1 … D3, T1 … T3. The slice is a
// copy; changing it changes nothing here.
func All() []Claim { return append([]Claim(nil), catalogue...) }

// Lookup returns the claim with the given ID, and false if there is none.
func Lookup(id string) (Claim, bool) {
	for _, c := range catalogue {
		if c.ID == id {
			return c, true
		}
	}
	return Claim{}, false
}

// RunTimed runs the claim with cfg, fills in ID, Title, Reference and
// Seconds, and turns a panic inside the check into a failed Result, so that
// one broken check cannot take the whole report down. Different claims may
// run at once on different goroutines: a check shares no state with any
// other, and every network it builds is its own.
func (c Claim) RunTimed(cfg Config) (r Result) {
	start := time.Now()
	defer func() {
		if p := recover(); p != nil {
			r = Result{Pass: false, Detail: fmt.Sprintf("check panicked: %v", p)}
		}
		r.ID, r.Title, r.Reference = c.ID, c.Title, c.Reference
		r.Seconds = time.Since(start).Seconds()
	}()
	return c.Run(cfg)
}

// claimRNG returns the PCG stream of cfg's seed for one claim: each claim
// draws from its own stream, named by its ID, so that the same Config gives
// the same cases and no claim's cases depend on another's.
func claimRNG(cfg Config, id string) *rand.Rand {
	return rand.New(rand.NewPCG(cfg.Seed, gen.Tag(id)))
}

// caseSeeds returns n case seeds for the claim id from cfg's seed; a
// generator's Seeded(seed) turns each into one case.
func caseSeeds(cfg Config, id string, n int) []uint64 {
	rng := claimRNG(cfg, id)
	s := make([]uint64, n)
	for i := range s {
		s[i] = rng.Uint64()
	}
	return s
}

// caseCount returns cfg.Cases, or def (quick when cfg.Quick) when it is 0.
func caseCount(cfg Config, def, quick int) int {
	switch {
	case cfg.Cases > 0:
		return cfg.Cases
	case cfg.Quick:
		return quick
	}
	return def
}

// tellProgress tells cfg.Progress, if set, that done of total cases are done.
func tellProgress(cfg Config, done, total int) {
	if cfg.Progress != nil {
		cfg.Progress(done, total)
	}
}

// ErrCase reports a claim's check called on a case it does not apply to
// (S1 on a network with biases, S4 on a smooth network): a fault of the
// caller, not a failure of the claim.
var ErrCase = errors.New("claims: invalid case")

func caseErrorf(format string, args ...any) error {
	return fmt.Errorf("claims: "+format+": %w", append(args, ErrCase)...)
}

// firstError keeps the first of the errors a check meets: the one its
// Result reports.
type firstError struct{ err error }

// keep records err if it is the first non-nil error.
func (f *firstError) keep(err error) {
	if f.err == nil {
		f.err = err
	}
}

// suffix returns sep and the first error's message, or "" if there was none.
func (f *firstError) suffix(sep string) string {
	if f.err == nil {
		return ""
	}
	return sep + f.err.Error()
}
