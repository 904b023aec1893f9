// Proof-of-work: fetch a challenge set and solve its parts in Web Workers, reporting progress.
// The set and its solution are described in intake_function/proof.py (new_challenge, encode_solution).
import { send, withRetry } from "./net.js";

export async function solve(api, { onProgress, onWait, networkMessage }) {
  const { parts } = await withRetry(
    () => send({ method: "GET", url: `${api}/challenge`, networkMessage }),
    onWait,
  );
  const count = Math.max(1, Math.min(4, parts.length, navigator.hardwareConcurrency || 2));
  const workers = Array.from(
    { length: count },
    () => new Worker(new URL("./pow-worker.js", import.meta.url), { type: "module" }),
  );
  const tried = parts.map(() => 0);
  const solutions = parts.map(() => null);
  const show = () =>
    onProgress?.(setProgress(parts.map((c, i) => [solutions[i] !== null, tried[i], c.parameters?.data?.max || 1000])));
  try {
    await new Promise((resolve, reject) => {
      let next = 0;
      let left = parts.length;
      // A queue: each idle worker takes the next part nobody has started.
      const give = (worker) => {
        if (next < parts.length) worker.postMessage({ challenge: parts[next], part: next++ });
      };
      for (const worker of workers) {
        worker.onmessage = ({ data }) => {
          if (data.tried) {
            tried[data.part] += data.tried;
            show();
          } else if (data.solution) {
            solutions[data.part] = data.solution;
            show();
            if (--left === 0) resolve();
            else give(worker);
          } else {
            reject(new Error(data.error || "no solution"));
          }
        };
        worker.onerror = (e) => reject(new Error(e.message));
        give(worker);
      }
    });
    onProgress?.(1);
    return encodeSolution(parts, solutions);
  } finally {
    workers.forEach((w) => w.terminate());
  }
}

// What differs between the parts of a set; everything else they share and is sent once.
const PART_PARAMETERS = ["nonce", "salt", "keyPrefix", "keySignature"];

/** The X-Altcha value of a solved set: the document proof.encode_solution writes, base64. */
export function encodeSolution(parts, solutions) {
  const { data, ...rest } = parts[0].parameters;
  const shared = Object.fromEntries(Object.entries(rest).filter(([key]) => !PART_PARAMETERS.includes(key)));
  const { part, ...setData } = data;
  return btoa(
    JSON.stringify({
      parameters: { ...shared, data: setData },
      parts: parts.map((challenge, i) => ({
        ...Object.fromEntries(PART_PARAMETERS.map((key) => [key, challenge.parameters[key]])),
        signature: challenge.signature,
        counter: solutions[i].counter,
        derivedKey: solutions[i].derivedKey,
      })),
    }),
  );
}

/**
 * How far along a set is, for the bar: the mean over its parts, a solved part counting 1 and one
 * being searched ``progressOf`` its attempts. So the bar moves from the first attempts on, never
 * goes back, and no step is larger than one part's share: it ends at 1 with the last part.
 * ``parts``: [solved, tried, max] per part.
 */
export function setProgress(parts) {
  return parts.reduce((sum, [solved, tried, max]) => sum + (solved ? 1 : progressOf(tried, max)), 0) / parts.length;
}

/**
 * How far along one part's search is. The answer is equally likely anywhere below ``max``, so
 * after ``tried`` attempts the expected total is (tried + max) / 2: this is the share of that
 * already done. It moves at once and steadily, and is at two thirds when half the range is
 * searched (the median); the jump when the answer is found is what is left of the part's share.
 */
export function progressOf(tried, max) {
  return Math.min(0.99, (2 * tried) / (tried + max));
}
