package scenario

import (
	"fmt"
	"strconv"
	"strings"
)

// Label returns a field path of m with ids in place of list indices, the
// form users read in reports and may write in correlate: lists:
// "contracts[2].amount" becomes "contracts[an-az].amount", and
// "demand[0].growth" becomes "demand[anthropic].growth" when the entity has
// one demand line (with two, the index stays, since the id would not say
// which). A path it cannot map is returned unchanged.
func (m *Model) Label(name string) string {
	list, i, rest, ok := splitIndex(name)
	if !ok {
		return name
	}
	id := ""
	switch {
	case list == "contracts" && i < len(m.Contracts):
		id = string(m.Contracts[i].ID)
	case list == "entities" && i < len(m.Entities):
		id = string(m.Entities[i].ID)
	case list == "demand" && i < len(m.Demand):
		id = string(m.Demand[i].Entity)
		if m.lines(list, EntityID(id)) > 1 {
			return name
		}
	case list == "costs" && i < len(m.Costs):
		id = string(m.Costs[i].Entity)
		if m.lines(list, EntityID(id)) > 1 {
			return name
		}
	case list == "spending" && i < len(m.Spending):
		id = string(m.Spending[i].Entity)
		if m.lines(list, EntityID(id)) > 1 {
			return name
		}
	}
	if id == "" {
		return name
	}
	return list + "[" + id + "]" + rest
}

// splitIndex splits "list[i]rest" with a whole number i ≥ 0.
func splitIndex(name string) (list string, i int, rest string, ok bool) {
	list, key, rest, ok := splitKey(name)
	if !ok {
		return "", 0, "", false
	}
	i, err := strconv.Atoi(key)
	if err != nil || i < 0 {
		return "", 0, "", false
	}
	return list, i, rest, true
}

// splitKey splits "list[key]rest" at the first brackets.
func splitKey(name string) (list, key, rest string, ok bool) {
	list, after, ok1 := strings.Cut(name, "[")
	key, rest, ok2 := strings.Cut(after, "]")
	return list, key, rest, ok1 && ok2
}

// lines counts the demand or cost lines of entity id.
func (m *Model) lines(list string, id EntityID) int {
	n := 0
	switch list {
	case "demand":
		for _, d := range m.Demand {
			if d.Entity == id {
				n++
			}
		}
	case "costs":
		for _, c := range m.Costs {
			if c.Entity == id {
				n++
			}
		}
	case "spending":
		for _, x := range m.Spending {
			if x.Entity == id {
				n++
			}
		}
	}
	return n
}

// Caption returns a field path of m as a reader's label: the list item
// named by its firm or contract id, then the field after a colon.
// "contracts[2].quarters" becomes "contract a01-anthropic-azure: quarters",
// "demand[0].growth" becomes "demand anthropic: growth", and a firm's
// second demand line "demand oracle (line 2 of 2): growth". Reports print
// it where people read; Label, which a correlate: list accepts, stays the
// machine form. A path it cannot map is returned as Label returns it.
func (m *Model) Caption(name string) string {
	if c, ok := marketCaption(name); ok {
		return c
	}
	list, i, rest, ok := splitIndex(name)
	if !ok {
		return m.Label(name)
	}
	var what string
	switch {
	case list == "contracts" && i < len(m.Contracts):
		what = "contract " + string(m.Contracts[i].ID)
	case list == "entities" && i < len(m.Entities):
		what = "firm " + string(m.Entities[i].ID)
	case list == "demand" && i < len(m.Demand):
		what = "demand " + m.lineOf(list, i, m.Demand[i].Entity)
	case list == "costs" && i < len(m.Costs):
		what = "costs " + m.lineOf(list, i, m.Costs[i].Entity)
	case list == "spending" && i < len(m.Spending):
		what = "spending " + m.lineOf(list, i, m.Spending[i].Entity) + " (" + string(m.Spending[i].Type) + ")"
	default:
		return m.Label(name)
	}
	if f, ok := strings.CutPrefix(rest, "."); ok {
		return what + ": " + f
	}
	return what + rest
}

// marketCaption captions a marketplace parameter (market.Resolve's
// names): "market.models[sonnet-4-5].quality.chat" becomes "model
// sonnet-4-5: quality (chat)", "market.models[grok-4].input" "model
// grok-4: input price", "market.segments[coding].nest" "segment coding:
// nest", "market.platforms[azure].share" "platform azure: share".
func marketCaption(name string) (string, bool) {
	rest, ok := strings.CutPrefix(name, "market.")
	if !ok {
		return "", false
	}
	list, key, field, ok := splitKey(rest)
	field, _ = strings.CutPrefix(field, ".")
	if !ok || field == "" {
		return "", false
	}
	switch list {
	case "models":
		switch {
		case field == "input" || field == "output":
			field += " price"
		case strings.HasPrefix(field, "quality."):
			field = "quality (" + strings.TrimPrefix(field, "quality.") + ")"
		}
		return "model " + key + ": " + field, true
	case "segments":
		return "segment " + key + ": " + field, true
	case "platforms":
		return "platform " + key + ": " + field, true
	}
	return "", false
}

// lineOf names the demand, cost or spending line i of entity id: the id, and which of
// its lines when it has more than one.
func (m *Model) lineOf(list string, i int, id EntityID) string {
	n := m.lines(list, id)
	if n < 2 {
		return string(id)
	}
	k := 0
	for j := 0; j <= i; j++ {
		switch {
		case list == "demand" && m.Demand[j].Entity == id, list == "costs" && m.Costs[j].Entity == id,
			list == "spending" && m.Spending[j].Entity == id:
			k++
		}
	}
	return fmt.Sprintf("%s (line %d of %d)", id, k, n)
}
