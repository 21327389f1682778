package gemm

import (
	"math"
	"sync"

	"gonum.org/v1/gonum/blas/blas64"
)

// workspace holds one goroutine's packed panels.
type workspace struct {
	a, b []float64 // packed block of op(A) (mc×kc), panel of op(B) (kc×nc)
	tile []float64 // one mr×nr edge tile
}

// workspaces is a free list of workspaces for one kernel. Unlike a
// sync.Pool it never drops one (a garbage collection, or the race
// detector, would make a steady-state call allocate again), so it keeps as
// many as there were concurrent calls, about 2.2 MB each.
type workspaces struct {
	mu   sync.Mutex
	free []*workspace
}

// get returns a free workspace for kern, or a new one.
func (w *workspaces) get(kern *kernel) *workspace {
	w.mu.Lock()
	if n := len(w.free); n > 0 {
		ws := w.free[n-1]
		w.free = w.free[:n-1]
		w.mu.Unlock()
		return ws
	}
	w.mu.Unlock()
	nc := (kern.nc + kern.nr - 1) / kern.nr * kern.nr
	return &workspace{
		a:    make([]float64, kern.mc*kern.kc),
		b:    make([]float64, kern.kc*nc),
		tile: make([]float64, kern.mr*kern.nr),
	}
}

// put returns ws to the free list.
func (w *workspaces) put(ws *workspace) {
	w.mu.Lock()
	w.free = append(w.free, ws)
	w.mu.Unlock()
}

// blocked computes C = alpha·op(A)·op(B) + beta·C, m, n, k ≥ 1, alpha ≠ 0,
// GotoBLAS-style: for each panel of nc columns and kc rows of op(B),
// packed once, each block of mc rows and kc columns of op(A) is packed and
// multiplied into C one mr×nr tile at a time by the micro-kernel, the
// columns of B's panel in the outer loop so that one micro-panel of B
// stays in L1 while the micro-panels of A's block stream past from L2.
// The first kc-block of the inner dimension applies beta, the later ones
// add to C.
func blocked(kern *kernel, transA, transB bool, m, n, k int, alpha float64, a, b blas64.General, beta float64, c blas64.General) {
	ws := kern.workspaces.get(kern)
	defer kern.workspaces.put(ws)
	mr, nr := kern.mr, kern.nr
	for jc := 0; jc < n; jc += kern.nc {
		nj := min(kern.nc, n-jc)
		for pc := 0; pc < k; pc += kern.kc {
			pk := min(kern.kc, k-pc)
			bt := beta
			if pc > 0 {
				bt = 1
			}
			packB(ws.b, transB, b, pc, pk, jc, nj, nr)
			for ic := 0; ic < m; ic += kern.mc {
				mi := min(kern.mc, m-ic)
				packA(ws.a, transA, a, ic, mi, pc, pk, mr)
				for jr := 0; jr < nj; jr += nr {
					w := min(nr, nj-jr)
					pb := &ws.b[jr*pk]
					for ir := 0; ir < mi; ir += mr {
						h := min(mr, mi-ir)
						pa := &ws.a[ir*pk]
						ci := (ic+ir)*c.Stride + jc + jr
						if h == mr && w == nr {
							kern.fn(pk, pa, pb, &c.Data[ci], c.Stride, alpha, bt)
							continue
						}
						kern.fn(pk, pa, pb, &ws.tile[0], nr, alpha, 0)
						mergeTile(c.Data[ci:], c.Stride, ws.tile, nr, h, w, bt)
					}
				}
			}
		}
	}
}

// mergeTile sets the h×w corner of C (row stride ldc) to beta·C + T, or to
// T when beta is 0, T an edge tile of row stride nr that already holds
// alpha·A·B; the fused multiply–add rounds as the kernels' store does.
func mergeTile(c []float64, ldc int, t []float64, nr, h, w int, beta float64) {
	for i := 0; i < h; i++ {
		cr := c[i*ldc : i*ldc+w]
		tr := t[i*nr : i*nr+w]
		if beta == 0 {
			copy(cr, tr)
			continue
		}
		for j, v := range tr {
			cr[j] = math.FMA(beta, cr[j], v)
		}
	}
}

