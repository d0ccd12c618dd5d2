package sigv4

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
)

// macKey is a key for HMAC-SHA256 (RFC 2104) with the hash states after its
// inner and its outer pad computed once. A MAC with it hashes the message
// and the inner sum only: two blocks fewer than crypto/hmac, which hashes
// the pads again for every message, and no pads to allocate. A signing key
// is one, kept by a Verifier for the day (signingKeys). Safe for concurrent
// use: a MAC works on clones of the states.
type macKey struct{ inner, outer hash.Cloner }

func newMACKey(key []byte) *macKey {
	if len(key) > sha256.BlockSize {
		s := sha256.Sum256(key)
		key = s[:]
	}
	var pad [sha256.BlockSize]byte
	copy(pad[:], key)
	for i := range pad {
		pad[i] ^= 0x36
	}
	inner := sha256.New()
	inner.Write(pad[:])
	for i := range pad {
		pad[i] ^= 0x36 ^ 0x5c
	}
	outer := sha256.New()
	outer.Write(pad[:])
	// sha256.New's digest is a hash.Cloner (Go 1.25).
	return &macKey{inner.(hash.Cloner), outer.(hash.Cloner)}
}

// sum is the HMAC of data.
func (k *macKey) sum(data string) [sha256.Size]byte {
	var s [sha256.Size]byte
	h, _ := k.inner.Clone() // a sha256 digest's Clone does not fail
	h.Write([]byte(data))
	h.Sum(s[:0])
	h, _ = k.outer.Clone()
	h.Write(s[:])
	h.Sum(s[:0])
	return s
}

// hex is the HMAC of data in lower-case hex: a signature, when data is a
// string to sign.
func (k *macKey) hex(data string) string {
	s := k.sum(data)
	var x [2 * sha256.Size]byte
	hex.Encode(x[:], s[:])
	return string(x[:])
}
