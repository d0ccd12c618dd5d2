package vtl

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Java's String.toUpperCase and toLowerCase map some characters to more
// than one (Unicode's SpecialCasing, which Go's unicode.ToUpper leaves
// out): "ß" is "SS" in upper case, "ﬁ" is "FI", "İ" is "i̇" in lower case,
// and a Σ that ends a word is "ς". Every other character maps as in Go
// (both follow UnicodeData; only characters newer than the JDK's Unicode
// differ).

// javaUpper is String.toUpperCase() (the root locale's rules, as an en_US
// JVM's).
func javaUpper(s string) string {
	if isASCII(s) {
		return strings.ToUpper(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if m, ok := upperSpecial[r]; ok {
			b.WriteString(m)
		} else {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

// javaLower is String.toLowerCase(), with SpecialCasing's İ and final
// sigma.
func javaLower(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		switch {
		case r == 'İ':
			b.WriteString("i\u0307")
		case r == 'Σ' && finalSigma(s, i):
			b.WriteRune('ς')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// finalSigma is SpecialCasing's Final_Sigma condition at the Σ at byte i
// of s, as Java's ConditionalSpecialCasing tests it: a cased letter before
// it in its word and none after it.
func finalSigma(s string, i int) bool {
	for j := i; j > 0; {
		r, size := utf8.DecodeLastRuneInString(s[:j])
		if !inWord(r) {
			return false
		}
		if isCased(r) {
			for k := i + len("Σ"); k < len(s); {
				r, size := utf8.DecodeRuneInString(s[k:])
				if !inWord(r) {
					break
				}
				if isCased(r) {
					return false
				}
				k += size
			}
			return true
		}
		j -= size
	}
	return false
}

// inWord is a character that the JDK's word BreakIterator does not
// separate from the letters around it, as far as JDK 17 shows for the ASCII
// punctuation and a few others: letters, marks, digits, . - _ ' " U+2010
// and U+200B.
func inWord(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r) || strings.ContainsRune(".-_'\"\u2010\u200b", r)
}

func isCased(r rune) bool { return unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r) }

// upperSpecial is the characters whose upper case is more than one
// character, from the JDK 17's String.toUpperCase of each code point.
var upperSpecial = map[rune]string{
	0x00DF: "\u0053\u0053",
	0x0149: "\u02BC\u004E",
	0x01F0: "\u004A\u030C",
	0x0390: "\u0399\u0308\u0301",
	0x03B0: "\u03A5\u0308\u0301",
	0x0587: "\u0535\u0552",
	0x1E96: "\u0048\u0331",
	0x1E97: "\u0054\u0308",
	0x1E98: "\u0057\u030A",
	0x1E99: "\u0059\u030A",
	0x1E9A: "\u0041\u02BE",
	0x1F50: "\u03A5\u0313",
	0x1F52: "\u03A5\u0313\u0300",
	0x1F54: "\u03A5\u0313\u0301",
	0x1F56: "\u03A5\u0313\u0342",
	0x1F80: "\u1F08\u0399",
	0x1F81: "\u1F09\u0399",
	0x1F82: "\u1F0A\u0399",
	0x1F83: "\u1F0B\u0399",
	0x1F84: "\u1F0C\u0399",
	0x1F85: "\u1F0D\u0399",
	0x1F86: "\u1F0E\u0399",
	0x1F87: "\u1F0F\u0399",
	0x1F88: "\u1F08\u0399",
	0x1F89: "\u1F09\u0399",
	0x1F8A: "\u1F0A\u0399",
	0x1F8B: "\u1F0B\u0399",
	0x1F8C: "\u1F0C\u0399",
	0x1F8D: "\u1F0D\u0399",
	0x1F8E: "\u1F0E\u0399",
	0x1F8F: "\u1F0F\u0399",
	0x1F90: "\u1F28\u0399",
	0x1F91: "\u1F29\u0399",
	0x1F92: "\u1F2A\u0399",
	0x1F93: "\u1F2B\u0399",
	0x1F94: "\u1F2C\u0399",
	0x1F95: "\u1F2D\u0399",
	0x1F96: "\u1F2E\u0399",
	0x1F97: "\u1F2F\u0399",
	0x1F98: "\u1F28\u0399",
	0x1F99: "\u1F29\u0399",
	0x1F9A: "\u1F2A\u0399",
	0x1F9B: "\u1F2B\u0399",
	0x1F9C: "\u1F2C\u0399",
	0x1F9D: "\u1F2D\u0399",
	0x1F9E: "\u1F2E\u0399",
	0x1F9F: "\u1F2F\u0399",
	0x1FA0: "\u1F68\u0399",
	0x1FA1: "\u1F69\u0399",
	0x1FA2: "\u1F6A\u0399",
	0x1FA3: "\u1F6B\u0399",
	0x1FA4: "\u1F6C\u0399",
	0x1FA5: "\u1F6D\u0399",
	0x1FA6: "\u1F6E\u0399",
	0x1FA7: "\u1F6F\u0399",
	0x1FA8: "\u1F68\u0399",
	0x1FA9: "\u1F69\u0399",
	0x1FAA: "\u1F6A\u0399",
	0x1FAB: "\u1F6B\u0399",
	0x1FAC: "\u1F6C\u0399",
	0x1FAD: "\u1F6D\u0399",
	0x1FAE: "\u1F6E\u0399",
	0x1FAF: "\u1F6F\u0399",
	0x1FB2: "\u1FBA\u0399",
	0x1FB3: "\u0391\u0399",
	0x1FB4: "\u0386\u0399",
	0x1FB6: "\u0391\u0342",
	0x1FB7: "\u0391\u0342\u0399",
	0x1FBC: "\u0391\u0399",
	0x1FC2: "\u1FCA\u0399",
	0x1FC3: "\u0397\u0399",
	0x1FC4: "\u0389\u0399",
	0x1FC6: "\u0397\u0342",
	0x1FC7: "\u0397\u0342\u0399",
	0x1FCC: "\u0397\u0399",
	0x1FD2: "\u0399\u0308\u0300",
	0x1FD3: "\u0399\u0308\u0301",
	0x1FD6: "\u0399\u0342",
	0x1FD7: "\u0399\u0308\u0342",
	0x1FE2: "\u03A5\u0308\u0300",
	0x1FE3: "\u03A5\u0308\u0301",
	0x1FE4: "\u03A1\u0313",
	0x1FE6: "\u03A5\u0342",
	0x1FE7: "\u03A5\u0308\u0342",
	0x1FF2: "\u1FFA\u0399",
	0x1FF3: "\u03A9\u0399",
	0x1FF4: "\u038F\u0399",
	0x1FF6: "\u03A9\u0342",
	0x1FF7: "\u03A9\u0342\u0399",
	0x1FFC: "\u03A9\u0399",
	0xFB00: "\u0046\u0046",
	0xFB01: "\u0046\u0049",
	0xFB02: "\u0046\u004C",
	0xFB03: "\u0046\u0046\u0049",
	0xFB04: "\u0046\u0046\u004C",
	0xFB05: "\u0053\u0054",
	0xFB06: "\u0053\u0054",
	0xFB13: "\u0544\u0546",
	0xFB14: "\u0544\u0535",
	0xFB15: "\u0544\u053B",
	0xFB16: "\u054E\u0546",
	0xFB17: "\u0544\u053D",
}

// equalsIgnoreCase is String.equalsIgnoreCase(arg): UTF-16 units equal
// as they are, in upper case or in the lower case of their upper case (so
// "ı" equals "I", "ß" does not equal "SS"). It takes a String or null
// only: Velocity finds no method for another argument.
func equalsIgnoreCase(s string, arg any) (any, bool, error) {
	t, ok := arg.(string)
	if !ok {
		return false, arg == nil, nil
	}
	if eq, ok := asciiEqualFold(s, t); ok {
		return eq, true, nil
	}
	return javaCompareIgnoreCase(s, t) == 0, true, nil
}

// asciiEqualFold is equalsIgnoreCase for what ASCII decides: the strings
// up to where they first differ, or up to the end of the shorter one, are
// ASCII. Two ASCII characters are equal ignoring case only as ASCII letters
// are; and past the end of a shorter ASCII string the other has more UTF-16
// units. ok is false when a non-ASCII byte comes first: Java's rules then
// decide (javaCompareIgnoreCase).
func asciiEqualFold(s, t string) (eq, ok bool) {
	for i := 0; i < len(s) && i < len(t); i++ {
		a, b := s[i], t[i]
		if a|b >= utf8.RuneSelf {
			return false, false
		}
		if a == b {
			continue
		}
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if a != b {
			return false, true
		}
	}
	return len(s) == len(t), true
}
