// Proof-of-work: fetch a challenge and solve it in Web Workers, reporting progress.
import { send, withRetry } from "./net.js";

export async function solve(api, { onProgress, onWait, networkMessage }) {
  const challenge = await withRetry(
    () => send({ method: "GET", url: `${api}/challenge`, networkMessage }),
    onWait,
  );
  const max = challenge.parameters?.data?.max || 1000;
  const count = Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2));
  const workers = Array.from(
    { length: count },
    () => new Worker(new URL("./pow-worker.js", import.meta.url), { type: "module" }),
  );
  let tried = 0;
  try {
    const solution = await new Promise((resolve, reject) => {
      workers.forEach((worker, index) => {
        worker.onmessage = ({ data }) => {
          if (data.tried) {
            tried += data.tried;
            onProgress?.(progressOf(tried, max));
          } else if (data.solution) {
            resolve(data.solution);
          } else if (data.error || data.solution === null) {
            reject(new Error(data.error || "no solution"));
          }
        };
        worker.onerror = (e) => reject(new Error(e.message));
        worker.postMessage({ challenge, start: index, step: count });
      });
    });
    onProgress?.(1);
    return btoa(JSON.stringify({ challenge, solution }));
  } finally {
    workers.forEach((w) => w.terminate());
  }
}

/**
 * How far along a search is, for the bar. The answer is equally likely anywhere below ``max``, so
 * after ``tried`` attempts the expected total is (tried + max) / 2: the bar shows the share of that
 * already done. It moves at once and steadily, never stalls, and is at two thirds when half the
 * range is searched (the median), instead of crawling towards the worst case and jumping from
 * wherever the answer happens to be.
 */
export function progressOf(tried, max) {
  return Math.min(0.99, (2 * tried) / (tried + max));
}
