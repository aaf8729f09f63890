// Reads findings as the suites' workers append them, so the console can show each one as it finishes.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Finding } from '../report/finding.ts';

export class FindingsTail {
  private offset = 0;

  constructor(private readonly file: string) {}

  /** Findings appended since the last call. */
  next(): Finding[] {
    const fd = openSync(this.file, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size <= this.offset) return [];
      const buf = Buffer.alloc(size - this.offset);
      readSync(fd, buf, 0, buf.length, this.offset);
      // only whole lines: a line being appended right now is read next time
      const end = buf.lastIndexOf(0x0a);
      if (end < 0) return [];
      this.offset += end + 1;
      return buf
        .subarray(0, end)
        .toString('utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as Finding);
    } finally {
      closeSync(fd);
    }
  }
}
