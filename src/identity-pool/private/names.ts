/** A construct-id-safe form of a free-form name: the name itself when safe, else cleaned plus a hash. */
export function safeName(name: string): string {
  if (/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
    return name;
  }
  const cleaned = name.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 48);
  return `${cleaned}${cleaned === '' ? '' : '-'}${hashOf(name)}`;
}

/** A short, stable hash of a string (8 hex digits), to keep construct ids apart. */
export function hashOf(value: string): string {
  let hash = 0;
  for (const ch of value) {
    hash = (hash * 31 + ch.codePointAt(0)!) % 4294967296;
  }
  return hash.toString(16).padStart(8, '0');
}
