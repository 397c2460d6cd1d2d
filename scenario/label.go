package scenario

import (
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
	}
	return n
}
