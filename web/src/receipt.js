// Receipt codes and what is derived from them: the JavaScript side of
// intake_function/schemas/RECEIPT.md, checked against receipt-vectors.json.
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bech32 } from "@scure/base";
import { identityToRecipient } from "age-encryption";
import { normalise } from "./code.js";

export { ALPHABET, CodeError, checkCharacter, format, newCode, normalise } from "./code.js";

const encoder = new TextEncoder();
const SALT = encoder.encode("bqlkkt-angiang/receipt/v1");

function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Everything a code yields: the lookup id, the reply identity and its recipient, the follow-up
 * proof (sent only inside a follow-up's envelope) and its commitment (only inside the report's).
 */
export async function derive(code) {
  const ikm = encoder.encode(normalise(code));
  const lookupId = hex(hkdf(sha256, ikm, SALT, encoder.encode("lookup-id"), 16));
  const secret = hkdf(sha256, ikm, SALT, encoder.encode("reply-identity"), 32);
  const replyIdentity = bech32.encode("age-secret-key-", bech32.toWords(secret), false).toUpperCase();
  const replyRecipient = await identityToRecipient(replyIdentity);
  const proof = hkdf(sha256, ikm, SALT, encoder.encode("followup-proof"), 32);
  return { lookupId, replyIdentity, replyRecipient, followupProof: hex(proof), followupCommitment: hex(sha256(proof)) };
}
