import { tokensIn } from './directory-facts';

/*
 * Cuts a string that may hold deploy-time values (CDK tokens) into parts whose deployed length
 * stays within a limit: literal text is cut anywhere (never inside a UTF-16 surrogate pair), a
 * token is never cut and counts at its longest deployed length. Joining the deployed parts in
 * order gives the deployed string back.
 */

type Piece = { readonly literal: string } | { readonly token: string };

/**
 * The parts of `value`, each at most `maxLength` characters once deployed.
 *
 * @param lengthOf the longest deployed length of an encoded token (`${Token[...]}`)
 */
export function splitParts(value: string, maxLength: number, lengthOf: (token: string) => number): string[] {
  const parts: string[] = [];
  let current = '';
  let used = 0;
  const flush = () => {
    parts.push(current);
    current = '';
    used = 0;
  };
  for (const piece of piecesOf(value)) {
    if ('token' in piece) {
      const length = lengthOf(piece.token);
      if (length > maxLength) {
        throw new Error(`a deploy-time value may be ${length} characters long, more than one part (${maxLength}) holds`);
      }
      if (used + length > maxLength) {
        flush();
      }
      current += piece.token;
      used += length;
      continue;
    }
    let text = piece.literal;
    while (text.length > 0) {
      if (used === maxLength) {
        flush();
      }
      let take = Math.min(text.length, maxLength - used);
      if (take < text.length && isHighSurrogate(text.charCodeAt(take - 1))) {
        take -= 1; // keep a surrogate pair together
      }
      if (take === 0) {
        flush();
        continue;
      }
      current += text.slice(0, take);
      used += take;
      text = text.slice(take);
    }
  }
  if (current.length > 0 || parts.length === 0) {
    parts.push(current);
  }
  return parts;
}

/** Literal text and encoded tokens, in order. */
function piecesOf(value: string): Piece[] {
  const pieces: Piece[] = [];
  let rest = value;
  for (const token of tokensIn(value)) {
    const at = rest.indexOf(token);
    if (at > 0) {
      pieces.push({ literal: rest.slice(0, at) });
    }
    pieces.push({ token });
    rest = rest.slice(at + token.length);
  }
  if (rest.length > 0) {
    pieces.push({ literal: rest });
  }
  return pieces;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
