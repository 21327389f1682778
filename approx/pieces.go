package approx

import (
	"math"
	"slices"

	"github.com/reluproof/reluproof/nn"
)

// Piece is one maximal affine piece of a one-input, one-output network: on
// [Lo, Hi] the network equals Slope·x + Intercept.
type Piece struct {
	Lo, Hi           float64
	Slope, Intercept float64
}

// MaxSegments bounds the number of segments PieceList will hold at once
// (2^21, about 2 million): Telgarsky's sawtooth doubles its pieces with every
// layer, so a deep network can have more pieces than memory.
const MaxSegments = 1 << 21

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
// products and sums that made them, so mathematically equal slopes merge and
// different ones do not unless they differ by less than that bound. Exactly:
// adjacent slopes α and α′ merge when |α − α′| ≤ 2nε·max(S, S′), with
// ε = 2⁻⁵², n = 2 + Σ (w + 1) over the widths w of the hidden layers (the
// operations along the chain), and S, S′ the sums of |terms| of α and α′
// (Σ_j |w_j|·|φ′_j|·S_j through the layers, |w| for the first).
//
// The interval may be as wide as [−MaxFloat64, MaxFloat64]: midpoints are
// taken as a/2 + b/2 where b − a overflows, and a unit's affine piece is read
// at a point of the same piece when its pre-activation at the midpoint
// overflows, so the pieces are exact wherever their slopes and intercepts
// are representable. A layer of width w feeding one of width w′ on s
// segments costs O(s·w·w′) to evaluate every unit on every segment, plus
// O(s·r log r) to sort each segment's r new breakpoints, whatever the order
// of the kinks; one wide layer is therefore Θ(w²): it has w + 1 segments.
//
// It returns an error wrapping ErrDomain unless a and b are finite with
// a < b, if more than MaxSegments segments arise, or if a slope or
// intercept overflows float64 (a network whose pieces are not
// representable), and ErrNetwork for a nil network, one without exactly one
// input and one output, or one with an activation that is not piecewise
// linear. PieceList only reads the network.
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
	L := net.NumLayers()
	ws := make([][]float64, L) // row-major out×in
	bs := make([][]float64, L)
	for l := 0; l < L; l++ {
		w, b := net.Layer(l)
		ws[l], bs[l] = w.RawMatrix().Data, b
	}
	// Per segment, the pre-activations of the current layer as affine
	// functions za·x + zb of the input, with zabs = Σ|terms| of za for the
	// rounding bound. Only one layer is held at a time, so memory is
	// O(segments × width).
	breaks := []float64{a, b}
	za := append([]float64(nil), ws[0]...) // input width 1: W_0 is a column
	zb := append([]float64(nil), bs[0]...)
	zabs := make([]float64, len(za))
	for j, v := range za {
		zabs[j] = math.Abs(v)
	}
	ops := 2
	for l := 0; l < L; l++ {
		out := sizes[l+1]
		act := net.Activation(l)
		kinks := act.Kinks()
		// far is a pre-activation beyond every kink by 1, at which a unit
		// whose pre-activation overflows reads its outermost affine piece.
		far := 1.0
		for _, k := range kinks {
			far = math.Max(far, math.Abs(k)+1)
		}
		last := l == L-1
		next := 1
		if !last {
			next = sizes[l+2]
			ops += out + 1
		}
		nBreaks := make([]float64, 0, len(breaks))
		var nA, nB, nAbs []float64
		aa, ab, aabs := make([]float64, out), make([]float64, out), make([]float64, out)
		roots := make([]float64, 0, out*len(kinks))
		for s := 0; s+1 < len(breaks); s++ {
			lo, hi := breaks[s], breaks[s+1]
			pa, pb, pabs := za[s*out:(s+1)*out], zb[s*out:(s+1)*out], zabs[s*out:(s+1)*out]
			roots = roots[:0]
			for j := 0; j < out; j++ {
				if pa[j] == 0 {
					continue
				}
				for _, k := range kinks {
					if t := (k - pb[j]) / pa[j]; lo < t && t < hi {
						roots = append(roots, t+0) // −0 + 0 = +0: one zero
					}
				}
			}
			// Sorting once is O(r log r) for r roots, where inserting each
			// in order was O(r²) when the kinks came in decreasing order.
			slices.Sort(roots)
			roots = slices.Compact(roots)
			left := lo
			for q := 0; q <= len(roots); q++ {
				right := hi
				if q < len(roots) {
					right = roots[q]
				}
				if len(nBreaks) == MaxSegments {
					return nil, errorf(ErrDomain, "more than %d segments after layer %d", MaxSegments, l+1)
				}
				nBreaks = append(nBreaks, left)
				mid := left + (right-left)/2
				if math.IsInf(right-left, 0) {
					mid = left/2 + right/2
				}
				for j := 0; j < out; j++ {
					z := pa[j]*mid + pb[j]
					if math.IsInf(z, 0) {
						z = math.Copysign(far, z)
					}
					d := act.Deriv(z)
					// c = φ(z) − φ′(z)·z is the intercept of φ's piece at z: taking it
					// first keeps d·pb from cancelling against φ(z) on wide segments.
					c := act.Eval(z) - d*z
					aa[j], ab[j], aabs[j] = d*pa[j], d*pb[j]+c, math.Abs(d)*pabs[j]
				}
				if last {
					nA, nB, nAbs = append(nA, aa[0]), append(nB, ab[0]), append(nAbs, aabs[0])
				} else {
					w, bias := ws[l+1], bs[l+1]
					for i := 0; i < next; i++ {
						row := w[i*out : (i+1)*out]
						var sa, sb, sabs float64
						for j, wij := range row {
							sa += wij * aa[j]
							sb += wij * ab[j]
							sabs += math.Abs(wij) * aabs[j]
						}
						nA, nB, nAbs = append(nA, sa), append(nB, sb+bias[i]), append(nAbs, sabs)
					}
				}
				left = right
			}
		}
		breaks = append(nBreaks, b)
		za, zb, zabs = nA, nB, nAbs
	}
	alpha, beta, abs := za, zb, zabs
	for s := range alpha {
		if math.IsNaN(alpha[s]) || math.IsInf(alpha[s], 0) || math.IsNaN(beta[s]) || math.IsInf(beta[s], 0) {
			return nil, errorf(ErrDomain, "on [%v, %v] the slope %v or intercept %v overflows", breaks[s], breaks[s+1], alpha[s], beta[s])
		}
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
