// Headless Chromium for the report tests: --dump-dom (the DOM as the browser parsed it) and --screenshot, and
// a PNG decoder with node:zlib only, to look at the pixels.
import { spawn } from 'node:child_process';
import { inflateSync } from 'node:zlib';
import { expect } from 'vitest';
import { tempDir } from '../cli-helpers.ts';

/** Decodes an 8-bit RGB/RGBA PNG (what Chromium writes) into pixel rows, with node:zlib only. */
export function decodePng(buf: Buffer): { width: number; height: number; channels: number; pixels: Buffer } {
  expect(buf.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  let pos = 8;
  let width = 0, height = 0, channels = 0;
  const idat: Buffer[] = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('ascii', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8]).toBe(8); // bit depth
      channels = ({ 2: 3, 6: 4 } as Record<number, number>)[data[9]];
      expect(data[12]).toBe(0); // not interlaced
    } else if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x];
      const a = x >= channels ? pixels[y * stride + x - channels] : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels] : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const pred = [0, a, b, (a + b) >> 1, paeth][filter];
      pixels[y * stride + x] = (v + pred) & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

export function chromium(args: string[], timeoutMs = 90_000): Promise<{ code: number | null; stdout: string }> {
  const profileDir = tempDir('efd-health-chromium-');
  const flags = [
    '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-quic', `--user-data-dir=${profileDir}`,
  ];
  return new Promise((done, fail) => {
    const child = spawn('/usr/bin/chromium', [...flags, ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout });
    });
  });
}

