//! Streaming input: a reader that turns any supported encoding into UTF-8 on
//! the fly, strips byte-order marks and turns CR-only line ends into LF, so
//! format readers see UTF-8 text with at most one chunk of it in memory.

use std::io::{self, BufRead, Read};

use encoding_rs::{Decoder, Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

const CHUNK: usize = 64 * 1024;

/// UTF-8 text from bytes in UTF-8 (with or without BOM), UTF-16 (with BOM)
/// or, when the first chunk is not valid UTF-8, Windows-1252. Invalid UTF-8
/// after the first chunk is replaced with U+FFFD. Line ends are normalised
/// to LF (CRLF and CR-only alike), so line numbers count the same for every
/// line-end style.
pub struct Decoded<R> {
    inner: R,
    decoder: Option<Decoder>,
    raw: Vec<u8>,
    raw_len: usize,
    out: Vec<u8>,
    pos: usize,
    /// A CR ended the previous output chunk; decide when the next byte comes.
    pending_cr: bool,
    eof: bool,
    /// The decoder has been given the last bytes; nothing more will come.
    finished: bool,
}

impl<R: Read> Decoded<R> {
    pub fn new(inner: R) -> Decoded<R> {
        Decoded {
            inner,
            decoder: None,
            raw: vec![0; CHUNK],
            raw_len: 0,
            out: Vec::with_capacity(CHUNK * 3),
            pos: 0,
            pending_cr: false,
            eof: false,
            finished: false,
        }
    }

    /// Read until the buffer holds `n` bytes or the input ends.
    fn fill_raw(&mut self, n: usize) -> io::Result<()> {
        while self.raw_len < n {
            let got = self.inner.read(&mut self.raw[self.raw_len..n])?;
            if got == 0 {
                self.eof = true;
                break;
            }
            self.raw_len += got;
        }
        Ok(())
    }

    fn sniff(&mut self) -> io::Result<Decoder> {
        self.fill_raw(CHUNK)?;
        let head = &self.raw[..self.raw_len];
        let (encoding, bom): (&'static Encoding, usize) = if head.starts_with(b"\xEF\xBB\xBF") {
            (UTF_8, 3)
        } else if head.starts_with(b"\xFF\xFE") {
            (UTF_16LE, 2)
        } else if head.starts_with(b"\xFE\xFF") {
            (UTF_16BE, 2)
        } else if valid_utf8_prefix(head, self.eof) {
            (UTF_8, 0)
        } else {
            (WINDOWS_1252, 0)
        };
        self.raw.copy_within(bom..self.raw_len, 0);
        self.raw_len -= bom;
        Ok(encoding.new_decoder_without_bom_handling())
    }

    /// Decode the next chunk into `out`; returns false at the end of input.
    fn refill(&mut self) -> io::Result<bool> {
        if self.finished {
            self.out.clear();
            self.pos = 0;
            return Ok(false);
        }
        if self.decoder.is_none() {
            let d = self.sniff()?;
            self.decoder = Some(d);
        } else if !self.eof {
            self.fill_raw(CHUNK)?;
        }
        self.out.clear();
        self.pos = 0;
        let last = self.eof;
        let decoder = self.decoder.as_mut().expect("set above");
        let mut text = String::with_capacity(
            decoder
                .max_utf8_buffer_length(self.raw_len)
                .unwrap_or(CHUNK * 3),
        );
        let (_, read, _) = decoder.decode_to_string(&self.raw[..self.raw_len], &mut text, last);
        self.finished = last;
        self.raw.copy_within(read..self.raw_len, 0);
        self.raw_len -= read;
        let bytes = text.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            if self.pending_cr {
                // A CR ended the previous chunk: it was a line end either way.
                self.pending_cr = false;
                self.out.push(b'\n');
                if b == b'\n' {
                    continue;
                }
            }
            if b == b'\r' {
                match bytes.get(i + 1) {
                    Some(b'\n') => {} // CRLF: the LF that follows is the line end
                    Some(_) => self.out.push(b'\n'),
                    None => self.pending_cr = true,
                }
            } else {
                self.out.push(b);
            }
        }
        if last && self.pending_cr {
            self.pending_cr = false;
            self.out.push(b'\n');
        }
        Ok(!self.out.is_empty() || !last)
    }
}

/// Whether `head` is valid UTF-8, allowing a sequence cut at the chunk end.
fn valid_utf8_prefix(head: &[u8], complete: bool) -> bool {
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => !complete && e.error_len().is_none() && head.len() - e.valid_up_to() < 4,
    }
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(buf.len());
        buf[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Decoded<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.pos >= self.out.len() {
            if !self.refill()? {
                return Ok(&[]);
            }
        }
        Ok(&self.out[self.pos..])
    }

    fn consume(&mut self, amt: usize) {
        self.pos = (self.pos + amt).min(self.out.len());
    }
}

/// The longest line a line-based format may have: 16 MiB. A longer line is
/// not a row of any layout innoscope reads (a file without line ends, a
/// binary file, a JSON document saved as CSV), and holding it would make
/// memory grow with the file.
pub const MAX_LINE: usize = 16 << 20;

/// A reader that refuses a line longer than `limit` bytes (CR, LF or CRLF
/// end a line), so that line-based readers keep bounded memory. The error
/// names the line.
pub struct LineCap<R> {
    inner: R,
    limit: usize,
    len: usize,
    line: u64,
    prev_cr: bool,
}

impl<R> LineCap<R> {
    pub fn new(inner: R, limit: usize) -> LineCap<R> {
        LineCap {
            inner,
            limit,
            len: 0,
            line: 1,
            prev_cr: false,
        }
    }
}

