package gemm

import (
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// reportKernel, set in the environment of this test binary, makes
// TestInitialKernel print the kernel chosen at initialisation and return.
const reportKernel = "RELUPROOF_GEMM_TEST_REPORT_KERNEL"

// TestInitialKernel runs this test binary again, with EnvVar unset or set,
// and checks the kernel chosen at initialisation: the fastest of Kernels
// without EnvVar or with a name not in Kernels, the named one otherwise.
func TestInitialKernel(t *testing.T) {
	if os.Getenv(reportKernel) != "" {
		t.Logf("initial kernel %s.", Kernel())
		return
	}
	ks := Kernels()
	orFastest := func(name string) string {
		if slices.Contains(ks, name) {
			return name
		}
		return ks[0]
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, EnvVar+"=") {
			env = append(env, kv)
		}
	}
	env = append(env, reportKernel+"=1")
	found := regexp.MustCompile(`initial kernel (\w+)\.`)
	for _, tc := range []struct {
		name, value string // value "" leaves EnvVar unset
		want        string
	}{
		{"unset", "", ks[0]},
		{"avx512", AVX512, orFastest(AVX512)},
		{"avx2", AVX2, orFastest(AVX2)},
		{"purego", PureGo, PureGo},
		{"unknown", "sse9", ks[0]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestInitialKernel$", "-test.count=1", "-test.v")
			cmd.Env = env
			if tc.value != "" {
				cmd.Env = append(slices.Clip(env), EnvVar+"="+tc.value)
			}
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%v: %v\n%s", cmd, err, out)
			}
			m := found.FindSubmatch(out)
			if m == nil {
				t.Fatalf("no kernel reported in\n%s", out)
			}
			if got := string(m[1]); got != tc.want {
				t.Fatalf("%s=%q: initial kernel %s, want %s", EnvVar, tc.value, got, tc.want)
			}
		})
	}
}
