package report

import (
	"io"

	"github.com/parquet-go/parquet-go"

	"github.com/roundtrip-dev/roundtrip/contagion"
)

// shockRow is one row of ShocksParquet.
type shockRow struct {
	Node               int64   `parquet:"node"`
	DebtRank           float64 `parquet:"debtrank"`
	Distressed         int64   `parquet:"distressed"`
	AdditionalDefaults int64   `parquet:"additional_defaults"`
	Loss               float64 `parquet:"loss"`
}

// ShocksParquet writes the outcomes of single-node defaults (`roundtrip
// debtrank --shock`, each node's stress set to 1) as a Parquet file of
// one row per shocked node, columns node, debtrank, distressed,
// additional_defaults and loss, Snappy-compressed, with the propagation
// rule v in the key roundtrip.variant and the shock in roundtrip.shock.
func ShocksParquet(w io.Writer, rows []contagion.ShockOutcome, v contagion.Variant) error {
	pw := parquet.NewGenericWriter[shockRow](w, parquet.Compression(&parquet.Snappy),
		parquet.KeyValueMetadata("roundtrip.variant", v.String()), parquet.KeyValueMetadata("roundtrip.shock", "1"))
	prs := make([]shockRow, len(rows))
	for k, r := range rows {
		prs[k] = shockRow{int64(r.Node), r.DebtRank, int64(r.Distressed), int64(r.AdditionalDefaults), r.Loss}
	}
	if _, err := pw.Write(prs); err != nil {
		return err
	}
	return pw.Close()
}
