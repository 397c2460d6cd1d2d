// Package netcmd holds roundtrip's four standalone network methods as
// cobra commands: clear (Eisenberg–Noe, Rogers–Veraart), debtrank, ena
// (throughflow, Finn's cycling index) and cycles (Johnson's circuits).
// With them come their readers of the three input forms (dense JSON,
// sparse JSON, CSV triplets with a nodes file), their writers of numbers,
// and the command line's error kinds and exit codes (UsageError,
// InputError, ExitCode), which every roundtrip command shares.
//
// The commands read and print only through the streams in Options, so
// tests run them in-process; cmd/roundtrip adds them beside its scenario
// commands. The package links no scenario, report, store or server code:
// a method runs on the network it reads and nothing else.
package netcmd
