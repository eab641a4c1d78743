// Ed25519 verification worker (plain ESM, node:crypto only, so it needs no tsx loader).
// Input: { id, buf } where buf packs items as [32-byte public key][64-byte signature][u32 LE length][message].
// Output: { id, ok: Uint8Array } with 1 per valid signature.
import { parentPort } from 'node:worker_threads';
import { createPublicKey, verify } from 'node:crypto';

const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const keys = new Map();

function keyObject(raw) {
  const id = raw.toString('hex');
  let k = keys.get(id);
  if (!k) {
    k = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
    if (keys.size > 100000) keys.clear();
    keys.set(id, k);
  }
  return k;
}

parentPort.on('message', ({ id, buf, count }) => {
  const b = Buffer.from(buf);
  const ok = new Uint8Array(count);
  let off = 0;
  for (let i = 0; i < count; i++) {
    const key = b.subarray(off, off + 32);
    const sig = b.subarray(off + 32, off + 96);
    const len = b.readUInt32LE(off + 96);
    const msg = b.subarray(off + 100, off + 100 + len);
    off += 100 + len;
    try {
      ok[i] = verify(null, msg, keyObject(key), sig) ? 1 : 0;
    } catch {
      ok[i] = 0;
    }
  }
  parentPort.postMessage({ id, ok }, [ok.buffer]);
});