impl<R> LineCap<R> {
    /// Count `n` bytes of one line (no line end among them).
    fn extend_line(&mut self, n: usize) -> io::Result<()> {
        if n == 0 {
            return Ok(());
        }
        self.prev_cr = false;
        self.len += n;
        if self.len > self.limit {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "line {} is longer than {}: not a line-based table of this layout (a file without line ends, or binary data?)",
                    self.line,
                    if self.limit >= 1 << 20 {
                        format!("{} MiB", self.limit >> 20)
                    } else {
                        format!("{} bytes", self.limit)
                    }
                ),
            ));
        }
        Ok(())
    }
}

impl<R: Read> Read for LineCap<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        // From line end to line end (a SIMD search), not byte by byte.
        let mut rest = &buf[..n];
        while let Some(i) = memchr::memchr2(b'\n', b'\r', rest) {
            self.extend_line(i)?;
            if rest[i] == b'\n' {
                // CRLF: the line was counted at its CR.
                self.line += u64::from(!self.prev_cr);
                self.prev_cr = false;
            } else {
                self.line += 1;
                self.prev_cr = true;
            }
            self.len = 0;
            rest = &rest[i + 1..];
        }
        self.extend_line(rest.len())?;
        Ok(n)
    }
}

/// A reader that reports the bytes it reads to a [`crate::Progress`].
pub struct Counting<'a, R> {
    pub inner: R,
    pub progress: &'a dyn crate::Progress,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.advance(n as u64);
        Ok(n)
    }
}

/// Decode a whole byte slice (for format detection of a file's head).
pub fn decode_head(bytes: &[u8]) -> String {
    let mut s = String::new();
    let _ = Decoded::new(bytes).read_to_string(&mut s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_longer_than_the_cap_is_refused_with_its_number() {
        let mut ok = String::new();
        LineCap::new(&b"a,b\r\nccc,d\n"[..], 5)
            .read_to_string(&mut ok)
            .unwrap();
        assert_eq!(ok, "a,b\r\nccc,d\n");
        let mut sink = Vec::new();
        let e = LineCap::new(&b"a,b\nc,d\r\nxxxxxx\n"[..], 4)
            .read_to_end(&mut sink)
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 3 is longer than"), "{e}");
        // CR-only line ends count as line ends.
        let e = LineCap::new(&b"a\rb\rcccccc"[..], 4)
            .read_to_end(&mut sink)
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 3 "), "{e}");
    }

    /// A reader that hands out at most `step` bytes a call.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    /// The line cap's rule byte by byte: the line a refusal names.
    fn refused_at(data: &[u8], limit: usize) -> Option<u64> {
        let (mut line, mut len, mut prev_cr) = (1u64, 0usize, false);
        for &b in data {
            match b {
                b'\n' => {
                    line += u64::from(!prev_cr);
                    (len, prev_cr) = (0, false);
                }
                b'\r' => {
                    line += 1;
                    (len, prev_cr) = (0, true);
                }
                _ => {
                    prev_cr = false;
                    len += 1;
                    if len > limit {
                        return Some(line);
                    }
                }
            }
        }
        None
    }

    proptest::proptest! {
        /// Searching for line ends refuses the same line as reading byte
        /// by byte, however the input is cut into reads.
        #[test]
        fn the_line_cap_refuses_the_line_a_byte_by_byte_count_would(
            data in proptest::collection::vec(proptest::sample::select(vec![b'a', b'b', b'\r', b'\n']), 0..200),
            limit in 1usize..12,
            step in 1usize..20,
        ) {
            let mut sink = Vec::new();
            let got = LineCap::new(Trickle { data: &data, step }, limit).read_to_end(&mut sink);
            match refused_at(&data, limit) {
                None => proptest::prop_assert_eq!(got.unwrap(), data.len()),
                Some(line) => {
                    let e = got.unwrap_err().to_string();
                    proptest::prop_assert!(e.starts_with(&format!("line {line} is longer")), "{}", e);
                }
            }
        }
    }

    fn decode(bytes: &[u8]) -> String {
        decode_head(bytes)
    }

    #[test]
    fn strips_bom_and_converts_cr_only() {
        assert_eq!(decode(b"\xEF\xBB\xBFa,b\rc,d\r"), "a,b\nc,d\n");
    }

    #[test]
    fn normalises_crlf() {
        assert_eq!(decode(b"a\r\nb\r\n"), "a\nb\n");
    }

    #[test]
    fn falls_back_to_windows_1252() {
        assert_eq!(decode(b"C\xf4te"), "Côte");
    }

    #[test]
    fn decodes_utf16_with_bom() {
        assert_eq!(decode(b"\xFF\xFEa\0,\0b\0"), "a,b");
    }

    #[test]
    fn cr_at_a_chunk_boundary() {
        // A CR exactly at the end of the first decoded chunk, then LF.
        let mut bytes = vec![b'x'; CHUNK - 1];
        bytes.extend_from_slice(b"\r\ny\rz");
        let s = decode(&bytes);
        assert!(s.ends_with("x\ny\nz"), "{:?}", &s[s.len() - 8..]);
    }

    #[test]
    fn reading_past_the_end_keeps_returning_nothing() {
        let mut d = Decoded::new(&b"a,b\n"[..]);
        let mut s = String::new();
        d.read_to_string(&mut s).unwrap();
        assert_eq!(s, "a,b\n");
        for _ in 0..3 {
            assert!(d.fill_buf().unwrap().is_empty());
        }
    }

    #[test]
    fn multibyte_char_split_across_chunks() {
        let mut bytes = vec![b'a'; CHUNK - 1];
        bytes.extend_from_slice("中文".as_bytes());
        assert!(decode(&bytes).ends_with("a中文"));
    }
}
