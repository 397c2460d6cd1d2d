// Package dataset holds roundtrip's embedded default scenario: the
// Microsoft–Nvidia–Anthropic pact of 18 November 2025 inside the wider web of
// 2023–2026 AI deals, as one YAML file in the scenario format
// (docs/scenario-format.md).
//
// The file, default.yaml, is data, not code: users read it with
// `roundtrip dataset`, export it with `roundtrip dataset export` and edit the
// copy. Every deal of the research notes (ids A01 … F12, and I.. for items
// reported in 2026) is a contract or a record whose id starts with the deal's
// id in lower case (a01-anthropic-azure); flows we derive rather than read
// (the clouds' accelerator purchases) start with x. Each contract, entity,
// demand and cost line names its sources, which resolve to entries with
// publisher, title, date and URL, and says whether its figure is reported or
// estimated, with the basis of any estimate. Where sources disagree the file
// keeps both figures, as alternatives and in a note.
//
// The package does no I/O beyond the embedded file and holds no mutable
// state: Default decodes a fresh Model on every call, and DefaultYAML returns
// a copy of the bytes.
package dataset
