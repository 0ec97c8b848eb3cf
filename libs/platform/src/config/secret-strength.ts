/** Values that shipped in examples and compose files: anyone who read them knows them. */
const KNOWN_DEFAULTS = new Set(['lesionlab', 'postgres', 'password', 'secret', 'changeme', 'admin', 'minioadmin', 'test-signing-secret-0123456789abcdef']);

/** Bits a production secret must carry: 32 bytes, what `openssl rand -hex 32` gives. */
export const SECRET_MIN_BITS = 256;

/**
 * An upper estimate of a secret's entropy in bits: length × log2(size of the alphabet it draws from).
 * The alphabet is the one the value actually uses: 16 when every character is a hex digit (the usual
 * form of generated secrets), otherwise the sum of the character classes present (26 lower-case, 26
 * upper-case, 10 digits, 33 ASCII punctuation and space, and each other character counted once). A
 * random string reaches the estimate; a word or a pattern scores far lower in truth, which is why
 * known defaults and repetitions are refused separately, before this estimate is consulted.
 */
export function estimatedEntropyBits(value: string): number {
  const chars = [...value];
  if (chars.length === 0) return 0;
  let alphabet: number;
  if (/^[0-9a-f]+$/.test(value) || /^[0-9A-F]+$/.test(value)) alphabet = 16;
  else {
    alphabet = 0;
    if (/[a-z]/.test(value)) alphabet += 26;
    if (/[A-Z]/.test(value)) alphabet += 26;
    if (/[0-9]/.test(value)) alphabet += 10;
    if (/[ -/:-@[-`{-~]/.test(value)) alphabet += 33;
    alphabet += new Set(chars.filter((c) => c > '~')).size;
  }
  return Math.floor(chars.length * Math.log2(Math.max(alphabet, 2)));
}

/** Why a secret must not be used in production, or null when it passes. Never quotes the value. */
export function weakSecretReason(value: string, minBits: number = SECRET_MIN_BITS): string | null {
  const normalised = value.trim().toLowerCase();
  if (KNOWN_DEFAULTS.has(normalised) || normalised.startsWith('change-me') || normalised.startsWith('changeme')) {
    return 'is a known default value: generate one, e.g. `openssl rand -hex 32`';
  }
  if (/^(.+?)\1+$/s.test(value)) return 'is one character or pattern repeated: generate one, e.g. `openssl rand -hex 32`';
  const bits = estimatedEntropyBits(value);
  if (bits < minBits) return `carries about ${bits} bits of entropy, fewer than the ${minBits} required: generate one, e.g. \`openssl rand -hex 32\``;
  return null;
}

/** The password part of a postgres:// URL, or undefined when it has none. */
export function passwordOfUrl(value: string): string | undefined {
  try {
    const password = new URL(value).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}
