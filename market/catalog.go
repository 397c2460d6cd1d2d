package market

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"github.com/roundtrip-dev/roundtrip/scenario"
)

// CatalogFile is the name the embedded catalog's errors and exports use.
const CatalogFile = "market-catalog.yaml"

//go:embed catalog.yaml
var catalogYAML []byte

// CatalogYAML returns the embedded catalog file, as a new slice.
func CatalogYAML() []byte { return append([]byte(nil), catalogYAML...) }

// DefaultCatalog decodes the embedded catalog. It returns a new value on
// each call; an error means the embedded file is broken, which the
// package's tests rule out.
func DefaultCatalog() (*scenario.Marketplace, error) {
	mk, err := scenario.DecodeMarket(CatalogFile, catalogYAML)
	if err != nil {
		return nil, err
	}
	if errs := check(mk, nil); len(errs) > 0 {
		return nil, errs
	}
	return mk, nil
}

// For returns the marketplace a scenario uses: the embedded catalog with
// the scenario's market: section laid over it, and the section's events.
// It returns nil when the scenario has no market: section (the
// marketplace is off), and a resolved marketplace (Resolve) as it is. Errors are scenario.Errors positioned in the
// scenario file.
func For(m *scenario.Model) (*scenario.Marketplace, error) {
	if m.Marketplace == nil || m.Marketplace.Resolved {
		return m.Marketplace, nil
	}
	base, err := DefaultCatalog()
	if err != nil {
		return nil, err
	}
	return Merge(base, m.Marketplace, m.Sources)
}

// Merge lays over on base and returns the result; neither is modified.
// Platforms, models and segments are matched by id, splits by lab: an item of over
// replaces base's item of the same id whole, and a new id adds an item.
// Sources are added, and over's events kept. Every source id cited must
// be declared in base's sources, over's or extra (the scenario's); every
// platform, segment and lab reference must resolve.
func Merge(base, over *scenario.Marketplace, extra []scenario.Source) (*scenario.Marketplace, error) {
	out := &scenario.Marketplace{
		Sources:   slices.Concat(base.Sources, over.Sources),
		Platforms: replace(base.Platforms, over.Platforms, func(p scenario.Platform) string { return p.ID }),
		Models:    replace(base.Models, over.Models, func(m scenario.MarketModel) string { return m.ID }),
		Segments:  replace(base.Segments, over.Segments, func(s scenario.Segment) string { return s.ID }),
		Splits:    replace(base.Splits, over.Splits, func(s scenario.Split) string { return string(s.Lab) }),
		Events:    slices.Clone(over.Events),
		Pos:       over.Pos,
	}
	if errs := check(out, extra); len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// replace returns base with each item of over in place of base's item of
// the same id, or appended.
func replace[T any](base, over []T, id func(T) string) []T {
	out := slices.Clone(base)
	for _, x := range over {
		if j := slices.IndexFunc(out, func(y T) bool { return id(y) == id(x) }); j >= 0 {
			out[j] = x
		} else {
			out = append(out, x)
		}
	}
	return out
}

// check reports what in mk does not resolve: source ids, the platforms
// of listings and channels, the segments of quality scores, and the fields
// an item needs to take part in the market.
func check(mk *scenario.Marketplace, extra []scenario.Source) scenario.Errors {
	var errs scenario.Errors
	add := func(pos scenario.Pos, field, format string, args ...any) {
		errs = append(errs, scenario.Error{Pos: pos, Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	known := map[string]bool{}
	for _, s := range slices.Concat(mk.Sources, extra) {
		known[s.ID] = true
	}
	sources := func(c scenario.Catalogued, pos scenario.Pos, field string) {
		for _, s := range c.Sources {
			if !known[s] {
				add(pos, field+".sources", "unknown source %q; declare it under sources (the scenario's or market.sources), or cite one of the embedded catalog's (roundtrip market -o json lists them)", s)
			}
		}
	}
	platforms := ids(mk.Platforms, func(p scenario.Platform) string { return p.ID })
	segments := ids(mk.Segments, func(s scenario.Segment) string { return s.ID })
	for i, p := range mk.Platforms {
		sources(p.Catalogued, p.Pos, fmt.Sprintf("market.platforms[%d]", i))
	}
	for i, x := range mk.Models {
		f := fmt.Sprintf("market.models[%d]", i)
		sources(x.Catalogued, x.Pos, f)
		if x.Name == "" || x.Lab == "" || !x.InputUSD.Set || !x.OutputUSD.Set {
			add(x.Pos, f, "model %q needs name, lab, input and output (an item replaces the catalog's whole)", x.ID)
		}
		for _, l := range x.Listings {
			if !slices.Contains(platforms, l.Platform) {
				add(l.Pos, f+".platforms."+l.Platform, "unknown platform %q (platforms: %s)", l.Platform, strings.Join(platforms, ", "))
			}
		}
		for _, s := range x.Quality {
			if !slices.Contains(segments, s.Segment) {
				add(s.Pos, f+".quality."+s.Segment, "unknown segment %q (segments: %s)", s.Segment, strings.Join(segments, ", "))
			}
		}
	}
	for i, s := range mk.Segments {
		f := fmt.Sprintf("market.segments[%d]", i)
		sources(s.Catalogued, s.Pos, f)
		if c := s.Calibration; c != nil {
			sources(c.Catalogued, c.Pos, f+".calibration")
		}
		if s.Name == "" || !s.Revenue.Set || !s.PriceSensitivity.Set || !s.QualityWeight.Set || len(s.Channels) == 0 {
			add(s.Pos, f, "segment %q needs name, revenue, price_sensitivity, quality_weight and channels (an item replaces the catalog's whole)", s.ID)
		}
		if s.QualityFrom != "" && (!slices.Contains(segments, s.QualityFrom) || s.QualityFrom == s.ID) {
			add(s.Pos, f+".quality_from", "%q is not another segment (segments: %s)", s.QualityFrom, strings.Join(segments, ", "))
		}
		for _, c := range s.Channels {
			if !slices.Contains(platforms, c.Platform) {
				add(c.Pos, f+".channels."+c.Platform, "unknown platform %q (platforms: %s)", c.Platform, strings.Join(platforms, ", "))
			}
		}
	}
	for i, x := range mk.Splits {
		f := fmt.Sprintf("market.splits[%d]", i)
		sources(x.Catalogued, x.Pos, f)
		for _, s := range x.Shares {
			j := slices.IndexFunc(mk.Models, func(m scenario.MarketModel) bool { return m.ID == s.Model })
			switch {
			case j < 0:
				add(s.Pos, f+".shares."+s.Model, "unknown model %q (models: %s)", s.Model, strings.Join(ids(mk.Models, func(m scenario.MarketModel) string { return m.ID }), ", "))
			case mk.Models[j].Lab != x.Lab:
				add(s.Pos, f+".shares."+s.Model, "model %q is %s's, not %s's", s.Model, mk.Models[j].Lab, x.Lab)
			}
		}
	}
	slices.SortStableFunc(errs, func(a, b scenario.Error) int {
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line - b.Pos.Line
		}
		return a.Pos.Col - b.Pos.Col
	})
	return errs
}

func ids[T any](xs []T, id func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = id(x)
	}
	return out
}
