// Serialising a report/1 document exactly as intake_function/report.py does:
// compact JSON, UTF-8, NFC text, and a "pad" of spaces up to a size bucket.
const BUCKETS = Array.from({ length: 9 }, (_, i) => 1024 << i);
const encoder = new TextEncoder();

export function normaliseText(value) {
  if (typeof value === "string") return value.normalize("NFC");
  if (Array.isArray(value)) return value.map(normaliseText);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normaliseText(v)]));
  }
  return value;
}

/** The padded plaintext of a report, as bytes. */
export function padded(document) {
  const bare = { ...document };
  delete bare.pad;
  const bareBytes = encoder.encode(JSON.stringify(bare)).length;
  const overhead = Object.keys(bare).length ? ',"pad":""'.length : '"pad":""'.length;
  for (const bucket of BUCKETS) {
    const filler = bucket - bareBytes - overhead;
    if (filler >= 0) return encoder.encode(JSON.stringify({ ...bare, pad: " ".repeat(filler) }));
  }
  return encoder.encode(JSON.stringify(bare));
}
