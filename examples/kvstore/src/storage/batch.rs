//! Applying many changes in one write (`kvstore import`).
//!
//! Importing 10,000 lines through [`Store::set`] would rewrite the whole file 10,000 times.
//! A [`Batch`] loads the store once, applies every operation in order and saves once.

use super::store::{validate_key, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    Set { key: String, value: String },
    Delete { key: String },
}

/// What [`Batch::apply`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchSummary {
    pub set: usize,
    pub deleted: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Batch {
    ops: Vec<Op>,
}

impl Batch {
    pub fn new() -> Self {
        Batch::default()
    }

    pub fn set(&mut self, key: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.ops.push(Op::Set {
            key: key.into(),
            value: value.into(),
        });
        self
    }

    pub fn delete(&mut self, key: impl Into<String>) -> &mut Self {
        self.ops.push(Op::Delete { key: key.into() });
        self
    }

    pub fn len(&self) -> usize {
        self.ops.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// Parse the import format: `key=value` sets a key, `-key` deletes one.
    /// Blank lines and lines starting with `#` are ignored.
    pub fn parse(text: &str) -> Result<Self, StoreError> {
        let mut batch = Batch::new();
        for (index, raw) in text.lines().enumerate() {
            let line = raw.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let invalid = || StoreError::InvalidLine {
                line: index + 1,
                text: line.to_owned(),
            };
            if let Some(key) = line.strip_prefix('-') {
                validate_key(key).map_err(|_| invalid())?;
                batch.delete(key);
            } else {
                let (key, value) = line.split_once('=').ok_or_else(invalid)?;
                validate_key(key).map_err(|_| invalid())?;
                batch.set(key, value);
            }
        }
        Ok(batch)
    }

    /// Apply every operation with a single load and a single save.
    ///
    /// Either the whole batch is written or, if loading or saving fails, none of it.
    pub fn apply(&self, store: &Store) -> Result<BatchSummary, StoreError> {
        let mut map = store.load()?;
        let mut summary = BatchSummary::default();
        for op in &self.ops {
            match op {
                Op::Set { key, value } => {
                    map.insert(key.clone(), value.clone());
                    summary.set += 1;
                }
                Op::Delete { key } => {
                    if map.remove(key).is_some() {
                        summary.deleted += 1;
                    }
                }
            }
        }
        store.save(&map)?;
        Ok(summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sets_deletes_and_comments() {
        let batch = Batch::parse("# seed data\na=1\n\nb=x=y\n-c\r\n").unwrap();
        assert_eq!(
            batch.ops,
            [
                Op::Set {
                    key: "a".into(),
                    value: "1".into()
                },
                Op::Set {
                    key: "b".into(),
                    value: "x=y".into()
                },
                Op::Delete { key: "c".into() },
            ]
        );
    }

    #[test]
    fn reports_the_line_number_of_a_bad_line() {
        let err = Batch::parse("a=1\nnot a pair\n").unwrap_err();
        assert!(matches!(err, StoreError::InvalidLine { line: 2, .. }));
    }

    #[test]
    fn applies_in_order_with_one_save() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("kv.json"));
        store.set("old", "1").unwrap();

        let summary = Batch::parse("a=1\na=2\n-old\n-missing\n")
            .unwrap()
            .apply(&store)
            .unwrap();

        assert_eq!(summary, BatchSummary { set: 2, deleted: 1 });
        assert_eq!(store.get("a").unwrap().as_deref(), Some("2"));
        assert_eq!(store.get("old").unwrap(), None);
    }
}
