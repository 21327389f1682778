// Package contract checks that a public API keeps its documented promises on
// bad input: a documented error (or a documented NaN), no panic, no hang and
// no unbounded allocation. It serves the tests of reluproof's packages.
//
// A Call is one call with invalid or extreme arguments, drawn in full before
// it runs; Contract.Check runs it and says how it broke the contract. Child
// runs part of a test in a child process under an address-space limit
// (RLIMIT_AS) and a time limit, so that a regression that hangs or asks for
// terabytes fails the test instead of the machine.
package contract

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// Call is one call of a public API, drawn in full before it runs.
type Call struct {
	// Name says which call this is, with its arguments, for messages.
	Name string
	// Want is the sentinel the call's error must wrap. A nil Want marks an
	// extreme but valid call, which must either succeed with finite results
	// or fail with an error wrapping one of the documented sentinels.
	Want error
	// Run makes the call and returns every float it produced (outputs,
	// gradients, parameters) so that Check can require them finite.
	Run func() (results []float64, err error)
}

// Contract is what a package promises for its errors: every error message
// starts with one of Prefixes ("nn: ") and wraps one of Documented.
type Contract struct {
	Prefixes   []string
	Documented []error
}

// Check runs c and returns how it broke the contract, or "" if it kept it:
// a panic, an error without a package prefix, an error not wrapping c.Want
// (or, for a nil Want, none of the documented sentinels), or a NaN or
// infinite result returned without an error.
func (k Contract) Check(c Call) (problem string) {
	defer func() {
		if p := recover(); p != nil {
			problem = fmt.Sprintf("%s panicked: %v", c.Name, p)
		}
	}()
	res, err := c.Run()
	if err != nil && !k.prefixed(err.Error()) {
		return fmt.Sprintf("%s: error %q has no package prefix", c.Name, err)
	}
	switch {
	case c.Want != nil && !errors.Is(err, c.Want):
		return fmt.Sprintf("%s: got error %v, want one wrapping %v", c.Name, err, c.Want)
	case c.Want == nil && err != nil:
		for _, s := range k.Documented {
			if errors.Is(err, s) {
				return ""
			}
		}
		return fmt.Sprintf("%s: undocumented error %v", c.Name, err)
	case err == nil:
		for i, v := range res {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Sprintf("%s: result %d is %v without an error", c.Name, i, v)
			}
		}
	}
	return ""
}

func (k Contract) prefixed(msg string) bool {
	for _, p := range k.Prefixes {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}
