// Package quarter holds calendar quarters, the simulation's unit of time.
//
// A Quarter is a count of quarters since year 0 (2026Q1 is 2026×4), so
// adding, subtracting and comparing are integer operations and a horizon is
// a plain range. Quarters are logical time: nothing here reads a clock.
package quarter
