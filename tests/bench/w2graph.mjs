// w2graph.mjs — the W2 graphs (workloads.md W2.1): generation with splitmix64,
// the W2G1 file format and the spec's verification table (E and md5 for the
// 12 (shape, N) combinations). Used by run-w2.mjs, which writes every file and
// checks it before any timing.
//
//   node tests/bench/w2graph.mjs [DIR]   writes and verifies all 12 files
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SHAPES = ['a', 'b', 'c', 'd'];
export const NS = [10000, 100000, 1000000];

// workloads.md W2.1 verification: [E, md5] per shape and N
export const EXPECTED = {
  a: { 10000: [20139, 'c8201081f36b54800c22516401da6e8d'], 100000: [199563, 'c69934ac3931b3c286bbdaebdbfd779f'],
       1000000: [2000860, 'df5b8092cc789bf5d087ea7f34b9654f'] },
  b: { 10000: [10000, '593ab7a3c49ebccf4b760084236aab9f'], 100000: [100000, '0ae2718088297fcc6b9b6426d4443e69'],
       1000000: [1000000, '1c8df53bb8d8b71871a9649d78fb2dd4'] },
  c: { 10000: [10000, 'eabf357d9143baf8fc01c4241fae444e'], 100000: [100000, '22af3fb2a0ce7659a40f95d335a0568e'],
       1000000: [1000000, 'de674d01b015bcc6803723fd77f7705d'] },
  d: { 10000: [14978, 'a96a8275351e8929b7d0bdb09bd164c0'], 100000: [150233, 'cf13f6426f028e841c7138d5f3d7e704'],
       1000000: [1499411, 'f8d1ee7cdb7b5be9cad00c386680b81d'] },
};

// splitmix64 on two 32-bit halves (BigInt is slow for millions of draws).
// Returns next() -> [hi, lo] as unsigned 32-bit numbers.
function mul64(ah, al, bh, bl) {            // (a * b) mod 2^64 as [hi, lo]
  const a0 = al & 0xFFFF, a1 = al >>> 16, b0 = bl & 0xFFFF, b1 = bl >>> 16;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xFFFF) + (p10 & 0xFFFF);
  const lo = ((mid & 0xFFFF) << 16 | (p00 & 0xFFFF)) >>> 0;
  const carry = Math.floor(mid / 65536) + Math.floor(p01 / 65536) + Math.floor(p10 / 65536) + p11;
  const hi = (carry + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0;
  return [hi, lo];
}
function xorshr(h, l, k) {                  // x ^ (x >> k), 0 < k < 32
  return [(h ^ (h >>> k)) >>> 0, (l ^ ((l >>> k) | (h << (32 - k)))) >>> 0];
}
export function splitmix32(seedBig) {
  let sh = Number((seedBig >> 32n) & 0xFFFFFFFFn), sl = Number(seedBig & 0xFFFFFFFFn);
  return () => {
    const l = sl + 0x7F4A7C15;
    sl = l >>> 0;
    sh = (sh + 0x9E3779B9 + (l > 0xFFFFFFFF ? 1 : 0)) >>> 0;
    let [h, lo] = xorshr(sh, sl, 30);
    [h, lo] = mul64(h, lo, 0xBF58476D, 0x1CE4E5B9);
    [h, lo] = xorshr(h, lo, 27);
    [h, lo] = mul64(h, lo, 0x94D049BB, 0x133111EB);
    return xorshr(h, lo, 31);
  };
}
// bounded(r, n) = ((r & 0xFFFFFFFF) * n) >> 32 on the low word
const bounded = (r, n) => Math.floor(r[1] * n / 4294967296);

// -> { n, m, e, off: Uint32Array(n+1), tgt: Uint32Array(e) }
export function generate(shape, n) {
  const seed = 0x5EED000000000000n | (BigInt(shape.charCodeAt(0)) << 32n) | BigInt(n);
  const next = splitmix32(seed);
  const deg = new Uint8Array(n), tg = new Uint32Array(n * 4);
  const random = (m) => {
    for (let i = 0; i < m; i++) {
      const d = bounded(next(), 5);
      deg[i] = d;
      for (let k = 0; k < d; k++) tg[i * 4 + k] = bounded(next(), m);
    }
  };
  const cycles = (lo, hi) => {
    let i = lo;
    while (i < hi) {
      let L = 2 + bounded(next(), 7);
      const rem = hi - i;
      if (L > rem) L = rem;
      else if (rem - L === 1) L += 1;
      for (let k = 0; k < L; k++) { deg[i + k] = 1; tg[(i + k) * 4] = i + ((k + 1) % L); }
      i += L;
    }
  };
  let m;
  if (shape === 'a') { m = n; random(n); }
  else if (shape === 'b') { m = 0; cycles(0, n); }
  else if (shape === 'c') { m = 0; for (let i = 0; i < n; i++) { deg[i] = 1; tg[i * 4] = (i + 1) % n; } }
  else if (shape === 'd') { m = Math.floor(n / 2); random(m); cycles(m, n); }
  else throw new Error(`unknown shape ${shape}`);
  const off = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) off[i + 1] = off[i] + deg[i];
  const e = off[n], tgt = new Uint32Array(e);
  for (let i = 0; i < n; i++) for (let k = 0; k < deg[i]; k++) tgt[off[i] + k] = tg[i * 4 + k];
  return { n, m, e, off, tgt };
}

export function encode(g) {
  const buf = Buffer.alloc(16 + 4 * (g.n + 1 + g.e));
  buf.write('W2G1', 0, 'latin1');
  buf.writeUInt32LE(g.n, 4); buf.writeUInt32LE(g.m, 8); buf.writeUInt32LE(g.e, 12);
  let p = 16;
  for (const x of g.off) { buf.writeUInt32LE(x, p); p += 4; }
  for (const x of g.tgt) { buf.writeUInt32LE(x, p); p += 4; }
  return buf;
}

export const graphFile = (dir, shape, n) => join(dir, `${shape}-${n}.w2g`);

// Writes the files for the given shapes and Ns into dir and checks E and md5
// against the spec. Returns [{ shape, n, m, e, md5, ok, file }].
export function writeAndVerify(dir, shapes = SHAPES, ns = NS) {
  mkdirSync(dir, { recursive: true });
  const out = [];
  for (const shape of shapes) for (const n of ns) {
    const g = generate(shape, n);
    const buf = encode(g);
    const md5 = createHash('md5').update(buf).digest('hex');
    const exp = EXPECTED[shape]?.[n];
    const ok = !!exp && exp[0] === g.e && exp[1] === md5;
    const file = graphFile(dir, shape, n);
    writeFileSync(file, buf);
    out.push({ shape, n, m: g.m, e: g.e, md5, ok, file, expected: exp });
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const res = writeAndVerify(process.argv[2] ?? 'build/bench/w2-graphs');
  for (const r of res) console.log(`W2G1 shape=${r.shape} N=${r.n} M=${r.m} E=${r.e} md5=${r.md5} ${r.ok ? 'ok' : 'MISMATCH'}`);
  if (res.some((r) => !r.ok)) process.exit(1);
}
