package quarter

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Quarter is a calendar quarter, counted from 0000Q1.
type Quarter int32

// ErrSyntax is wrapped by every error Parse returns.
var ErrSyntax = errors.New("not a quarter: write the year and the quarter, e.g. 2026Q1")

// Min and Max bound the years Parse accepts.
const (
	MinYear = 1900
	MaxYear = 2500
)

// New returns the quarter q (1–4) of year y. It panics if q is out of range.
func New(y, q int) Quarter {
	if q < 1 || q > 4 {
		panic("quarter: quarter number outside 1..4")
	}
	return Quarter(y*4 + q - 1)
}

// Parse reads a quarter written as "2026Q1" (the "Q" may be lower case).
func Parse(s string) (Quarter, error) {
	if len(s) != 6 || (s[4] != 'Q' && s[4] != 'q') {
		return 0, fmt.Errorf("%q: %w", s, ErrSyntax)
	}
	y, err := strconv.Atoi(s[:4])
	if err != nil || s[0] == '+' || s[0] == '-' {
		return 0, fmt.Errorf("%q: %w", s, ErrSyntax)
	}
	q := int(s[5] - '0')
	if q < 1 || q > 4 {
		return 0, fmt.Errorf("%q: quarter must be Q1, Q2, Q3 or Q4", s)
	}
	if y < MinYear || y > MaxYear {
		return 0, fmt.Errorf("%q: year must be between %d and %d", s, MinYear, MaxYear)
	}
	return New(y, q), nil
}

// Of returns the quarter containing t.
func Of(t time.Time) Quarter { return New(t.Year(), (int(t.Month())-1)/3+1) }

// Year returns the calendar year.
func (q Quarter) Year() int { return int(q) / 4 }

// Number returns the quarter's number in its year, 1 to 4.
func (q Quarter) Number() int { return int(q)%4 + 1 }

// Add returns the quarter n quarters after q (before, if n < 0).
func (q Quarter) Add(n int) Quarter { return q + Quarter(n) }

// Sub returns the number of quarters from r to q.
func (q Quarter) Sub(r Quarter) int { return int(q - r) }

// String formats q as "2026Q1".
func (q Quarter) String() string { return fmt.Sprintf("%04dQ%d", q.Year(), q.Number()) }

// FirstDay returns the first day of q, at midnight UTC.
func (q Quarter) FirstDay() time.Time {
	return time.Date(q.Year(), time.Month(3*(q.Number()-1)+1), 1, 0, 0, 0, 0, time.UTC)
}

// LastDay returns the last day of q, at midnight UTC.
func (q Quarter) LastDay() time.Time { return q.Add(1).FirstDay().AddDate(0, 0, -1) }
