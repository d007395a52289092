//! kvstore as a library: the storage layer used by the `kvstore` binary.
//!
//! ```no_run
//! use kvstore::storage::Store;
//!
//! let store = Store::open("kvstore.json");
//! store.set("greeting", "hello")?;
//! assert_eq!(store.get("greeting")?.as_deref(), Some("hello"));
//! # Ok::<(), kvstore::storage::StoreError>(())
//! ```

pub mod storage;
