package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/roundtrip-dev/roundtrip/internal/atomicfile"
	"github.com/roundtrip-dev/roundtrip/internal/netcmd"
	"github.com/roundtrip-dev/roundtrip/montecarlo"
	"github.com/roundtrip-dev/roundtrip/report"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

// A shard file is the line "roundtrip-mc-shard 1", a line of JSON (the
// report.MCHeader: what the report needs besides the summary), then the bytes of
// montecarlo.Summary.MarshalBinary, which carry their own checksum.

const shardMagic = "roundtrip-mc-shard 1\n"

// newMCHeader describes model for the report of a run or shard of it.
func newMCHeader(model *scenario.Model, src source, shard montecarlo.Shard) *report.MCHeader {
	sum := sha256.Sum256(src.data)
	return report.NewMCHeader(model, hex.EncodeToString(sum[:]), netcmd.Version(), shard)
}

func writeShard(name string, h *report.MCHeader, s *montecarlo.Summary) error {
	body, err := s.MarshalBinary()
	if err != nil {
		return err
	}
	head, err := json.Marshal(h)
	if err != nil {
		return err
	}
	return atomicfile.Write(name, func(w io.Writer) error {
		_, err := w.Write(slices.Concat([]byte(shardMagic), head, []byte("\n"), body))
		return err
	})
}

func readShard(name string) (*report.MCHeader, *montecarlo.Summary, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, nil, fmt.Errorf("read shard: %w", err)
	}
	rest, ok := bytes.CutPrefix(b, []byte(shardMagic))
	if !ok {
		return nil, nil, &netcmd.InputError{Name: name, Err: errors.New("not a shard file (write one with roundtrip mc --shard i/n --out FILE)")}
	}
	head, body, ok := bytes.Cut(rest, []byte("\n"))
	var h report.MCHeader
	if !ok || json.Unmarshal(head, &h) != nil {
		return nil, nil, &netcmd.InputError{Name: name, Err: errors.New("damaged shard header")}
	}
	var s montecarlo.Summary
	if err := s.UnmarshalBinary(body); err != nil {
		return nil, nil, &netcmd.InputError{Name: name, Err: err}
	}
	return &h, &s, nil
}

// mergeShards reads and merges shard files, checking that they belong to
// one run and cover all of it.
func mergeShards(names []string) (*report.MCHeader, *montecarlo.Summary, error) {
	var first *report.MCHeader
	var sum *montecarlo.Summary
	for _, name := range names {
		h, s, err := readShard(name)
		if err != nil {
			return nil, nil, err
		}
		if first == nil {
			first, sum = h, s
			continue
		}
		switch {
		case h.ScenarioSHA256 != first.ScenarioSHA256:
			return nil, nil, &netcmd.InputError{Name: name, Err: fmt.Errorf("from scenario %q (sha256 %.12s…), but %s is from %q (sha256 %.12s…)", h.Scenario, h.ScenarioSHA256, names[0], first.Scenario, first.ScenarioSHA256)}
		case h.Version != first.Version:
			return nil, nil, &netcmd.InputError{Name: name, Err: fmt.Errorf("written by roundtrip %s, but %s by %s", h.Version, names[0], first.Version)}
		case s.Seed() != sum.Seed():
			return nil, nil, &netcmd.InputError{Name: name, Err: fmt.Errorf("has seed %d, but %s has seed %d: shards of one run share the seed", s.Seed(), names[0], sum.Seed())}
		case s.Paths() != sum.Paths():
			return nil, nil, &netcmd.InputError{Name: name, Err: fmt.Errorf("is from a run of %d paths, but %s of %d", s.Paths(), names[0], sum.Paths())}
		}
		if err := sum.Merge(s); err != nil {
			return nil, nil, &netcmd.InputError{Name: name, Err: err}
		}
	}
	if !sum.Complete() {
		return nil, nil, &netcmd.InputError{Name: "mc merge", Err: fmt.Errorf("the shards hold %d of the run's %d paths; give every shard (e.g. all 16 of --shard i/16)", sum.Count(), sum.Paths())}
	}
	first.Shard = montecarlo.Shard{}.String()
	return first, sum, nil
}
