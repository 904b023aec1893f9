// Receipt codes as people see them: made from the CSPRNG, written with a check character per
// group, read back. No cryptography beyond the random numbers, so the page can check a typed code
// without loading the rest. Specification: intake_function/schemas/RECEIPT.md (the Python side is
// intake_function/receipt.py; both are checked against receipt-vectors.json).
export const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const LENGTH = 20; // data characters: the secret
const GROUPS = 4;
const GROUP = 5; // data characters a group
const WRITTEN = LENGTH + GROUPS; // with one check character a group
const SEPARATORS = /[- ]+/g; // hyphens and spaces only, as the Python side
const trimSpaces = (text) => text.replace(/^ +| +$/g, "");

export class CodeError extends Error {
  /**
   * ``kind``: "length", "character", "check" or "swapped"; ``groups``: the groups (1-4) to look
   * at, possibly none for a length error. ``group`` is the first of them, or 0.
   */
  constructor(message, kind, groups = []) {
    super(message);
    this.kind = kind;
    this.groups = groups;
    this.group = groups[0] || 0;
  }
}

// GF(32) built on x^5 + x^2 + 1: a wrong character, two characters swapped or a group moved
// always changes the check character.
function multiply(a, b) {
  let product = 0;
  while (b) {
    if (b & 1) product ^= a;
    b >>= 1;
    a <<= 1;
    if (a & 32) a ^= 0b100101;
  }
  return product;
}

const power = (n) => Array.from({ length: n }).reduce((value) => multiply(value, 2), 1);
const WEIGHTS = [1, 2, 3, 4, 5].map(power); // character i of a group weighs x^i
const PLACES = [1, 2, 3, 4].map((g) => power(GROUP + g)); // a group in place g adds x^(5+g)

/** The check character of a group's five data characters in place ``place`` (1-4). */
export function checkCharacter(data, place) {
  let total = PLACES[place - 1];
  for (let i = 0; i < GROUP; i++) total ^= multiply(WEIGHTS[i], ALPHABET.indexOf(data[i]));
  return ALPHABET[total];
}

/** 100 bits from the browser's CSPRNG, written XXXXXC-XXXXXC-XXXXXC-XXXXXC. */
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

/** The written form of 20 data characters: four groups, each with its check character. */
export function format(compact) {
  const groups = [];
  for (let i = 0; i < LENGTH; i += GROUP) {
    const data = compact.slice(i, i + GROUP);
    groups.push(data + checkCharacter(data, groups.length + 1));
  }
  return groups.join("-");
}

/** The written code's groups, each of which must not be broken across lines. */
export function groupsOf(code) {
  return code.split("-").map((group, i, all) => (i < all.length - 1 ? `${group}-` : group));
}

const fits = (group, place) => checkCharacter(group.slice(0, GROUP), place) === group[GROUP];

/** When four groups were typed, those of a length no group has. */
function groupsOfWrongLength(text) {
  const typed = trimSpaces(text).split(SEPARATORS).filter(Boolean);
  if (typed.length !== GROUPS) return [];
  const usual = typed.some((g) => g.length === GROUP + 1) ? GROUP + 1 : GROUP;
  return typed.flatMap((group, i) => (group.length === usual ? [] : [i + 1]));
}

/**
 * The 20 data characters of a typed code (case, hyphens, spaces, O/I/L forgiven); a code with
 * check characters is checked group by group. CodeError says what is wrong and in which groups.
 */
export function normalise(text) {
  const cleaned = trimSpaces(text).toUpperCase().replace(SEPARATORS, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  if (cleaned.length !== LENGTH && cleaned.length !== WRITTEN) {
    throw new CodeError(`a receipt code has ${WRITTEN} characters, not ${cleaned.length}`, "length", groupsOfWrongLength(text));
  }
  const size = cleaned.length === WRITTEN ? GROUP + 1 : GROUP;
  for (let i = 0; i < cleaned.length; i++) {
    if (!ALPHABET.includes(cleaned[i])) {
      const group = Math.floor(i / size) + 1;
      throw new CodeError(`group ${group} holds "${cleaned[i]}"`, "character", [group]);
    }
  }
  if (size === GROUP) return cleaned;
  const groups = [0, 1, 2, 3].map((g) => cleaned.slice(g * size, g * size + size));
  const wrong = groups.flatMap((group, i) => (fits(group, i + 1) ? [] : [i + 1]));
  if (wrong.length === 2) {
    const [first, second] = wrong;
    if (fits(groups[first - 1], second) && fits(groups[second - 1], first)) {
      throw new CodeError(`groups ${first} and ${second} are swapped`, "swapped", wrong);
    }
  }
  if (wrong.length) throw new CodeError(`the check character of group ${wrong[0]} does not match`, "check", wrong);
  return groups.map((group) => group.slice(0, GROUP)).join("");
}
