//! `kvstore`: a small file-backed key-value store for the command line.
//!
//! ```text
//! kvstore set <KEY> <VALUE>     set KEY, replacing any previous value
//! kvstore get <KEY>             print the value of KEY (exit 1 if missing)
//! kvstore delete <KEY>          remove KEY (exit 1 if missing)
//! kvstore list                  print every `key=value`, sorted by key
//! kvstore import <FILE|->       apply `key=value` / `-key` lines in one write
//! ```
//!
//! The store is one JSON file: `--store <PATH>`, else `$KVSTORE_PATH`, else `./kvstore.json`.

use std::fs;
use std::io::{self, Read};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use kvstore::storage::{Batch, Store, StoreError};

#[derive(Parser)]
#[command(
    name = "kvstore",
    version,
    about = "A small file-backed key-value store"
)]
struct Cli {
    /// Path of the store file
    #[arg(
        long,
        global = true,
        env = "KVSTORE_PATH",
        default_value = "kvstore.json"
    )]
    store: PathBuf,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Set KEY to VALUE, replacing any previous value
    Set { key: String, value: String },
    /// Print the value of KEY
    Get { key: String },
    /// Remove KEY
    Delete { key: String },
    /// Print every key and value as `key=value`, sorted by key
    List,
    /// Apply `key=value` (set) and `-key` (delete) lines from FILE, or `-` for stdin
    Import { file: PathBuf },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("kvstore: {err}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, StoreError> {
    let store = Store::open(&cli.store);

    match cli.command {
        Command::Set { key, value } => store.set(&key, &value)?,
        Command::Get { key } => match store.get(&key)? {
            Some(value) => println!("{value}"),
            None => {
                eprintln!("kvstore: no such key: {key}");
                return Ok(ExitCode::from(1));
            }
        },
        Command::Delete { key } => {
            if !store.delete(&key)? {
                eprintln!("kvstore: no such key: {key}");
                return Ok(ExitCode::from(1));
            }
        }
        Command::List => {
            for (key, value) in store.load()? {
                println!("{key}={value}");
            }
        }
        Command::Import { file } => {
            let text = if file.as_os_str() == "-" {
                let mut text = String::new();
                io::stdin().read_to_string(&mut text)?;
                text
            } else {
                fs::read_to_string(&file)?
            };
            let summary = Batch::parse(&text)?.apply(&store)?;
            eprintln!("imported: {} set, {} deleted", summary.set, summary.deleted);
        }
    }

    Ok(ExitCode::SUCCESS)
}
