// Package netcmd holds roundtrip's four standalone network methods as
// command descriptions (Command: help texts, flags, arguments, and a Run
// function on the parsed values): clear (Eisenberg–Noe, Rogers–Veraart),
// debtrank, ena (throughflow, Finn's cycling index) and cycles (Johnson's
// circuits). With them come their readers of the three input forms
// (dense JSON, sparse JSON, CSV triplets with a nodes file), their writers
// of numbers, and the command line's error kinds and exit codes
// (UsageError, InputError, ExitCode), which every roundtrip command
// shares.
//
// Two front ends run the same descriptions. Run, roundtrip-net's, is a
// small dispatcher that finds the command, parses flags and prints help
// and errors as cobra and pflag do, byte for byte, without linking them:
// cobra, pflag and text/template cost every start of a program about
// 0.25 ms, a twelfth of roundtrip-net's whole `cycles` on a small graph.
// Package netcobra builds cobra commands from them for cmd/roundtrip,
// which keeps cobra for its scenario commands and shell completion; its
// tests hold the two front ends to the same bytes and exit codes on
// random command lines.
//
// The commands read and print only through the streams in Options, so
// tests run them in-process. The package links no scenario, report, store
// or server code: a method runs on the network it reads and nothing else.
package netcmd
