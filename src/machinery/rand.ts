/**
 * Random and encoded names (upstream k8s.io/apimachinery/pkg/util/rand): the vowel-free
 * alphabet of generated names, so that no word is spelled by accident.
 */

/** upstream rand's alphanums: consonants and digits without 0, 1, 3 (look-alikes of o, l, e). */
export const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** `n` random characters of {@link SAFE_ALPHABET} (upstream rand.String), e.g. a generateName suffix. */
export const randomString = (n = 5): string => Array.from({ length: n }, () => SAFE_ALPHABET[Math.floor(Math.random() * SAFE_ALPHABET.length)]).join('');

/** Each character mapped into {@link SAFE_ALPHABET} (upstream rand.SafeEncodeString). */
export const safeEncodeString = (s: string): string => s.split('').map((c) => SAFE_ALPHABET[c.charCodeAt(0) % SAFE_ALPHABET.length]).join('');
