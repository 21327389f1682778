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
// The next layer's coefficients on a part are sums over the units j of
// w_ij·(φ′_j·α_j) and w_ij·(φ′_j·β_j + c_j), c_j = φ_j − φ′_j·z_j the
// intercept of the unit's piece (taken first, so that φ′·β does not cancel
// against φ(z) on wide segments), and Σ_j |w_ij|·|φ′_j|·S_j; each sum is
// taken pairwise, in one fixed binary tree over the units (leaves padded
// with −0, the root plus +0, then plus the bias; the root of |terms|, with
// a leaf ≥ +0, is never −0 and needs no +0). The sums on a part are
// therefore a function of that part's terms alone: a sweep from left to
// right that re-reads only the units whose piece changes and updates the
// ⌈log₂ w⌉ sums above each gives bit for bit what summing all w terms
// afresh on every part would. A slope so summed takes at most ⌈log₂ w⌉ + 2
// roundings per layer (φ′·α, the product with the weight, the tree), no
// more than the w + 1 that n counts for a sum taken left to right, so the
// merge rule holds as stated (with room to spare on wide layers); where
// every product and sum is exact (dyadic weights of few bits) the pieces
// are exact. For w ≤ 3 the tree adds left to right.
//
// A unit is re-read only at the parts where its computed pre-activation
// fl(fl(α·m) + β) (or the fused fl(α·m + β)) at the midpoint m reaches or
// passes a kink: the computed value is monotone in m, and the midpoints do
// not decrease from part to part, so
// between those parts it stays inside one open piece of φ, where φ′ and
// c = φ − φ′·z are those read before (c is exactly 0 for relu, leaky relu
// and identity; for another piecewise-linear activation it is read at the
// first midpoint of each run of parts). Binary search over the midpoints
// finds those parts.
//
// The interval may be as wide as [−MaxFloat64, MaxFloat64]: midpoints are
// taken as a/2 + b/2 where b − a overflows, and a unit's affine piece is read
// at a point of the same piece when its pre-activation at the midpoint
// overflows, so the pieces are exact wherever their slopes and intercepts
// are representable.
//
// Cost. A layer of width w with K kinks per unit, feeding a layer of width
// w′, on a segment where it adds r breakpoints, costs O(r log r) to sort
// them, O(w·K·log r) to find the parts where units change piece (e ≤ 2wK of
// them, e ≈ r), O(w·w′) to sum the first part and O((r + e·log w)·w′) to
// sweep the others, whatever the order of the kinks: one layer of width w
// (w′ = 1, r = w) is O(w log w), where evaluating every unit on every part
// was Θ(w²). A layer of width w ≤ 4, or one that cuts a segment into at
// most 4 parts, is instead read whole on every part, which costs less
// there and gives the same bits. The trees of
// as many of the next layer's units as fit in 16 MB (6·2^⌈log₂ w⌉ floats
// each, at least one unit) are held at once.
//
// It returns an error wrapping ErrDomain unless a and b are finite with
// a < b, if more than MaxSegments segments arise, or if a slope or
// intercept overflows float64 (a network whose pieces are not
// representable; an overflowing coefficient of a hidden layer makes every
// later one NaN or infinite, so it is reported at that layer), and
// ErrNetwork for a nil network, one without exactly one input and one
// output, or one with an activation that is not piecewise linear.
// PieceList only reads the network.
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
	var sw sweep
	for l := 0; l < L; l++ {
		out := sizes[l+1]
		sw.act, sw.kinks = net.Activation(l), net.Activation(l).Kinks()
		// far is a pre-activation beyond every kink by 1, at which a unit
		// whose pre-activation overflows reads its outermost affine piece.
		sw.far = 1.0
		for _, k := range sw.kinks {
			sw.far = math.Max(sw.far, math.Abs(k)+1)
		}
		for s := 0; s+1 < len(breaks); s++ {
			for j := s * out; j < (s+1)*out; j++ {
				if math.IsNaN(za[j]) || math.IsInf(za[j], 0) || math.IsNaN(zb[j]) || math.IsInf(zb[j], 0) {
					return nil, errorf(ErrDomain, "on [%v, %v] unit %d of layer %d has slope %v and intercept %v, so the outputs overflow", breaks[s], breaks[s+1], j-s*out+1, l+1, za[j], zb[j])
				}
			}
		}
		last := l == L-1
		next := 1
		if !last {
			next = sizes[l+2]
			ops += out + 1
		}
		nBreaks := make([]float64, 0, len(breaks))
		var nA, nB, nAbs []float64
		for s := 0; s+1 < len(breaks); s++ {
			lo, hi := breaks[s], breaks[s+1]
			pa, pb, pabs := za[s*out:(s+1)*out], zb[s*out:(s+1)*out], zabs[s*out:(s+1)*out]
			sw.split(lo, hi, pa, pb)
			if len(nBreaks)+len(sw.mids) > MaxSegments {
				return nil, errorf(ErrDomain, "more than %d segments after layer %d", MaxSegments, l+1)
			}
			nBreaks = append(nBreaks, lo)
			nBreaks = append(nBreaks, sw.roots...)
			if last { // one unit, the output: read it on every part
				for q := range sw.mids {
					u := sw.unitAt(pa[0], pb[0], pabs[0], q)
					nA, nB, nAbs = append(nA, u.a), append(nB, u.b), append(nAbs, u.abs)
				}
				continue
			}
			sweep := out > narrow && len(sw.mids) > fewParts
			if sweep {
				sw.changes(pa, pb, pabs)
			}
			base := len(nA)
			n := len(sw.mids) * next
			nA, nB, nAbs = slices.Grow(nA, n)[:base+n], slices.Grow(nB, n)[:base+n], slices.Grow(nAbs, n)[:base+n]
			sw.sum(ws[l+1], bs[l+1], out, next, nA[base:], nB[base:], nAbs[base:], sweep, pa, pb, pabs)
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

// unitPiece is a unit's output on one part as an affine function a·x + b of
// the input, with abs the sum of |terms| of a.
type unitPiece struct{ a, b, abs float64 }

// change is a unit j that enters a new piece of its activation at part q,
// and its output there.
type change struct {
	q, j int
	u    unitPiece
}

// narrow is the widest layer whose units are all read on every part, and
// summed on the stack, rather than swept; fewParts the most parts of a
// segment on which a wider layer's units are all read, and its trees built
// afresh, rather than swept. Either costs less there, and the sums are the
// same.
const (
	narrow   = 4
	fewParts = 4
)

// negZero pads the sum trees: x + (−0) = x for every x, −0 included.
var negZero = math.Copysign(0, -1)

// treeBudget bounds the floats of the sum trees held at once (16 MB).
const treeBudget = 1 << 21

// sweep is the scratch of one layer's pass over one segment, reused from
// segment to segment.
type sweep struct {
	act   nn.Activation
	kinks []float64
	far   float64

	roots []float64 // the segment's new breakpoints, sorted, distinct
	mids  []float64 // the midpoint of each of the len(roots)+1 parts
	// side is, for each part, 0 when its midpoint lies strictly inside
	// it, +1 when the part is one float wide and its midpoint rounded to
	// its left end (the part's inside is to the right of it), −1 when it
	// rounded to its right end.
	side  []int8
	first []unitPiece // each unit's output on part 0
	chg   []change    // the units' changes, in order of part after sort
	tmp   []change
	at    []int     // chg[at[q]:at[q+1]] change at part q
	tree  []float64 // per unit of a block of the next layer, three sums
}

// preact is a unit's pre-activation pa·m + pb at m, or ±far where it
// overflows.
func (sw *sweep) preact(pa, pb, m float64) float64 {
	z := pa*m + pb
	if math.IsInf(z, 0) {
		z = math.Copysign(sw.far, z)
	}
	return z
}

// unitAt reads the affine piece of a unit with pre-activation pa·x + pb
// (|terms| summing to pabs) on part q, at its midpoint. A part one float
// wide, [r, r⁺], has no float inside, and its midpoint is one of its ends;
// a unit whose pre-activation is exactly at a kink there (it crosses the
// kink at that end) is read on the piece the pre-activation enters inside
// the part, the side of the kink its direction of travel gives, and not at
// the kink, where φ′'s convention would name the piece on the wrong side
// for half of such units.
func (sw *sweep) unitAt(pa, pb, pabs float64, q int) unitPiece {
	z := sw.preact(pa, pb, sw.mids[q])
	d := sw.act.Deriv(z)
	if side := sw.side[q]; side != 0 && pa != 0 && slices.Contains(sw.kinks, z) {
		inside := math.Inf(-1)
		if math.Signbit(pa) == math.Signbit(float64(side)) {
			inside = math.Inf(1)
		}
		d = sw.act.Deriv(math.Nextafter(z, inside))
	}
	// c = φ(z) − φ′(z)·z is the intercept of φ's piece at z: taking it
	// first keeps d·pb from cancelling against φ(z) on wide segments.
	c := sw.act.Eval(z) - d*z
	return unitPiece{d * pa, d*pb + c, math.Abs(d) * pabs}
}

// split sets roots to the sorted distinct points of (lo, hi) where some
// unit's pre-activation crosses a kink, and mids to the midpoints of the
// parts they cut [lo, hi] into.
func (sw *sweep) split(lo, hi float64, pa, pb []float64) {
	sw.roots = sw.roots[:0]
	for j := range pa {
		if pa[j] == 0 {
			continue
		}
		for _, k := range sw.kinks {
			if t := (k - pb[j]) / pa[j]; lo < t && t < hi {
				sw.roots = append(sw.roots, t+0) // −0 + 0 = +0: one zero
			}
		}
	}
	slices.Sort(sw.roots)
	sw.roots = slices.Compact(sw.roots)
	sw.mids = sw.mids[:0]
	sw.side = sw.side[:0]
	left := lo
	for q := 0; q <= len(sw.roots); q++ {
		right := hi
		if q < len(sw.roots) {
			right = sw.roots[q]
		}
		mid := left + (right-left)/2
		if math.IsInf(right-left, 0) {
			mid = left/2 + right/2
		}
		sw.mids = append(sw.mids, mid)
		var side int8
		switch mid {
		case left:
			side = 1
		case right:
			side = -1
		}
		sw.side = append(sw.side, side)
		left = right
	}
}

// reach returns the first part q ≥ from at whose midpoint the unit's
// pre-activation has reached k in its direction of travel (z ≥ k for
// pa > 0, z ≤ k for pa < 0; passed it, z > k or z < k, if strict), or
// len(mids). The computed pre-activation is monotone in the midpoint, so
// binary search finds it.
func (sw *sweep) reach(pa, pb, k float64, from int, strict bool) int {
	lo, hi := from, len(sw.mids)
	for lo < hi {
		q := int(uint(lo+hi) >> 1)
		z, kk := sw.preact(pa, pb, sw.mids[q]), k
		if math.Signbit(pa) { // pa ≠ 0: changes skips flat units
			z, kk = -z, -k
		}
		if z > kk || (!strict && z == kk) {
			hi = q
		} else {
			lo = q + 1
		}
	}
	return lo
}

// changes reads every unit on part 0 into first and finds the parts where
// each enters another piece of its activation (or a kink itself), reading
// it there, into chg grouped by part (at).
func (sw *sweep) changes(pa, pb, pabs []float64) {
	sw.first = sw.first[:0]
	sw.tmp = sw.tmp[:0]
	nk := len(sw.kinks)
	for j := range pa {
		sw.first = append(sw.first, sw.unitAt(pa[j], pb[j], pabs[j], 0))
		if pa[j] == 0 || len(sw.mids) == 1 {
			continue // the pre-activation pb (+ ±0) is the same on every part
		}
		from := 0
		for i := 0; i < nk; i++ {
			k := sw.kinks[i]
			if math.Signbit(pa[j]) { // pa[j] ≠ 0 here
				k = sw.kinks[nk-1-i]
			}
			q := sw.reach(pa[j], pb[j], k, from, false)
			if q < len(sw.mids) && sw.preact(pa[j], pb[j], sw.mids[q]) == k {
				sw.note(j, q, pa, pb, pabs)
				q = sw.reach(pa[j], pb[j], k, q, true)
			}
			sw.note(j, q, pa, pb, pabs)
			from = q
		}
	}
	// Group by part, keeping the order of units within a part.
	sw.at = slices.Grow(sw.at[:0], len(sw.mids)+1)[:len(sw.mids)+1]
	clear(sw.at)
	for _, c := range sw.tmp {
		sw.at[c.q+1]++
	}
	for q := 1; q < len(sw.at); q++ {
		sw.at[q] += sw.at[q-1]
	}
	sw.chg = slices.Grow(sw.chg[:0], len(sw.tmp))[:len(sw.tmp)]
	for _, c := range sw.tmp {
		sw.chg[sw.at[c.q]] = c
		sw.at[c.q]++
	}
	for q := len(sw.at) - 1; q > 0; q-- { // at[q] now ends part q: shift back
		sw.at[q] = sw.at[q-1]
	}
	sw.at[0] = 0
}

// note records unit j's change at part q, unless q is part 0 (read into
// first), past the last part, or the part of the unit's last change.
func (sw *sweep) note(j, q int, pa, pb, pabs []float64) {
	if q == 0 || q >= len(sw.mids) {
		return
	}
	if n := len(sw.tmp); n > 0 && sw.tmp[n-1].j == j && sw.tmp[n-1].q == q {
		return
	}
	sw.tmp = append(sw.tmp, change{q, j, sw.unitAt(pa[j], pb[j], pabs[j], q)})
}

// sum writes, for every part q and unit i of the next layer (weights w
// row-major next×out, biases bias), the sums Σ_j w_ij·a_j,
// Σ_j w_ij·b_j + bias_i and Σ_j |w_ij|·abs_j of the current layer's
// outputs to na[q·next+i], nb[q·next+i] and nabs[q·next+i]: pairwise in a
// binary tree over j (heap order: node 1 the root, the children of node n
// at 2n and 2n + 1, leaf j at P + j, padded with −0). With sweep, the
// trees are built on part 0 from first and updated along the path of each
// unit in chg; without, every unit is read on every part (pa, pb, pabs)
// and the trees built afresh, on the stack if out ≤ narrow.
func (sw *sweep) sum(w, bias []float64, out, next int, na, nb, nabs []float64, sweep bool, pa, pb, pabs []float64) {
	P := 1
	for P < out {
		P *= 2
	}
	block := max(1, min(next, treeBudget/(6*P)))
	if n := 6 * P * block; cap(sw.tree) < n {
		sw.tree = make([]float64, n)
	}
	if out <= narrow { // the same tree on the stack
		for q := range sw.mids {
			sw.first = sw.first[:0]
			for j := range pa {
				sw.first = append(sw.first, sw.unitAt(pa[j], pb[j], pabs[j], q))
			}
			for i := 0; i < next; i++ {
				var ta, tb, tabs [narrow]float64
				row := w[i*out : (i+1)*out]
				for j := 0; j < P; j++ {
					if j < out {
						u := sw.first[j]
						ta[j], tb[j], tabs[j] = row[j]*u.a, row[j]*u.b, math.Abs(row[j])*u.abs
					} else {
						ta[j], tb[j], tabs[j] = negZero, negZero, negZero
					}
				}
				for h := P / 2; h >= 1; h /= 2 {
					for k := 0; k < h; k++ {
						ta[k], tb[k], tabs[k] = ta[2*k]+ta[2*k+1], tb[2*k]+tb[2*k+1], tabs[2*k]+tabs[2*k+1]
					}
				}
				na[q*next+i], nb[q*next+i], nabs[q*next+i] = ta[0]+0, (tb[0]+0)+bias[i], tabs[0]
			}
		}
		return
	}
	for i0 := 0; i0 < next; i0 += block {
		i1 := min(next, i0+block)
		for q := range sw.mids {
			if q == 0 || !sweep {
				if !sweep {
					sw.first = sw.first[:0]
					for j := range pa {
						sw.first = append(sw.first, sw.unitAt(pa[j], pb[j], pabs[j], q))
					}
				}
				for i := i0; i < i1; i++ {
					sw.build(sw.tree[6*P*(i-i0):6*P*(i-i0+1)], w[i*out:(i+1)*out], P)
				}
			} else {
				for _, c := range sw.chg[sw.at[q]:sw.at[q+1]] {
					for i := i0; i < i1; i++ {
						t := sw.tree[6*P*(i-i0) : 6*P*(i-i0+1)]
						wij := w[i*out+c.j]
						n := P + c.j
						t[3*n], t[3*n+1], t[3*n+2] = wij*c.u.a, wij*c.u.b, math.Abs(wij)*c.u.abs
						for n >>= 1; n >= 1; n >>= 1 {
							k := 6 * n
							t[3*n], t[3*n+1], t[3*n+2] = t[k]+t[k+3], t[k+1]+t[k+4], t[k+2]+t[k+5]
						}
					}
				}
			}
			for i := i0; i < i1; i++ {
				t := sw.tree[6*P*(i-i0):]
				na[q*next+i], nb[q*next+i], nabs[q*next+i] = t[3]+0, (t[4]+0)+bias[i], t[5]
			}
		}
	}
}

// build fills the tree t (2P nodes of three sums) of one unit of the next
// layer, whose weights are row, from the current layer's outputs in first.
func (sw *sweep) build(t, row []float64, P int) {
	t = t[:6*P]
	row = row[:len(sw.first)]
	for j, u := range sw.first {
		w, leaf := row[j], t[3*(P+j):3*(P+j)+3]
		leaf[0], leaf[1], leaf[2] = w*u.a, w*u.b, math.Abs(w)*u.abs
	}
	for n := 3 * (P + len(row)); n < 6*P; n++ {
		t[n] = negZero
	}
	for n := P - 1; n >= 1; n-- {
		node, kids := t[3*n:3*n+3], t[6*n:6*n+6]
		node[0], node[1], node[2] = kids[0]+kids[3], kids[1]+kids[4], kids[2]+kids[5]
	}
}
