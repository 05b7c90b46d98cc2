// The event-stream framing (CR, LF or CRLF line ends, `data:` lines joined with "\n", a blank line
// ends an event; comments, id, retry, event and unknown fields ignored; a leading byte-order mark
// dropped), read from the bytes themselves. Line ends are found in bytes, which is safe in UTF-8 (no
// multi-byte sequence contains CR or LF), so a character split across reads needs no decoder and
// only the text of `data:` values is ever decoded: one small state object per stream.

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;

export interface SSESplitter {
  feed(bytes: Buffer): void;
  /** The body ended: an unterminated last line and event still count. */
  end(): void;
}

export function createSSESplitter(onData: (data: string) => void): SSESplitter {
  let rest: Buffer | undefined; // bytes of an unfinished line
  let data: string | undefined; // the current event's data, once it has a data line
  let skipLF = false; // the last read ended in CR: an LF opening the next one ends the same line
  let first = true; // a byte-order mark may open the stream

  const line = (buf: Buffer, start: number, end: number): void => {
    if (first) {
      first = false;
      if (end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) start += 3;
    }
    if (start === end) {
      if (data === undefined) return;
      const event = data;
      data = undefined;
      onData(event);
      return;
    }
    // "data" then the end of the line or a colon (and at most one space); any other field is ignored.
    if (
      end - start < 4 ||
      buf[start] !== 0x64 ||
      buf[start + 1] !== 0x61 ||
      buf[start + 2] !== 0x74 ||
      buf[start + 3] !== 0x61
    )
      return;
    let at = start + 4;
    if (at < end) {
      if (buf[at] !== COLON) return;
      at++;
      if (at < end && buf[at] === SPACE) at++;
    }
    const value = at < end ? buf.toString("utf8", at, end) : "";
    data = data === undefined ? value : `${data}\n${value}`;
  };

  return {
    feed(bytes) {
      let buf = bytes;
      let at = 0;
      if (rest) {
        buf = Buffer.concat([rest, bytes]);
        rest = undefined;
      } else if (skipLF && buf.length > 0) {
        skipLF = false;
        if (buf[0] === LF) at = 1;
      }
      const n = buf.length;
      let cr = -2; // positions of the next CR and LF (-1: none left), searched again only once passed
      let lf = -2;
      while (at < n) {
        if (cr !== -1 && cr < at) cr = buf.indexOf(CR, at);
        if (lf !== -1 && lf < at) lf = buf.indexOf(LF, at);
        const stop = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
        if (stop === -1) break;
        line(buf, at, stop);
        if (buf[stop] === LF) at = stop + 1;
        else if (stop + 1 < n) at = buf[stop + 1] === LF ? stop + 2 : stop + 1;
        else {
          at = n;
          skipLF = true;
        }
      }
      if (at < n) rest = Buffer.from(buf.subarray(at)); // a copy: the read buffer itself is not held
    },
    end() {
      if (rest) {
        const last = rest;
        rest = undefined;
        line(last, 0, last.length);
      }
      line(Buffer.alloc(0), 0, 0);
    },
  };
}
