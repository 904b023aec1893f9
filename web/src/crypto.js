// The heavy half of the pages (age encryption, HKDF, the proof-of-work), loaded on demand: when
// the reporter starts filling a form, or at the latest when the button is pressed. The page itself
// opens with only its small controller.
export { Decrypter } from "age-encryption";
export { derive } from "./receipt.js";
export { sendDocument } from "./send.js";