// packA packs rows ic…ic+mi−1 and columns pc…pc+pk−1 of op(A) into dst as
// ⌈mi/mr⌉ micro-panels of pk×mr elements (dst[p·mr+i] within a panel),
// the rows past mi zero.
func packA(dst []float64, transA bool, a blas64.General, ic, mi, pc, pk, mr int) {
	for ir := 0; ir < mi; ir += mr {
		h := min(mr, mi-ir)
		d := dst[ir*pk : ir*pk+pk*mr]
		if transA {
			// op(A)ᵢₚ = A[p][i]: rows of A are contiguous runs of i.
			for p := 0; p < pk; p++ {
				src := a.Data[(pc+p)*a.Stride+ic+ir:]
				dp := d[p*mr : p*mr+mr]
				copy(dp, src[:h])
				clear(dp[h:])
			}
			continue
		}
		base := (ic+ir)*a.Stride + pc
		switch {
		case h == 8 && mr == 8:
			interleave8(d, 8, a.Data, base, a.Stride, pk)
			continue
		case h == 6 && mr == 6:
			pack6(d, a.Data, base, a.Stride, pk)
			continue
		}
		for i := 0; i < h; i++ {
			src := a.Data[base+i*a.Stride:]
			src = src[:pk]
			for p, v := range src {
				d[p*mr+i] = v
			}
		}
		for i := h; i < mr; i++ {
			for p := 0; p < pk; p++ {
				d[p*mr+i] = 0
			}
		}
	}
}

// packB packs rows pc…pc+pk−1 and columns jc…jc+nj−1 of op(B) into dst as
// ⌈nj/nr⌉ micro-panels of pk×nr elements (dst[p·nr+j] within a panel),
// the columns past nj zero.
func packB(dst []float64, transB bool, b blas64.General, pc, pk, jc, nj, nr int) {
	for jr := 0; jr < nj; jr += nr {
		w := min(nr, nj-jr)
		d := dst[jr*pk : jr*pk+pk*nr]
		if !transB {
			for p := 0; p < pk; p++ {
				src := b.Data[(pc+p)*b.Stride+jc+jr:]
				dp := d[p*nr : p*nr+nr]
				copy(dp, src[:w])
				clear(dp[w:])
			}
			continue
		}
		// op(B)ₚⱼ = B[j][p]: rows of B are contiguous runs of p.
		base := (jc+jr)*b.Stride + pc
		if w == nr && nr%8 == 0 {
			for j := 0; j < nr; j += 8 {
				interleave8(d[j:], nr, b.Data, base+j*b.Stride, b.Stride, pk)
			}
			continue
		}
		for j := 0; j < w; j++ {
			src := b.Data[(jc+jr+j)*b.Stride+pc:]
			src = src[:pk]
			for p, v := range src {
				d[p*nr+j] = v
			}
		}
		for j := w; j < nr; j++ {
			for p := 0; p < pk; p++ {
				d[p*nr+j] = 0
			}
		}
	}
}

// interleave8 interleaves the first pk elements of 8 rows of src (row
// stride ld, the first at base) into dst: dst[p·stride+i] = row i's
// element p, for i < 8 ≤ stride.
func interleave8(dst []float64, stride int, src []float64, base, ld, pk int) {
	r0 := src[base : base+pk]
	r1 := src[base+ld : base+ld+pk]
	r2 := src[base+2*ld : base+2*ld+pk]
	r3 := src[base+3*ld : base+3*ld+pk]
	r4 := src[base+4*ld : base+4*ld+pk]
	r5 := src[base+5*ld : base+5*ld+pk]
	r6 := src[base+6*ld : base+6*ld+pk]
	r7 := src[base+7*ld : base+7*ld+pk]
	for p := range r0 {
		d := dst[stride*p : stride*p+8 : stride*p+8]
		d[0], d[1], d[2], d[3] = r0[p], r1[p], r2[p], r3[p]
		d[4], d[5], d[6], d[7] = r4[p], r5[p], r6[p], r7[p]
	}
}

// pack6 is interleave8 for 6 rows and stride 6.
func pack6(dst, src []float64, base, ld, pk int) {
	r0 := src[base : base+pk]
	r1 := src[base+ld : base+ld+pk]
	r2 := src[base+2*ld : base+2*ld+pk]
	r3 := src[base+3*ld : base+3*ld+pk]
	r4 := src[base+4*ld : base+4*ld+pk]
	r5 := src[base+5*ld : base+5*ld+pk]
	dst = dst[:6*pk]
	for p := range r0 {
		d := dst[6*p : 6*p+6 : 6*p+6]
		d[0], d[1], d[2] = r0[p], r1[p], r2[p]
		d[3], d[4], d[5] = r3[p], r4[p], r5[p]
	}
}
