// Requests that survive a flaky rural network: retried with backoff, never re-encrypted,
// and always ending in a plain message for the reporter.

export class Failure extends Error {
  /** A refusal the reporter must act on (bad input, expired session): not retried. */
  constructor(message, code, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

class Retryable extends Error {}

const DELAYS = [1, 2, 4, 8, 15, 30, 30, 30, 30, 30, 60, 60]; // seconds, about 5 minutes in all

function wait(seconds, onWait) {
  return new Promise((resolve) => {
    let left = seconds;
    onWait?.(left);
    const tick = setInterval(() => {
      left -= 1;
      if (left <= 0 || navigator.onLine === false) return;
      onWait?.(left);
    }, 1000);
    const done = () => {
      clearInterval(tick);
      window.removeEventListener("online", early);
      resolve();
    };
    const early = () => setTimeout(done, 500);
    window.addEventListener("online", early);
    setTimeout(done, seconds * 1000);
  });
}

/** Run ``attempt`` until it succeeds, retrying network failures and 5xx answers with backoff. */
export async function withRetry(attempt, onWait) {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof Retryable) || i >= DELAYS.length) {
        throw error instanceof Retryable ? new Failure(error.message, "network", 0) : error;
      }
      await wait(DELAYS[i], onWait);
    }
  }
}

/**
 * One HTTP request with XMLHttpRequest (which, unlike fetch, reports upload progress).
 * Resolves with the parsed JSON body on 2xx; rejects with Retryable or Failure.
 */
export function send({ method, url, body = null, headers = {}, onProgress, networkMessage }) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    if (onProgress) xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new Retryable(networkMessage));
    xhr.ontimeout = () => reject(new Retryable(networkMessage));
    xhr.onload = () => {
      let parsed = null;
      try {
        parsed = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        parsed = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(parsed);
      if (xhr.status >= 500 || xhr.status === 408) return reject(new Retryable(parsed?.message || networkMessage));
      reject(new Failure(parsed?.message || networkMessage, parsed?.error || `http_${xhr.status}`, xhr.status));
    };
    xhr.send(body);
  });
}
