// Package freshclone holds only a test: that a clone of the repository,
// with nothing beside it, passes its tests. It catches a test that reads a
// file outside the repository (the published vectors once sat in a sibling
// shared/ directory) or a file that was never committed.
package freshclone
