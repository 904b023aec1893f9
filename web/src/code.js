// Receipt codes as people see them: made from the CSPRNG, formatted, read back. No cryptography
// beyond the random numbers, so the page can check a typed code without loading the rest.
// Specification: intake_function/schemas/RECEIPT.md.
export const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const LENGTH = 20;
const GROUP = 5;

export class CodeError extends Error {
  constructor(message, group) {
    super(message);
    this.group = group; // 1-4, or 0 when the length is wrong
  }
}

/** 100 bits from the browser's CSPRNG, as XXXXX-XXXXX-XXXXX-XXXXX. */
export function newCode() {
  const bytes = crypto.getRandomValues(new Uint8Array(13)); // 104 bits, the last 4 dropped
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  value >>= 4n;
  let chars = "";
  for (let i = 0; i < LENGTH; i++) {
    chars = ALPHABET[Number(value & 31n)] + chars;
    value >>= 5n;
  }
  return format(chars);
}

export function format(compact) {
  const groups = [];
  for (let i = 0; i < LENGTH; i += GROUP) groups.push(compact.slice(i, i + GROUP));
  return groups.join("-");
}

/** The 20 canonical characters of a typed code; CodeError names the group that is wrong. */
export function normalise(text) {
  const cleaned = text.trim().toUpperCase().replace(/[-\s]/g, "")
    .replace(/O/g, "0").replace(/[IL]/g, "1");
  if (cleaned.length !== LENGTH) {
    throw new CodeError(`a receipt code has ${LENGTH} characters, not ${cleaned.length}`, 0);
  }
  for (let i = 0; i < LENGTH; i++) {
    if (!ALPHABET.includes(cleaned[i])) {
      throw new CodeError(`group ${Math.floor(i / GROUP) + 1} holds "${cleaned[i]}"`, Math.floor(i / GROUP) + 1);
    }
  }
  return cleaned;
}
