// Ed25519 signing worker of the simulator's sign pool (plain ESM, node:crypto only, so it needs no tsx loader).
// Input: { id, buf, count } where buf packs items as [32-byte private seed][u32 LE length][message].
// Output: { id, sigs: Uint8Array } with the 64-byte signatures one after the other, in item order.
import { parentPort } from 'node:worker_threads';
import { createPrivateKey, sign } from 'node:crypto';

// PKCS#8 DER prefix of an ed25519 private key (RFC 8410 §7): the 32-byte seed follows.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const keys = new Map();

function keyObject(seed) {
  const id = seed.toString('hex');
  let k = keys.get(id);
  if (!k) {
    k = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
    keys.set(id, k);
  }
  return k;
}

parentPort.on('message', ({ id, buf, count }) => {
  const b = Buffer.from(buf);
  const sigs = new Uint8Array(count * 64);
  let off = 0;
  for (let i = 0; i < count; i++) {
    const seed = b.subarray(off, off + 32);
    const len = b.readUInt32LE(off + 32);
    const msg = b.subarray(off + 36, off + 36 + len);
    off += 36 + len;
    sigs.set(sign(null, msg, keyObject(seed)), i * 64);
  }
  parentPort.postMessage({ id, sigs }, [sigs.buffer]);
});
