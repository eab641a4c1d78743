/**
 * Encoded tiles kept until the data under them changes (docs/api.md "Vector tiles, caching"): one entry
 * per layer/z/x/y with its bytes and ETag, least recently used dropped first past a byte budget.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export interface CachedTile {
  body: Buffer;
  /** Strong ETag (RFC 9110 §8.8.3) of the bytes: the same tile content always has the same tag. */
  etag: string;
  /** The body gzipped (RFC 9110 §8.4.1.3), or null when that is not smaller; its own ETag (another representation). */
  gzip: { body: Buffer; etag: string } | null;
}

/** Tiles smaller than this are sent as they are (gzip's header and trailer are 18 bytes; little to gain). */
const GZIP_MIN_BYTES = 512;

/** The ETag of a tile body: a quoted SHA-256 prefix (22 base64url characters = 132 bits). */
export function tileEtag(body: Uint8Array): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
}

const size = (e: CachedTile) => e.body.byteLength + (e.gzip?.body.byteLength ?? 0);

export const tileKey = (layer: string, z: number, x: number, y: number) => `${layer}/${z}/${x}/${y}`;

export class TileCache {
  private readonly entries = new Map<string, CachedTile>();
  private bytes = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  get(key: string): CachedTile | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      // most recently used last (Map keeps insertion order)
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, body: Uint8Array): CachedTile {
    this.delete(key);
    const etag = tileEtag(body);
    let gzip: CachedTile['gzip'] = null;
    if (body.byteLength >= GZIP_MIN_BYTES) {
      // level 6, zlib's default: a 100 kB tile in about a millisecond
      const gz = gzipSync(body);
      if (gz.byteLength < body.byteLength) gzip = { body: gz, etag: `${etag.slice(0, -1)}-gz"` };
    }
    const entry = { body: Buffer.from(body.buffer, body.byteOffset, body.byteLength), etag, gzip };
    this.entries.set(key, entry);
    this.bytes += size(entry) + key.length;
    for (const k of this.entries.keys()) {
      if (this.bytes <= this.maxBytes) break;
      this.delete(k);
    }
    return entry;
  }

  delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.bytes -= size(e) + key.length;
  }

  /** Drop every cached tile whose key passes `test` (keys are `layer/z/x/y`). */
  deleteWhere(test: (key: string) => boolean): number {
    let n = 0;
    for (const k of [...this.entries.keys()]) {
      if (test(k)) {
        this.delete(k);
        n++;
      }
    }
    return n;
  }

  get size(): number {
    return this.entries.size;
  }
}
