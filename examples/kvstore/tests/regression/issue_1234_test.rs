//! Regression test for issue #1234: concurrent `kvstore set` calls silently lose writes.
//! <https://github.com/yourproject/kvstore/issues/1234>
//!
//! Two `kvstore set` processes that write *different* keys to the same store file must both be
//! kept. On the affected versions each process loads the file, adds its key and renames its own
//! copy over the store; whichever renames last wins and the other key is gone, while both
//! processes exit 0.
//!
//! The writes race only between a process's load and its rename. With a handful of keys that
//! window is a few microseconds and the test would be flaky, so the store is seeded with 20,000
//! keys (about 1 MB of JSON), which makes every write take tens of milliseconds. The reporter's
//! store had about 40,000 keys. No sleeps or test hooks are added to the code under test.
//!
//! Expected to FAIL until #1234 is fixed. Do not mark it `#[ignore]` or add retries.
//!
//! Run it alone with: `cargo test --test issue_1234`

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// Keys written to the store before the race, to widen the load-to-rename window.
const SEED_KEYS: usize = 20_000;
/// Rounds of two simultaneous writers. Each round writes `a-<n>` and `b-<n>`.
const ROUNDS: usize = 20;

fn seed_store(path: &Path) {
    let map: BTreeMap<String, String> = (0..SEED_KEYS)
        .map(|i| (format!("seed-{i:05}"), "x".repeat(32)))
        .collect();
    fs::write(path, serde_json::to_string_pretty(&map).unwrap()).unwrap();
}

/// Start `kvstore set <key> <value>` against `store` as a separate process.
fn spawn_set(store: &Path, key: &str, value: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_kvstore"))
        .arg("--store")
        .arg(store)
        .args(["set", key, value])
        .env_remove("KVSTORE_PATH")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("failed to start kvstore")
}

fn assert_exit_ok(child: Child, who: &str) {
    let output = child
        .wait_with_output()
        .expect("failed to wait for kvstore");
    assert!(
        output.status.success(),
        "{who} exited with {}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn concurrent_sets_from_two_processes_keep_both_keys() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("kvstore.json");
    seed_store(&store);

    for round in 0..ROUNDS {
        let a = spawn_set(&store, &format!("a-{round}"), "written-by-a");
        let b = spawn_set(&store, &format!("b-{round}"), "written-by-b");
        // Both writers report success: the bug is that they do, and a write is still lost.
        assert_exit_ok(a, "writer a");
        assert_exit_ok(b, "writer b");
    }

    let text = fs::read_to_string(&store).unwrap();
    let map: BTreeMap<String, String> =
        serde_json::from_str(&text).expect("store file is not valid JSON (torn write?)");

    let seeds_left = map.keys().filter(|key| key.starts_with("seed-")).count();
    assert_eq!(seeds_left, SEED_KEYS, "seed keys were lost");

    let lost: Vec<String> = (0..ROUNDS)
        .flat_map(|round| [format!("a-{round}"), format!("b-{round}")])
        .filter(|key| !map.contains_key(key))
        .collect();
    assert!(
        lost.is_empty(),
        "issue #1234: {} of {} concurrent writes were silently lost: {lost:?}",
        lost.len(),
        2 * ROUNDS
    );
}
