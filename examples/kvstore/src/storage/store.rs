//! The file-backed store.
//!
//! The whole map lives in one JSON file. Every write loads the file, changes the map in memory
//! and replaces the file atomically: the new contents go to a temporary file next to the store,
//! which is then renamed over the original. Readers therefore always see either the old or the
//! new file, never a half-written one.

use std::collections::BTreeMap;
use std::error::Error;
use std::fmt;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// The contents of a store. A `BTreeMap` so the file and `kvstore list` are sorted by key.
pub type Map = BTreeMap<String, String>;

#[derive(Debug)]
pub enum StoreError {
    Io(io::Error),
    /// The store file exists but is not a JSON object of strings.
    Corrupt {
        path: PathBuf,
        source: serde_json::Error,
    },
    /// Keys must be non-empty and must not contain `=` or a newline, or start with `-`.
    InvalidKey(String),
    /// A line of an import file could not be parsed (1-based line number).
    InvalidLine {
        line: usize,
        text: String,
    },
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Io(err) => write!(f, "{err}"),
            StoreError::Corrupt { path, source } => {
                write!(f, "{} is not a valid store: {source}", path.display())
            }
            StoreError::InvalidKey(key) => write!(f, "invalid key {key:?}"),
            StoreError::InvalidLine { line, text } => {
                write!(
                    f,
                    "line {line}: expected `key=value` or `-key`, got {text:?}"
                )
            }
        }
    }
}

impl Error for StoreError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            StoreError::Io(err) => Some(err),
            StoreError::Corrupt { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<io::Error> for StoreError {
    fn from(err: io::Error) -> Self {
        StoreError::Io(err)
    }
}

/// A handle on a store file. Cheap to create; holds no open file and no cached data.
#[derive(Debug, Clone)]
pub struct Store {
    path: PathBuf,
}

impl Store {
    /// Refer to the store at `path`. The file is created on the first write.
    pub fn open(path: impl Into<PathBuf>) -> Self {
        Store { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Read the whole map. A missing or empty file is an empty store.
    pub fn load(&self) -> Result<Map, StoreError> {
        let text = match fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Map::new()),
            Err(err) => return Err(err.into()),
        };
        if text.trim().is_empty() {
            return Ok(Map::new());
        }
        serde_json::from_str(&text).map_err(|source| StoreError::Corrupt {
            path: self.path.clone(),
            source,
        })
    }

    pub fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self.load()?.remove(key))
    }

    /// Set `key` to `value`, replacing any previous value.
    pub fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        validate_key(key)?;
        self.update(|map| {
            map.insert(key.to_owned(), value.to_owned());
        })
    }

    /// Remove `key`. Returns whether it was present.
    pub fn delete(&self, key: &str) -> Result<bool, StoreError> {
        let mut removed = false;
        self.update(|map| removed = map.remove(key).is_some())?;
        Ok(removed)
    }

    /// Load the map, let `change` edit it, and write the result back.
    ///
    /// Callers that share a `Store` between threads go through `SharedStore`, which serializes
    /// calls to this method.
    pub fn update(&self, change: impl FnOnce(&mut Map)) -> Result<(), StoreError> {
        let mut map = self.load()?;
        change(&mut map);
        self.save(&map)
    }

    /// Replace the store file with `map`: write a temporary file in the same directory, then
    /// rename it over the store. `rename` is atomic on POSIX filesystems, so a concurrent reader
    /// sees the old file or the new one, never a mix.
    pub fn save(&self, map: &Map) -> Result<(), StoreError> {
        let tmp = self.temp_path();
        let mut out = BufWriter::new(File::create(&tmp)?);
        serde_json::to_writer_pretty(&mut out, map).map_err(io::Error::from)?;
        out.write_all(b"\n")?;
        out.flush()?;
        drop(out);
        fs::rename(&tmp, &self.path)?;
        Ok(())
    }

    /// `<store>.<pid>.tmp`: unique per process, so two writers never share a temporary file.
    fn temp_path(&self) -> PathBuf {
        let mut name = self.path.file_name().unwrap_or_default().to_os_string();
        name.push(format!(".{}.tmp", std::process::id()));
        self.path.with_file_name(name)
    }
}

pub(crate) fn validate_key(key: &str) -> Result<(), StoreError> {
    let valid = !key.is_empty() && !key.starts_with('-') && !key.contains(['=', '\n', '\r']);
    if valid {
        Ok(())
    } else {
        Err(StoreError::InvalidKey(key.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_get_delete_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("kv.json"));

        assert_eq!(store.get("a").unwrap(), None);
        store.set("a", "1").unwrap();
        store.set("b", "2").unwrap();
        store.set("a", "3").unwrap();
        assert_eq!(store.get("a").unwrap().as_deref(), Some("3"));
        assert!(store.delete("b").unwrap());
        assert!(!store.delete("b").unwrap());
        assert_eq!(store.load().unwrap().len(), 1);
    }

    #[test]
    fn save_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("kv.json"));
        store.set("a", "1").unwrap();

        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, ["kv.json"]);
    }

    #[test]
    fn rejects_keys_that_break_the_line_format() {
        for key in ["", "a=b", "-a", "a\nb"] {
            assert!(
                matches!(validate_key(key), Err(StoreError::InvalidKey(_))),
                "{key:?}"
            );
        }
    }

    #[test]
    fn corrupt_file_is_reported_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kv.json");
        fs::write(&path, "{ not json").unwrap();
        let store = Store::open(&path);

        assert!(matches!(
            store.set("a", "1"),
            Err(StoreError::Corrupt { .. })
        ));
        assert_eq!(fs::read_to_string(&path).unwrap(), "{ not json");
    }
}
