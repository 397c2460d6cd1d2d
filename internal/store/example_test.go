package store_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/roundtrip-dev/roundtrip/internal/store"
)

// Example saves a scenario twice, runs its latest version with results
// written in two parts, and reads everything back.
func Example() {
	dir, err := os.MkdirTemp("", "store-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()

	s, err := store.Open(ctx, filepath.Join(dir, "roundtrip.db"), store.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	sc, err := s.CreateScenario(ctx, "loop", []byte("quarters: 4\n"))
	if err != nil {
		log.Fatal(err)
	}
	sc, err = s.UpdateScenario(ctx, sc.ID, "", []byte("quarters: 8\n"))
	if err != nil {
		log.Fatal(err)
	}
	run, yaml, err := s.CreateRun(ctx, store.Run{ScenarioID: sc.ID, Kind: store.MonteCarlo, Params: []byte(`{"paths":1000,"seed":7}`), Total: 1000})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("run %d of %s v%d (%s): %q\n", run.ID, run.ScenarioName, run.ScenarioVersion, run.Status, yaml)

	if err := s.StartRun(ctx, run.ID); err != nil {
		log.Fatal(err)
	}
	if err := s.AppendResults(ctx, run.ID, []byte(`{"meta":{},`)); err != nil {
		log.Fatal(err)
	}
	if err := s.FinishRun(ctx, run.ID, store.Done, "", []byte(`"data":[]}`)); err != nil {
		log.Fatal(err)
	}
	run, err = s.Run(ctx, run.ID)
	if err != nil {
		log.Fatal(err)
	}
	doc, err := s.Results(ctx, run.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s %d/%d: %s\n", run.Status, run.Done, run.Total, doc)

	v1, err := s.ScenarioVersion(ctx, sc.ID, 1)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("version 1: %q\n", v1.YAML)
	// Output:
	// run 1 of loop v2 (queued): "quarters: 8\n"
	// done 1000/1000: {"meta":{},"data":[]}
	// version 1: "quarters: 4\n"
}
