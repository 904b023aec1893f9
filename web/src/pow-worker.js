// Solves an ALTCHA challenge (PBKDF2/SHA-256) for the page, with ALTCHA's own
// solver, reporting how many attempts it has made so the page can show progress.
import { pbkdf2, solveChallenge } from "altcha/lib";

self.onmessage = async (event) => {
  const { challenge, start, step } = event.data;
  let tried = 0;
  const deriveKey = (parameters, salt, password) => {
    tried += 1;
    if (tried % 8 === 0) self.postMessage({ tried: 8 });
    return pbkdf2.deriveKey(parameters, salt, password);
  };
  try {
    const solution = await solveChallenge({ challenge, counterStart: start, counterStep: step, deriveKey });
    self.postMessage({ solution });
  } catch (error) {
    self.postMessage({ error: String(error) });
  }
};
