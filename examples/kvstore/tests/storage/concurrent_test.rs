//! Concurrent use of one store from several threads of the same process.
//!
//! Every writer here goes through a `SharedStore`, whose mutex makes the writes take turns.

use std::sync::{Arc, Barrier};
use std::thread;

use kvstore::storage::{SharedStore, Store};

const THREADS: usize = 8;
const WRITES_PER_THREAD: usize = 25;

fn shared_store(dir: &tempfile::TempDir) -> SharedStore {
    SharedStore::new(Store::open(dir.path().join("kv.json")))
}

/// Start `THREADS` threads at the same moment, each running `work(thread_index)`.
fn run_together(work: impl Fn(usize) + Send + Sync + 'static) {
    let work = Arc::new(work);
    let start = Arc::new(Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let (work, start) = (Arc::clone(&work), Arc::clone(&start));
            thread::spawn(move || {
                start.wait();
                work(t);
            })
        })
        .collect();
    for handle in handles {
        handle.join().expect("writer thread panicked");
    }
}

#[test]
fn threads_sharing_a_store_keep_every_write() {
    let dir = tempfile::tempdir().unwrap();
    let store = shared_store(&dir);

    let writer = store.clone();
    run_together(move |t| {
        for i in 0..WRITES_PER_THREAD {
            writer.set(&format!("t{t}-k{i}"), "v").unwrap();
        }
    });

    assert_eq!(store.load().unwrap().len(), THREADS * WRITES_PER_THREAD);
}

#[test]
fn concurrent_deletes_only_remove_their_own_keys() {
    let dir = tempfile::tempdir().unwrap();
    let store = shared_store(&dir);
    for t in 0..THREADS {
        store.set(&format!("keep-{t}"), "v").unwrap();
        store.set(&format!("drop-{t}"), "v").unwrap();
    }

    let writer = store.clone();
    run_together(move |t| {
        assert!(writer.delete(&format!("drop-{t}")).unwrap());
    });

    let map = store.load().unwrap();
    assert_eq!(map.len(), THREADS);
    assert!(map.keys().all(|key| key.starts_with("keep-")));
}

#[test]
fn readers_never_see_a_partial_file() {
    let dir = tempfile::tempdir().unwrap();
    let store = shared_store(&dir);
    store
        .update(|map| {
            for i in 0..5_000 {
                map.insert(format!("k{i:04}"), "x".repeat(64));
            }
        })
        .unwrap();

    // Readers use a plain `Store` on the same path, outside the mutex: they rely only on the
    // atomic rename in `Store::save`.
    let path = dir.path().join("kv.json");
    let writer = store.clone();
    run_together(move |t| {
        if t == 0 {
            for i in 0..20 {
                writer.set("counter", &i.to_string()).unwrap();
            }
        } else {
            let reader = Store::open(&path);
            for _ in 0..20 {
                let map = reader.load().expect("reader saw a torn file");
                assert!(map.len() >= 5_000);
            }
        }
    });
}
