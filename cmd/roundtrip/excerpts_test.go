package main

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// excerpt is a code block of the README or docs/methods.md that shows a
// command and what it prints.
var excerpt = regexp.MustCompile("(?s)```\n\\$ roundtrip ([^\n]*)\n(.*?)```")

// TestDocExcerpts runs every command the README's tour shows, and the
// one docs/methods.md shows, and checks that each line of its excerpt is a
// line of what the command prints today, in order, so the documents cannot
// drift from the binary. Lines with "…" mark what an excerpt leaves out.
// Excerpts of files a reader would write themselves (not in the
// repository) and of serve are skipped; so, under -short, are Monte Carlo
// runs of more than 20,000 paths.
func TestDocExcerpts(t *testing.T) {
	for _, doc := range []struct {
		path string
		min  int // command excerpts it has at least
	}{{"README.md", 10}, {"docs/methods.md", 1}} {
		text, err := os.ReadFile("../../" + doc.path)
		if err != nil {
			t.Fatal(err)
		}
		blocks := excerpt.FindAllStringSubmatch(string(text), -1)
		if len(blocks) < doc.min {
			t.Fatalf("found %d command excerpts in %s, want at least %d", len(blocks), doc.path, doc.min)
		}
		for _, b := range blocks {
			checkExcerpt(t, doc.path, b[1], b[2])
		}
	}
}

// checkExcerpt runs command and checks that every line of body is a line
// of what it prints, in order.
func checkExcerpt(t *testing.T, doc, command, body string) {
	t.Run(command, func(t *testing.T) {
		args := strings.Fields(command)
		if skip := skipExcerpt(args); skip != "" {
			t.Skip(skip)
		}
		stdout, stderr, _ := runMain(t, "", args...)
		got := strings.Split(stdout+stderr, "\n")
		for i := range got {
			got[i] = strings.TrimRight(got[i], " ")
		}
		next := 0
		for _, want := range strings.Split(body, "\n") {
			want = strings.TrimRight(want, " ")
			if want == "" || strings.Contains(want, "…") {
				continue
			}
			found := false
			for next < len(got) {
				next++
				if got[next-1] == want {
					found = true
					break
				}
			}
			if !found {
				t.Fatalf("%s excerpt of `roundtrip %s` has a line the command no longer prints (or not in this order):\n%s\nregenerate the excerpt from the binary", doc, command, want)
			}
		}
	})
}

// skipExcerpt says why an excerpt cannot be checked here, or "".
func skipExcerpt(args []string) string {
	if args[0] == "serve" {
		return "serve runs until stopped"
	}
	for i, a := range args {
		if strings.HasSuffix(a, ".yaml") || strings.HasSuffix(a, ".json") || strings.HasSuffix(a, ".csv") {
			if _, err := os.Stat(a); err != nil {
				return "names a file of the reader's own: " + a
			}
		}
		if a == "--paths" && i+1 < len(args) && testing.Short() {
			if n, err := strconv.Atoi(args[i+1]); err == nil && n > 20000 {
				return "a long Monte Carlo run, checked without -short"
			}
		}
	}
	return ""
}
