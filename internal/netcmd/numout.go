package netcmd

import (
	"encoding/json"
	"math"
	"strconv"

	"github.com/roundtrip-dev/roundtrip/contagion"
	"github.com/roundtrip-dev/roundtrip/network"
)

// numObject writes a JSON object of numbers and arrays of numbers with the
// bytes json.Encoder writes under SetIndent("", "  "), without its
// reflection: on 2,000 nodes `clear` spent a millisecond, a tenth of its
// work, encoding its result. Fields are written in the order they are
// added; a NaN or an infinity, which encoding/json refuses, sets bad, and
// the caller takes encoding/json (and its error) instead.
type numObject struct {
	b   []byte
	bad bool
}

func (o *numObject) key(name string) {
	if len(o.b) == 0 {
		o.b = append(o.b, "{\n  \""...)
	} else {
		o.b = append(o.b, ",\n  \""...)
	}
	o.b = append(o.b, name...)
	o.b = append(o.b, "\": "...)
}

// float appends f as encoding/json formats a float64: the shortest
// decimal that reads back to f, in exponent form below 1e-6 and from 1e21,
// with the exponent's leading zero dropped.
func (o *numObject) float(f float64) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		o.bad = true
		return
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	o.b = strconv.AppendFloat(o.b, f, format, -1, 64)
	if format == 'e' {
		// e-09 → e-9, as encoding/json does.
		if n := len(o.b); n >= 4 && o.b[n-4] == 'e' && o.b[n-3] == '-' && o.b[n-2] == '0' {
			o.b[n-2] = o.b[n-1]
			o.b = o.b[:n-1]
		}
	}
}

func (o *numObject) floatField(name string, f float64) {
	o.key(name)
	o.float(f)
}

func (o *numObject) intField(name string, v int) {
	o.key(name)
	o.b = strconv.AppendInt(o.b, int64(v), 10)
}

func (o *numObject) floatsField(name string, v []float64) {
	o.key(name)
	o.array(len(v), v == nil, func(k int) { o.float(v[k]) })
}

func (o *numObject) intsField(name string, v []int) {
	o.key(name)
	o.array(len(v), v == nil, func(k int) { o.b = strconv.AppendInt(o.b, int64(v[k]), 10) })
}

// intRowsField writes v, an array of arrays of integers (cycles'
// circuits), each inner array indented a level further.
func (o *numObject) intRowsField(name string, v [][]int) {
	o.key(name)
	o.array(len(v), v == nil, func(k int) {
		row := v[k]
		switch {
		case row == nil:
			o.b = append(o.b, "null"...)
			return
		case len(row) == 0:
			o.b = append(o.b, "[]"...)
			return
		}
		o.b = append(o.b, '[')
		for j, x := range row {
			if j > 0 {
				o.b = append(o.b, ',')
			}
			o.b = append(o.b, "\n      "...)
			o.b = strconv.AppendInt(o.b, int64(x), 10)
		}
		o.b = append(o.b, "\n    ]"...)
	})
}

// wordField writes s, which must be a word of lower-case letters and
// underscores (a field's fixed values, such as "max_nodes"), as a JSON
// string; anything else sets bad, as a string JSON would escape.
func (o *numObject) wordField(name, s string) {
	for i := range len(s) {
		if c := s[i]; (c < 'a' || c > 'z') && c != '_' {
			o.bad = true
			return
		}
	}
	o.key(name)
	o.b = append(o.b, '"')
	o.b = append(o.b, s...)
	o.b = append(o.b, '"')
}

// array writes n elements, one a line, by elem; nil is null, empty [].
func (o *numObject) array(n int, isNil bool, elem func(k int)) {
	switch {
	case isNil:
		o.b = append(o.b, "null"...)
		return
	case n == 0:
		o.b = append(o.b, "[]"...)
		return
	}
	o.b = append(o.b, '[')
	for k := range n {
		if k > 0 {
			o.b = append(o.b, ',')
		}
		o.b = append(o.b, "\n    "...)
		elem(k)
	}
	o.b = append(o.b, "\n  ]"...)
}

// done closes the object (an empty one is "{}") with the encoder's newline.
func (o *numObject) done() []byte {
	if len(o.b) == 0 {
		return append(o.b, "{}\n"...)
	}
	return append(o.b, "\n}\n"...)
}

// clearingJSON is res as printJSON writes it; ok is false if it holds a
// value JSON cannot (then printJSON says so).
func clearingJSON(res contagion.ClearingResult) (b []byte, ok bool) {
	o := numObject{b: make([]byte, 0, 64+48*(len(res.Payments)+len(res.Equity))+8*len(res.Defaults))}
	o.floatsField("payments", res.Payments)
	o.intsField("defaults", res.Defaults)
	o.floatsField("equity", res.Equity)
	o.intField("rounds", res.Rounds)
	return o.done(), !o.bad
}

// enaJSON is res as printJSON writes it; ok as for clearingJSON.
func enaJSON(res network.ENAResult) (b []byte, ok bool) {
	o := numObject{b: make([]byte, 0, 128+32*len(res.Throughflow))}
	o.floatsField("throughflow", res.Throughflow)
	o.floatField("tst", res.TST)
	o.floatField("tstc", res.TSTc)
	o.floatField("fci", res.FCI)
	o.floatField("apl", res.APL)
	return o.done(), !o.bad
}

// cyclesJSON is res as printJSON writes it (the fields after circuits
// only when set, as their omitempty tags say); ok as for clearingJSON.
func cyclesJSON(res network.CyclesResult) (b []byte, ok bool) {
	nodes := 0
	for _, c := range res.Circuits {
		nodes += len(c)
	}
	o := numObject{b: make([]byte, 0, 128+16*len(res.Circuits)+12*nodes+32*len(res.Money))}
	o.intField("count", res.Count)
	o.intRowsField("circuits", res.Circuits)
	if len(res.Money) > 0 {
		o.floatsField("money", res.Money)
	}
	if res.MaxLen != 0 {
		o.intField("max_len", res.MaxLen)
	}
	if res.Truncated {
		o.key("truncated")
		o.b = append(o.b, "true"...)
	}
	if res.StoppedEarly != "" {
		o.wordField("stopped_early", res.StoppedEarly)
	}
	return o.done(), !o.bad
}

// printJSON writes v as JSON indented by two spaces, as every command
// prints its result.
func (o *Options) printJSON(v any) error {
	enc := json.NewEncoder(o.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// printNum writes b (from clearingJSON, enaJSON or cyclesJSON) or, when ok is false,
// v through printJSON.
func (o *Options) printNum(b []byte, ok bool, v any) error {
	if !ok {
		return o.printJSON(v)
	}
	_, err := o.Stdout.Write(b)
	return err
}
