//! Writing an output file whole or not at all: the bytes go to a temporary
//! file beside the target, which is flushed to disk and then renamed over
//! it. A kill, a full disk or a failed write leaves the previous file as it
//! was (or no file), never a truncated one.

use crate::error::Error;
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` through a temporary file in the same folder and
/// a rename, so that `path` holds either its old content or all of `bytes`.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let shown = path.display().to_string();
    let io = |source: std::io::Error| Error::Io {
        path: shown.clone(),
        source,
    };
    if path.is_dir() {
        return Err(io(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "it is a folder: name a file to write",
        )));
    }
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".innograph-").suffix(".part");
    // A new file gets the mode any program's new file gets (0666 less the
    // umask), not the temporary file's owner-only 0600.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut file = builder.tempfile_in(folder).map_err(|e| {
        io(std::io::Error::new(
            e.kind(),
            format!("cannot make a temporary file in {}: {e}", folder.display()),
        ))
    })?;
    file.write_all(bytes).map_err(io)?;
    file.as_file().sync_all().map_err(io)?;
    // Keep the permissions of the file replaced, as writing in place would.
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(file.path(), meta.permissions());
    }
    // The temporary file is removed when `persist` fails.
    file.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::write;

    #[test]
    fn a_failed_write_leaves_the_old_file() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("out.txt");
        write(&path, b"old").expect("first write");
        write(&path, b"new and longer").expect("second write");
        assert_eq!(std::fs::read(&path).expect("read"), b"new and longer");
        // The same mode as a file written in place, whatever the umask.
        let plain = dir.path().join("plain.txt");
        std::fs::write(&plain, b"x").expect("a plain write");
        let mode = |p: &std::path::Path| std::fs::metadata(p).expect("meta").permissions();
        assert_eq!(mode(&path), mode(&plain));
        std::fs::remove_file(&plain).expect("rm");
        // A folder where the file should be: refused, nothing else written.
        let folder = dir.path().join("sub");
        std::fs::create_dir(&folder).expect("mkdir");
        assert!(write(&folder, b"x").is_err());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names.len(), 2, "no temporary file is left: {names:?}");
        // A folder that does not exist: an error naming the file.
        let missing = dir.path().join("no/such/out.txt");
        let err = write(&missing, b"x").expect_err("no folder");
        assert!(err.to_string().contains("no/such/out.txt"), "{err}");
    }
}
