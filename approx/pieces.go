package approx

import (
	"math"

	"github.com/reluproof/reluproof/nn"
)

// Piece is one maximal affine piece of a one-input, one-output network: on
// [Lo, Hi] the network equals Slope·x + Intercept.
type Piece struct {
	Lo, Hi           float64
	Slope, Intercept float64
}

// Pieces returns the exact number of maximal affine pieces on [a, b] of a
// network with one input, one output and piecewise-linear activations
// (claims S5, D1, D2): the length of PieceList(net, a, b). It returns the
// errors of PieceList.
func Pieces(net *nn.Network, a, b float64) (int, error) {
	ps, err := PieceList(net, a, b)
	return len(ps), err
}

// PieceList returns the maximal affine pieces on [a, b] of a network with one
// input, one output and piecewise-linear activations, in increasing order
// (claim S5). It propagates breakpoints layer by layer: on each current
// segment every unit's pre-activation is an affine function αx + β of the
// input, whose coefficients are carried exactly through the weights (no
// division by segment lengths); a segment is split where some unit's
// pre-activation crosses one of its activation's kinks, and the unit's
// affine piece on each part is read from the activation at the part's
// midpoint. Adjacent segments whose output slopes agree merge into one
// piece: slopes are compared within the rounding bound γ_n·Σ|terms| of the
// products and sums that made them (n the number of operations along the
// chain), so mathematically equal slopes merge and different ones do not
// unless they differ by less than that bound.
//
// It returns an error wrapping ErrDomain unless a and b are finite with
// a < b, and ErrNetwork for a nil network, one without exactly one input
// and one output, or one with an activation that is not piecewise linear.
func PieceList(net *nn.Network, a, b float64) ([]Piece, error) {
	if net == nil {
		return nil, errorf(ErrNetwork, "nil network")
	}
	sizes := net.Sizes()
	if sizes[0] != 1 || sizes[len(sizes)-1] != 1 {
		return nil, errorf(ErrNetwork, "network has sizes %v, need one input and one output", sizes)
	}
	for l := 0; l < net.NumLayers(); l++ {
		if act := net.Activation(l); !act.PiecewiseLinear() {
			return nil, errorf(ErrNetwork, "layer %d activation %s is not piecewise linear", l+1, act.Name())
		}
	}
	if err := checkInterval(a, b); err != nil {
		return nil, err
	}
	breaks := []float64{a, b}
	// Per segment s and unit j of the current layer: value α x + β, and
	// ᾱ = Σ|terms| of α for the rounding bound.
	alpha, beta, abs := []float64{1}, []float64{0}, []float64{1}
	ops := 0
	for l := 0; l < net.NumLayers(); l++ {
		w, bias := net.Layer(l)
		out, in := w.Dims()
		ops += in + 1
		act := net.Activation(l)
		kinks := act.Kinks()
		za, zb, zabs := make([]float64, out), make([]float64, out), make([]float64, out)
		nBreaks := make([]float64, 0, len(breaks))
		var nAlpha, nBeta, nAbs []float64
		roots := make([]float64, 0, out*len(kinks))
		for s := 0; s+1 < len(breaks); s++ {
			lo, hi := breaks[s], breaks[s+1]
			pa, pb, pabs := alpha[s*in:(s+1)*in], beta[s*in:(s+1)*in], abs[s*in:(s+1)*in]
			for j := 0; j < out; j++ {
				row := w.RawRowView(j)
				var sa, sb, sabs float64
				for i, wji := range row {
					sa += wji * pa[i]
					sb += wji * pb[i]
					sabs += math.Abs(wji) * pabs[i]
				}
				za[j], zb[j], zabs[j] = sa, sb+bias[j], sabs
			}
			roots = roots[:0]
			for j := 0; j < out; j++ {
				if za[j] == 0 {
					continue
				}
				for _, k := range kinks {
					if t := (k - zb[j]) / za[j]; lo < t && t < hi {
						roots = insertSorted(roots, t)
					}
				}
			}
			left := lo
			for q := 0; q <= len(roots); q++ {
				right := hi
				if q < len(roots) {
					right = roots[q]
				}
				nBreaks = append(nBreaks, left)
				mid := left + (right-left)/2
				for j := 0; j < out; j++ {
					z := za[j]*mid + zb[j]
					d := act.Deriv(z)
					e := act.Eval(z) - d*z
					nAlpha = append(nAlpha, d*za[j])
					nBeta = append(nBeta, d*zb[j]+e)
					nAbs = append(nAbs, math.Abs(d)*zabs[j])
				}
				left = right
			}
		}
		breaks = append(nBreaks, b)
		alpha, beta, abs = nAlpha, nBeta, nAbs
	}
	gamma := 2 * float64(ops) * 0x1p-52
	var pieces []Piece
	for s := 0; s+1 < len(breaks); s++ {
		if n := len(pieces); n > 0 {
			last := &pieces[n-1]
			if math.Abs(alpha[s]-last.Slope) <= gamma*math.Max(abs[s], abs[s-1]) {
				last.Hi = breaks[s+1]
				continue
			}
		}
		pieces = append(pieces, Piece{Lo: breaks[s], Hi: breaks[s+1], Slope: alpha[s], Intercept: beta[s]})
	}
	return pieces, nil
}

// insertSorted inserts t into the increasing slice r unless it is already
// there.
func insertSorted(r []float64, t float64) []float64 {
	i := len(r)
	for i > 0 && r[i-1] > t {
		i--
	}
	if i > 0 && r[i-1] == t {
		return r
	}
	r = append(r, 0)
	copy(r[i+1:], r[i:])
	r[i] = t
	return r
}
