// Encryption in the page: age v1 to the Office's recipients (typage): hybrid post-quantum keys
// (ML-KEM-768 + X25519, "age1pq1..."), or X25519 keys ("age1...") before the Office moves to them.
import { Encrypter } from "age-encryption";
import { sha256 } from "@noble/hashes/sha2.js";

const SPILL = 4 * 1024 * 1024; // gather output into Blobs this big, which the browser may keep on disk

function encrypterFor(recipients) {
  // A file encrypted to an X25519 key as well is no safer than that key: the kinds are never mixed
  // (the site's build refuses such a list; this guards a page edited by hand).
  const hybrid = recipients.filter((r) => r.startsWith("age1pq1")).length;
  if (hybrid && hybrid !== recipients.length) throw new Error("hybrid and X25519 recipients cannot be mixed");
  const encrypter = new Encrypter();
  for (const recipient of recipients) encrypter.addRecipient(recipient);
  return encrypter;
}

export function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Encrypt a File as a stream; return the envelope as a Blob with its SHA-256 and sizes. */
export async function encryptFile(file, recipients, onProgress) {
  let read = 0;
  const counted = file.stream().pipeThrough(
    new TransformStream({
      transform(chunk, controller) {
        read += chunk.length;
        onProgress?.(file.size ? read / file.size : 1);
        controller.enqueue(chunk);
      },
    }),
  );
  const sealed = await encrypterFor(recipients).encrypt(counted);
  const reader = sealed.getReader();
  const hash = sha256.create();
  const blobs = [];
  let pending = [];
  let pendingBytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    hash.update(value);
    pending.push(value);
    pendingBytes += value.length;
    if (pendingBytes >= SPILL) {
      blobs.push(new Blob(pending));
      pending = [];
      pendingBytes = 0;
    }
  }
  blobs.push(new Blob(pending));
  const blob = new Blob(blobs, { type: "application/octet-stream" });
  return { blob, sha256: hex(hash.digest()), size: file.size };
}

/** Encrypt bytes (the report) in one go. */
export function encryptBytes(bytes, recipients) {
  return encrypterFor(recipients).encrypt(bytes);
}
