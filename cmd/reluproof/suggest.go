package main

import (
	"fmt"
	"strconv"
	"strings"
)

// unknownIDs is the error for the IDs of -claims that name no claim of all:
// each with the nearest valid ID, and where to find them all.
func unknownIDs(unknown []string, all []row) error {
	const hint = "reluproof check -list lists them"
	if len(unknown) == 1 {
		u := unknown[0]
		if near := nearestID(strings.ToUpper(u), all); near != "" {
			return fmt.Errorf("unknown claim ID %s; did you mean %s? (%s)", u, near, hint)
		}
		return fmt.Errorf("unknown claim ID %s (%s)", u, hint)
	}
	parts := make([]string, len(unknown))
	for i, u := range unknown {
		parts[i] = u
		if near := nearestID(strings.ToUpper(u), all); near != "" {
			parts[i] = fmt.Sprintf("%s (did you mean %s?)", u, near)
		}
	}
	return fmt.Errorf("unknown claim IDs %s; %s", strings.Join(parts, ", "), hint)
}

// nearestID returns the ID of all nearest to id, "" if all is empty. An ID
// is a family letter and a number ("U3"): when id has the form of one and
// the family exists, the nearest is the family's ID with the nearest number
// (the smaller on a tie); otherwise it is the ID at the smallest edit
// distance from id (the first in catalogue order on a tie).
func nearestID(id string, all []row) string {
	if n, err := strconv.Atoi(id[min(1, len(id)):]); err == nil && len(id) > 1 {
		best, bestGap := "", 0
		for _, r := range all {
			m, err := strconv.Atoi(r.id[1:])
			if err != nil || r.id[0] != id[0] {
				continue
			}
			gap := max(m-n, n-m)
			if best == "" || gap < bestGap || (gap == bestGap && m < n) {
				best, bestGap = r.id, gap
			}
		}
		if best != "" {
			return best
		}
	}
	best, bestDist := "", 0
	for _, r := range all {
		if d := editDistance(id, r.id); best == "" || d < bestDist {
			best, bestDist = r.id, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, counted in
// runes: the fewest insertions, deletions and substitutions that turn one
// into the other.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			sub := prev[j-1]
			if ra[i-1] != rb[j-1] {
				sub++
			}
			cur[j] = min(sub, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
