// Sending one document (a report or a follow-up) the way every page does: files encrypted
// as streams and uploaded to their slots, then the document, padded and encrypted, posted
// with the proof-of-work or the upload ticket. Retries never re-encrypt.
import { encryptBytes, encryptFile } from "./encrypt.js";
import { Failure, send, withRetry } from "./net.js";
import { solve } from "./pow.js";
import { normaliseText, padded } from "./report-json.js";

const MEDIA_TYPE = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+$/;

/**
 * Send ``document`` with ``files``. ``sealedFiles`` is an array the caller keeps between
 * attempts: files encrypted once are not encrypted again when the reporter retries.
 */
export async function sendDocument({ api, recipients, document, files, sealedFiles, progress, t }) {
  const waiting = (seconds) => progress(t.offline(seconds), 0, t.offlineDetail);
  const proofOfWork = () => {
    progress(t.pow, 0, t.powDetail);
    return solve(api, { onProgress: (f) => progress(t.pow, f, t.powDetail), onWait: waiting, networkMessage: t.network });
  };
  for (const [index, file] of files.entries()) {
    if (sealedFiles[index]?.file === file) continue;
    const sealed = await encryptFile(file, recipients, (f) => progress(t.encryptingFile(index + 1, files.length), f, file.name));
    sealedFiles[index] = { file, ...sealed };
  }
  sealedFiles.length = files.length;

  let credential;
  const references = [];
  if (files.length) {
    let altcha = await proofOfWork();
    const ask = () =>
      send({
        method: "POST",
        url: `${api}/uploads`,
        body: JSON.stringify({ files: sealedFiles.map((s) => ({ size: s.blob.size })) }),
        headers: { "Content-Type": "application/json", "X-Altcha": altcha },
        networkMessage: t.network,
      });
    let granted = await withRetry(ask, waiting);
    for (const [index, sealed] of sealedFiles.entries()) {
      const label = t.uploading(index + 1, sealedFiles.length);
      const put = () => upload(granted.slots[index], sealed.blob, (f) => progress(label, f, sealed.file.name), t);
      try {
        await withRetry(put, waiting);
      } catch (error) {
        if (!(error instanceof Failure) || !/expired|token|http_403/.test(error.code)) throw error;
        altcha = await proofOfWork(); // the slot expired before its turn: ask for fresh slots once
        granted = await withRetry(ask, waiting);
        await withRetry(put, waiting);
      }
      references.push({
        key: granted.slots[index].key,
        name: sealed.file.name.normalize("NFC").slice(0, 255) || "tep",
        type: MEDIA_TYPE.test(sealed.file.type) ? sealed.file.type : "application/octet-stream",
        size: sealed.size,
        sha256: sealed.sha256,
      });
    }
    credential = { "X-Upload-Ticket": granted.ticket };
  } else {
    credential = { "X-Altcha": await proofOfWork() };
  }
  progress(t.sending, 0.5);
  const full = normaliseText(document);
  if (references.length) full.attachments = references;
  // Encrypted once; every retry below sends these same bytes.
  const body = new Blob([await encryptBytes(padded(full), recipients)], { type: "application/octet-stream" });
  const answer = await withRetry(
    () =>
      send({
        method: "POST",
        url: `${api}/submissions`,
        body,
        headers: { "Content-Type": "application/octet-stream", ...credential },
        onProgress: (f) => progress(t.sending, 0.5 + f / 2),
        networkMessage: t.network,
      }),
    waiting,
  );
  progress(t.done, 1);
  return answer;
}

function upload(slot, blob, onProgress, t) {
  if (slot.method === "POST") {
    const data = new FormData();
    for (const [name, value] of Object.entries(slot.fields || {})) data.append(name, value);
    data.append("file", blob);
    return send({ method: "POST", url: slot.url, body: data, onProgress, networkMessage: t.network });
  }
  return send({ method: "PUT", url: slot.url, body: blob, headers: slot.headers || {}, onProgress, networkMessage: t.network });
}
