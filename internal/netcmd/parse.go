package netcmd

import (
	"fmt"
	"strconv"
	"strings"
)

// parsed is a command line parsed against a command's flags.
type parsed struct {
	value   map[string]string // every flag's value as text: as given, or its default
	changed map[string]bool   // the flags the command line set
	args    []string          // the positional arguments
}

// parseFlags parses args against flags as pflag's FlagSet.Parse does:
// flags anywhere among the arguments, --name=value, --name value, -x
// value, -xvalue, -x=value, grouped shorthands (-hv), a Bool flag without
// a value meaning true, "--" ending the flags, the last of a repeated
// flag winning. Its errors are pflag's, word for word.
func parseFlags(flags []Flag, args []string) (parsed, error) {
	p := parsed{value: make(map[string]string, len(flags)), changed: make(map[string]bool)}
	for _, f := range flags {
		p.value[f.Name] = f.Default
	}
	var err error
	for len(args) > 0 {
		s := args[0]
		args = args[1:]
		switch {
		case len(s) < 2 || s[0] != '-':
			p.args = append(p.args, s)
			continue
		case s == "--":
			p.args = append(p.args, args...)
			return p, nil
		case s[1] == '-':
			args, err = p.parseLong(flags, s, args)
		default:
			args, err = p.parseShort(flags, s, args)
		}
		if err != nil {
			return p, err
		}
	}
	return p, nil
}

// isSet reports whether the Bool flag name is true.
func (p *parsed) isSet(name string) bool {
	b, _ := strconv.ParseBool(p.value[name])
	return b
}

// set gives flag f the value s, checked as its kind.
func (p *parsed) set(f *Flag, s string) error {
	if err := f.check(s); err != nil {
		name := "--" + f.Name
		if f.Shorthand != "" {
			name = "-" + f.Shorthand + ", " + name
		}
		return fmt.Errorf("invalid argument %q for %q flag: %w", s, name, err)
	}
	p.value[f.Name] = s
	p.changed[f.Name] = true
	return nil
}

// parseLong parses the flag s ("--name" or "--name=value"), taking its
// value from rest when needed, and returns what remains of rest.
func (p *parsed) parseLong(flags []Flag, s string, rest []string) ([]string, error) {
	name := s[2:]
	if name[0] == '-' || name[0] == '=' {
		return rest, fmt.Errorf("bad flag syntax: %s", s)
	}
	name, value, hasValue := strings.Cut(name, "=")
	f := lookup(flags, func(f *Flag) bool { return f.Name == name })
	switch {
	case f == nil:
		return rest, fmt.Errorf("unknown flag: --%s", name)
	case hasValue:
	case f.Kind == Bool:
		value = "true"
	case len(rest) > 0:
		value, rest = rest[0], rest[1:]
	default:
		return rest, fmt.Errorf("flag needs an argument: --%s", name)
	}
	return rest, p.set(f, value)
}

// parseShort parses the shorthand group s ("-o", "-ojson", "-o=json",
// "-hv"), taking a value from rest when needed. As pflag does, each
// shorthand that takes the next word takes it from rest as it was when
// the group began, and a group's letters from "test." on (go test's
// flags) are ignored.
func (p *parsed) parseShort(flags []Flag, s string, rest []string) ([]string, error) {
	out := rest
	for short := s[1:]; short != "" && !strings.HasPrefix(short, "test."); {
		c := short[0]
		f := lookup(flags, func(f *Flag) bool { return f.Shorthand == short[:1] })
		if f == nil {
			return out, fmt.Errorf("unknown shorthand flag: %q in -%s", pflagRune(c), short)
		}
		var value string
		switch {
		case len(short) > 2 && short[1] == '=':
			value, short = short[2:], ""
		case f.Kind == Bool:
			value, short = "true", short[1:]
		case len(short) > 1:
			value, short = short[1:], ""
		case len(rest) > 0:
			value, short, out = rest[0], "", rest[1:]
		default:
			return out, fmt.Errorf("flag needs an argument: %q in -%s", rune(c), short)
		}
		if err := p.set(f, value); err != nil {
			return out, err
		}
	}
	return out, nil
}

// lookup returns the first of flags that match accepts, or nil.
func lookup(flags []Flag, match func(*Flag) bool) *Flag {
	for i := range flags {
		if match(&flags[i]) {
			return &flags[i]
		}
	}
	return nil
}

// pflagRune is the character pflag names for the byte c in an unknown
// shorthand's error: it makes c a string (string(c), the UTF-8 encoding of
// U+0000-U+00FF) and quotes that string's first byte, so a byte from 0x80
// up, never a shorthand, is named 'Â' or 'Ã'.
func pflagRune(c byte) rune { return rune(string(rune(c))[0]) }
