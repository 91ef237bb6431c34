//! Writing files and directories so that a reader never sees half of one:
//! write beside the target under a temporary name, then rename it into
//! place (a rename within one directory is atomic on POSIX filesystems).
//! Every writer of the store, the report, editions and exports uses these.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{EngineError, Result};

/// A temporary path beside `target`: hidden, and unique to this process.
pub fn temp_beside(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("output");
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join(format!(".{name}.tmp-{}", std::process::id()))
}

/// Write `path` through `fill`, which gets a fresh file; the file is synced
/// and renamed into place only when `fill` succeeds, and removed otherwise.
pub fn write_with<T>(path: &Path, fill: impl FnOnce(&mut File) -> Result<T>) -> Result<T> {
    let tmp = temp_beside(path);
    let done = (|| {
        // Errors name the file the user asked for, not its temporary twin.
        let mut f = File::create(&tmp).map_err(|e| EngineError::io(path, e))?;
        let v = fill(&mut f)?;
        f.flush().map_err(|e| EngineError::io(path, e))?;
        f.sync_all().map_err(|e| EngineError::io(path, e))?;
        drop(f);
        std::fs::rename(&tmp, path).map_err(|e| EngineError::io(path, e))?;
        Ok(v)
    })();
    if done.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    done
}

/// [`write_with`] through a buffer: `fill` gets a buffered writer of the
/// fresh file, which is flushed (errors naming `path`) before the file is
/// synced and renamed into place.
pub fn write_buffered<T>(
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<&mut File>) -> Result<T>,
) -> Result<T> {
    write_with(path, |f| {
        let mut w = BufWriter::new(f);
        let v = fill(&mut w)?;
        w.flush().map_err(|e| EngineError::io(path, e))?;
        Ok(v)
    })
}

/// Write `bytes` to `path` atomically.
pub fn write(path: &Path, bytes: impl AsRef<[u8]>) -> Result<()> {
    write_with(path, |f| {
        f.write_all(bytes.as_ref())
            .map_err(|e| EngineError::io(path, e))
    })
}

/// Build the directory `out` through `fill`, which gets an empty temporary
/// directory beside it; when `fill` succeeds the old `out` (if any) is
/// replaced by it, otherwise it is removed and `out` is left as it was.
pub fn replace_dir<T>(out: &Path, fill: impl FnOnce(&Path) -> Result<T>) -> Result<T> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| EngineError::io(parent, e))?;
    let tmp = temp_beside(out);
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).map_err(|e| EngineError::io(&tmp, e))?;
    let done = (|| {
        let v = fill(&tmp)?;
        if out.exists() {
            std::fs::remove_dir_all(out).map_err(|e| EngineError::io(out, e))?;
        }
        std::fs::rename(&tmp, out).map_err(|e| EngineError::io(out, e))?;
        Ok(v)
    })();
    if done.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a.txt");
        write(&p, "old").unwrap();
        let r: Result<()> = write_with(&p, |f| {
            f.write_all(b"half").unwrap();
            Err(EngineError::store(&p, "failed"))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "old");
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_file_that_cannot_be_created_is_named_not_its_temporary() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("missing").join("out.csv");
        let e = write(&p, "x").unwrap_err().to_string();
        assert!(e.contains("missing/out.csv") && !e.contains(".tmp-"), "{e}");
    }

    #[test]
    fn a_failed_directory_leaves_the_old_one() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("report");
        replace_dir(&out, |t| write(&t.join("x"), "1")).unwrap();
        let r: Result<()> = replace_dir(&out, |t| {
            write(&t.join("y"), "2")?;
            Err(EngineError::store(t, "failed"))
        });
        assert!(r.is_err());
        assert!(out.join("x").exists() && !out.join("y").exists());
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
        replace_dir(&out, |t| write(&t.join("y"), "2")).unwrap();
        assert!(!out.join("x").exists() && out.join("y").exists());
    }
}
