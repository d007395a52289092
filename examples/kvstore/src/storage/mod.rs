//! The storage layer.
//!
//! A store is a single JSON object of string keys to string values, kept in one file.
//! [`Store`] reads and writes that file; [`Batch`] applies many changes in one write;
//! [`SharedStore`] lets several threads of one program share a store.
//!
//! See `docs/architecture/storage.md` for the design and its guarantees.

mod batch;
mod concurrent;
mod store;

pub use batch::{Batch, BatchSummary, Op};
pub use concurrent::SharedStore;
pub use store::{Map, Store, StoreError};
