import { createHash } from 'crypto';

/** A construct id fragment from a free-form name (group names may hold any printable character). */
export function constructIdFor(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9]/g, '');
  const pascal = cleaned.charAt(0).toUpperCase() + cleaned.slice(1);
  return pascal === name.charAt(0).toUpperCase() + name.slice(1) ? pascal : `${pascal}${hashOf(name)}`;
}

function hashOf(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 8);
}
