package sigv4

import "sync"

// maxSigningKeys bounds a Verifier's cache of derived signing keys: one a
// credential, region and service per day, so a handful in practice.
const maxSigningKeys = 256

// signingKeys caches the signing keys a Verifier derives (signingKey), each
// ready for its HMACs (macKey): the four HMACs of the derivation depend on
// the secret and the credential scope only, not on the request. Safe for
// concurrent use; its zero value is empty. When it is full it starts again
// empty, which bounds it without bookkeeping: a new day, the usual reason
// for new keys, makes the old ones useless anyway.
type signingKeys struct {
	mu   sync.RWMutex
	keys map[keyScope]*macKey
}

// keyScope is what a signing key is derived from.
type keyScope struct{ secret, date, region, service string }

// get returns the signing key for secret and the scope, deriving it once.
func (c *signingKeys) get(secret, date, region, service string) *macKey {
	s := keyScope{secret, date, region, service}
	c.mu.RLock()
	k, ok := c.keys[s]
	c.mu.RUnlock()
	if ok {
		return k
	}
	k = newMACKey(signingKey(secret, date, region, service))
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.keys == nil || len(c.keys) >= maxSigningKeys {
		c.keys = make(map[keyScope]*macKey)
	}
	c.keys[s] = k
	return k
}
