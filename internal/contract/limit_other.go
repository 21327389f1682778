//go:build !linux

package contract

import "testing"

// setAddressLimit does nothing off Linux: the child runs under the time
// limit only.
func setAddressLimit(t *testing.T, limit uint64) {}
