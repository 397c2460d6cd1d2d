// Package archtest enforces the dependency rule of STYLE.md §4.1: engine
// packages do no I/O, read no clock, hold no init-time state, import no
// global random source and depend on nothing under internal/ or cmd/.
package archtest

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/roundtrip-dev/roundtrip"

// engine lists the engine packages, relative to the module.
var engine = []string{"money", "quarter", "distribution", "inputerr", "termsafe", "scenario", "ledger", "sim", "network", "contagion", "analysis", "stress", "montecarlo", "physical", "market", "dataset"}

// forbidden lists imports no engine package may have, with the reason.
var forbidden = map[string]string{
	"os":           "engine packages do no I/O; the caller passes bytes or an io.Writer",
	"net":          "engine packages do no I/O",
	"net/http":     "engine packages do no I/O; HTTP lives in internal/server",
	"database/sql": "engine packages do no I/O; storage lives in internal/store",
	"log":          "engine packages do not log; they return warnings in results",
	"log/slog":     "engine packages do not log; they return warnings in results",
	"math/rand":    "use math/rand/v2 with an explicit source; the global generator breaks determinism",
}

type pkg struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	Imports    []string
}

func TestDependencyRule(t *testing.T) {
	out, err := exec.Command("go", "list", "-e", "-json", module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	seen := 0
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		if !isEngine(rel) {
			continue
		}
		seen++
		for _, imp := range p.Imports {
			if why, bad := forbidden[imp]; bad {
				t.Errorf("%s imports %s: %s (STYLE.md §4.1)", rel, imp, why)
			}
			if strings.HasPrefix(imp, module+"/internal/") || strings.HasPrefix(imp, module+"/cmd/") || imp == module+"/report" {
				t.Errorf("%s imports %s: engine packages must not depend on the application (STYLE.md §4.1)", rel, imp)
			}
		}
		for _, f := range p.GoFiles {
			checkFile(t, rel, filepath.Join(p.Dir, f))
		}
	}
	if seen < 5 {
		t.Fatalf("found only %d engine packages; is the module path right?", seen)
	}
}

// standalone lists the packages of the standalone network methods
// (roundtrip-net's four commands), which must link nothing of the scenario
// engine: package initialization runs at every start whether a program
// uses a package or not, and the scenario engine's (the YAML decoder's
// regular expressions and tables above all) took 500 allocations and 80
// page faults at every start of roundtrip-net.
var standalone = []string{"network", "contagion"}

// scenarioEngine lists what the standalone packages must not depend on,
// even indirectly.
var scenarioEngine = []string{module + "/scenario", module + "/sim", module + "/ledger", module + "/distribution", "go.yaml.in/yaml/v4"}

func TestStandaloneMethods(t *testing.T) {
	for _, rel := range standalone {
		out, err := exec.Command("go", "list", "-deps", module+"/"+rel).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", rel, err)
		}
		deps := strings.Fields(string(out))
		if len(deps) < 10 {
			t.Fatalf("go list -deps %s listed %d packages; is the module path right?", rel, len(deps))
		}
		for _, d := range deps {
			for _, bad := range scenarioEngine {
				if d == bad {
					t.Errorf("%s depends on %s: the standalone methods link nothing of the scenario engine (roundtrip-net starts with them)", rel, d)
				}
			}
		}
	}
}

// TestNetLinksNoCobra: roundtrip-net links neither cobra nor pflag nor
// text/template (which cobra imports). A program that merely links cobra
// started about 0.25 ms later than one importing only os, medians of
// 1,000 runs taken in turn, a twelfth of roundtrip-net's whole `cycles`;
// netcmd.Run parses its command lines as cobra does instead.
func TestNetLinksNoCobra(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", module+"/cmd/roundtrip-net").Output()
	if err != nil {
		t.Fatalf("go list -deps cmd/roundtrip-net: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps cmd/roundtrip-net listed %d packages; is the module path right?", len(deps))
	}
	for _, d := range deps {
		switch d {
		case "github.com/spf13/cobra", "github.com/spf13/pflag", "text/template":
			t.Errorf("cmd/roundtrip-net depends on %s: it parses its command line through netcmd.Run, which links no cobra, to start faster", d)
		}
	}
}

func isEngine(rel string) bool {
	for _, e := range engine {
		if rel == e || strings.HasPrefix(rel, e+"/") {
			return true
		}
	}
	return false
}

// checkFile fails on time.Now and func init in engine code.
func checkFile(t *testing.T, rel, path string) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncDecl:
			if x.Name.Name == "init" && x.Recv == nil {
				t.Errorf("%s: func init in engine package %s: no init-time registration or state (STYLE.md §4.3)", fset.Position(x.Pos()), rel)
			}
		case *ast.SelectorExpr:
			if id, ok := x.X.(*ast.Ident); ok && id.Name == "time" && x.Sel.Name == "Now" {
				t.Errorf("%s: time.Now in engine package %s: the engine reads no clock; quarters are logical time (STYLE.md §4.6)", fset.Position(x.Pos()), rel)
			}
		}
		return true
	})
}
