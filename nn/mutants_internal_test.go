package nn

// The workspace cache's order, found unchecked by mutation testing
// (MUTATION.md).

import "testing"

// TestWorkspaceCacheKeepsRecent: the cache holds maxWorkspaces batch sizes
// and evicts the least recently used, so a batch size used between every
// new one (a training batch between evaluations, say) keeps its workspace
// (and its allocation) however many other sizes pass through.
func TestWorkspaceCacheKeepsRecent(t *testing.T) {
	n, err := New([]int{2, 3, 1}, ReLU, Identity, 1)
	if err != nil {
		t.Fatal(err)
	}
	hot := n.workspace(7)
	for b := 1; b <= 3*maxWorkspaces; b++ {
		if b == 7 {
			continue
		}
		if n.workspace(b) == hot {
			t.Fatalf("batch %d got batch 7's workspace", b)
		}
		if w := n.workspace(7); w != hot {
			t.Fatalf("batch 7's workspace evicted after batch %d", b)
		}
	}
	if len(n.ws) != maxWorkspaces {
		t.Errorf("cache holds %d workspaces, want %d", len(n.ws), maxWorkspaces)
	}
}
