// Command _asm generates the micro-kernels of package gemm with avo:
//
//	cd internal/gemm/_asm && go run . -out ../kernel_amd64.s -stubs ../kernel_amd64_stub.go -pkg gemm
//
// (go generate ./internal/gemm runs the same). It is a module of its own so
// that the main module does not require avo.
package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

func main() {
	ConstraintExpr("!purego")
	// AVX-512F: 8 rows × 16 columns, 16 zmm accumulators, two zmm of B
	// and eight broadcast registers of A (of 32).
	microKernel("kernelAVX512", 8, 2, true)
	// AVX2+FMA: 6 rows × 8 columns, 12 ymm accumulators, two ymm of B and
	// two broadcast registers of A (of 16).
	microKernel("kernelAVX2", 6, 2, false)
	Generate()
}

// unroll is how many steps of the inner dimension one loop iteration takes.
const unroll = 4

// microKernel emits
//
//	func name(k int, a, b, c *float64, ldc int, alpha, beta float64)
//
// which computes the mr×nr tile C = alpha·A·B + beta·C (C = alpha·A·B when
// beta is ±0, without reading C) from a packed mr×k micro-panel of A
// (a[p·mr+i]) and a packed k×nr micro-panel of B (b[p·nr+j]), nr = vecs
// vector registers of 8 (zmm) or 4 (ymm) float64s; C is row-major with
// row stride ldc elements. k ≥ 1. Each element of A·B is summed in the
// order p = 0, 1, …, k−1 with one fused multiply–add per step.
func microKernel(name string, mr, vecs int, zmm bool) {
	lanes := 4
	vec := func(i int) reg.VecPhysical { return ymm[i] }
	if zmm {
		lanes = 8
		vec = func(i int) reg.VecPhysical { return zmmr[i] }
	}
	nr := vecs * lanes
	nacc := mr * vecs
	nbc := 16 - nacc - vecs // broadcast registers
	if zmm {
		nbc = min(32-nacc-vecs, mr)
	}
	if nbc < 1 {
		panic("too many accumulators")
	}
	acc := func(i, v int) reg.VecPhysical { return vec(i*vecs + v) }
	breg := func(v int) reg.VecPhysical { return vec(nacc + v) }
	bc := func(i int) reg.VecPhysical { return vec(nacc + vecs + i%nbc) }

	TEXT(name, NOSPLIT, "func(k int, a, b, c *float64, ldc int, alpha, beta float64)")
	Pragma("noescape")
	Doc(fmt.Sprintf("%s computes one %d×%d tile C = alpha·A·B + beta·C from packed panels.", name, mr, nr))
	k := Load(Param("k"), GP64())
	a := Load(Param("a"), GP64())
	b := Load(Param("b"), GP64())
	for i := 0; i < mr; i++ {
		for v := 0; v < vecs; v++ {
			if zmm {
				VPXORQ(acc(i, v), acc(i, v), acc(i, v))
			} else {
				VXORPD(acc(i, v), acc(i, v), acc(i, v))
			}
		}
	}
	step := func(u int) {
		for v := 0; v < vecs; v++ {
			VMOVUPD(Mem{Base: b, Disp: 8 * (u*nr + v*lanes)}, breg(v))
		}
		for i := 0; i < mr; i++ {
			VBROADCASTSD(Mem{Base: a, Disp: 8 * (u*mr + i)}, bc(i))
			for v := 0; v < vecs; v++ {
				VFMADD231PD(breg(v), bc(i), acc(i, v))
			}
		}
	}
	Label("loop")
	CMPQ(k, Imm(unroll))
	JL(LabelRef("tail"))
	for u := 0; u < unroll; u++ {
		step(u)
	}
	ADDQ(U32(8*unroll*mr), a)
	ADDQ(U32(8*unroll*nr), b)
	SUBQ(Imm(unroll), k)
	JMP(LabelRef("loop"))
	Label("tail")
	TESTQ(k, k)
	JZ(LabelRef("store"))
	step(0)
	ADDQ(U32(8*mr), a)
	ADDQ(U32(8*nr), b)
	DECQ(k)
	JMP(LabelRef("tail"))

	Label("store")
	c := Load(Param("c"), GP64())
	ldc := Load(Param("ldc"), GP64())
	SHLQ(Imm(3), ldc)
	alpha := breg(0)
	VBROADCASTSD(paramAddr("alpha"), alpha)
	for i := 0; i < mr; i++ {
		for v := 0; v < vecs; v++ {
			VMULPD(alpha, acc(i, v), acc(i, v))
		}
	}
	// beta = ±0: bits shifted left by one are zero.
	bits := GP64()
	MOVQ(paramAddr("beta"), bits)
	SHLQ(Imm(1), bits)
	JZ(LabelRef("overwrite"))
	beta := breg(1 % vecs)
	if vecs == 1 {
		beta = bc(0)
	}
	VBROADCASTSD(paramAddr("beta"), beta)
	row := GP64()
	MOVQ(c, row)
	for i := 0; i < mr; i++ {
		for v := 0; v < vecs; v++ {
			VFMADD231PD(Mem{Base: row, Disp: 8 * v * lanes}, beta, acc(i, v))
		}
		if i+1 < mr {
			ADDQ(ldc, row)
		}
	}
	Label("overwrite")
	for i := 0; i < mr; i++ {
		for v := 0; v < vecs; v++ {
			VMOVUPD(acc(i, v), Mem{Base: c, Disp: 8 * v * lanes})
		}
		if i+1 < mr {
			ADDQ(ldc, c)
		}
	}
	VZEROUPPER()
	RET()
}

var ymm = []reg.VecPhysical{
	reg.Y0, reg.Y1, reg.Y2, reg.Y3, reg.Y4, reg.Y5, reg.Y6, reg.Y7,
	reg.Y8, reg.Y9, reg.Y10, reg.Y11, reg.Y12, reg.Y13, reg.Y14, reg.Y15,
}

var zmmr = []reg.VecPhysical{
	reg.Z0, reg.Z1, reg.Z2, reg.Z3, reg.Z4, reg.Z5, reg.Z6, reg.Z7,
	reg.Z8, reg.Z9, reg.Z10, reg.Z11, reg.Z12, reg.Z13, reg.Z14, reg.Z15,
	reg.Z16, reg.Z17, reg.Z18, reg.Z19, reg.Z20, reg.Z21, reg.Z22, reg.Z23,
	reg.Z24, reg.Z25, reg.Z26, reg.Z27, reg.Z28, reg.Z29, reg.Z30, reg.Z31,
}

// paramAddr is the stack address of the named argument.
func paramAddr(name string) Mem {
	p, err := Param(name).Resolve()
	if err != nil {
		panic(err)
	}
	return p.Addr
}
