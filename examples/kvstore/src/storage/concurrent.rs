//! Sharing one store between threads.
//!
//! [`Store`] holds no state besides its path, so it is `Send + Sync`, but two threads calling
//! [`Store::set`] at the same moment would both load the file, both change their copy and both
//! save, and the second save would undo the first. [`SharedStore`] puts the store behind a mutex
//! so that writes made through it happen one at a time.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::store::{Map, Store, StoreError};

/// A store that can be cloned into several threads. All clones share one lock.
#[derive(Debug, Clone)]
pub struct SharedStore {
    inner: Arc<Mutex<Store>>,
}

impl SharedStore {
    pub fn new(store: Store) -> Self {
        SharedStore {
            inner: Arc::new(Mutex::new(store)),
        }
    }

    pub fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.lock().get(key)
    }

    pub fn load(&self) -> Result<Map, StoreError> {
        self.lock().load()
    }

    pub fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.lock().set(key, value)
    }

    pub fn delete(&self, key: &str) -> Result<bool, StoreError> {
        self.lock().delete(key)
    }

    /// Run a read-modify-write while holding the lock.
    pub fn update(&self, change: impl FnOnce(&mut Map)) -> Result<(), StoreError> {
        self.lock().update(change)
    }

    fn lock(&self) -> MutexGuard<'_, Store> {
        // A panic in another thread cannot leave the file half-written (see `Store::save`),
        // so a poisoned lock is safe to keep using.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
