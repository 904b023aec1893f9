// Solves ALTCHA challenges (PBKDF2/SHA-256) for the page, one part of a set at a time, with
// ALTCHA's own solver, reporting how many attempts it has made so the page can show progress.
import { pbkdf2, solveChallenge } from "altcha/lib";

self.onmessage = async (event) => {
  const { challenge, part } = event.data;
  let tried = 0;
  const deriveKey = (parameters, salt, password) => {
    tried += 1;
    if (tried % 8 === 0) self.postMessage({ part, tried: 8 });
    return pbkdf2.deriveKey(parameters, salt, password);
  };
  try {
    const solution = await solveChallenge({ challenge, deriveKey });
    self.postMessage(solution ? { part, solution } : { part, error: "no solution" });
  } catch (error) {
    self.postMessage({ part, error: String(error) });
  }
};
