//! Engine errors. Each says what went wrong in the user's terms, with a hint
//! where one helps.

use std::path::PathBuf;

use innoscope_import::{ImportError, Rejection};

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{path}: {message}")]
    Store { path: PathBuf, message: String },
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error("{} row(s) rejected; the store was left unchanged", rejected.len())]
    Rejected { rejected: Vec<Rejection> },
    #[error("{message}")]
    MissingData { message: String, hint: String },
    #[error("parameter `{name}`: {message}")]
    BadParam { name: String, message: String },
    #[error("knowledge base:\n{0}")]
    Kb(#[from] innoscope_core::kb::KbErrors),
    #[error("cluster {url}: {message}")]
    Cluster {
        url: String,
        message: String,
        hint: String,
    },
    #[error("unknown analysis `{0}`")]
    UnknownAnalysis(String),
    #[error("query engine: {0}")]
    Query(datafusion::error::DataFusionError),
    /// The memory budget (`--memory-limit`) has no room for the analysis
    /// now: what runs beside it holds the rest, or it needs more than all.
    #[error("{}", memory_message(*limit, message))]
    Memory {
        limit: Option<usize>,
        message: String,
    },
    /// The work was called off (its request went away) before it finished.
    #[error("cancelled: {0}")]
    Cancelled(String),
    #[error("parquet: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
    #[error("arrow: {0}")]
    Arrow(#[from] arrow::error::ArrowError),
    /// Writing an output format (xlsx, png, pdf…) failed.
    #[error("{format} output: {message}")]
    Output {
        format: &'static str,
        message: String,
    },
}

fn memory_message(limit: Option<usize>, detail: &str) -> String {
    match limit {
        Some(l) if l >= 1 << 20 => {
            format!("the memory limit of {} MiB is reached ({detail})", l >> 20)
        }
        Some(l) => format!(
            "the memory limit of {} KiB is reached ({detail})",
            l.div_ceil(1 << 10)
        ),
        None => format!("out of memory ({detail})"),
    }
}

impl From<datafusion::error::DataFusionError> for EngineError {
    /// A pool that ran out is [`EngineError::Memory`], however deep in the
    /// query's error chain it was reported; the rest are query errors.
    fn from(e: datafusion::error::DataFusionError) -> Self {
        use datafusion::error::DataFusionError;
        match e.find_root() {
            DataFusionError::ResourcesExhausted(m) => EngineError::Memory {
                limit: None,
                message: m.trim().to_string(),
            },
            _ => EngineError::Query(e),
        }
    }
}

impl EngineError {
    pub fn store(path: impl Into<PathBuf>, message: impl std::fmt::Display) -> Self {
        EngineError::Store {
            path: path.into(),
            message: message.to_string(),
        }
    }

    /// A file that could not be read or written.
    pub fn io(path: impl Into<PathBuf>, e: std::io::Error) -> Self {
        EngineError::store(path, e)
    }

    /// Bad content in a user's file, naming line and field where known.
    pub fn input(
        path: impl Into<PathBuf>,
        line: Option<u64>,
        field: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        let mut e = ImportError::new(path, message);
        if let Some(l) = line {
            e = e.at_line(l);
        }
        if let Some(f) = field {
            e = e.field(f);
        }
        EngineError::Import(e)
    }

    pub fn output(format: &'static str, message: impl std::fmt::Display) -> Self {
        EngineError::Output {
            format,
            message: message.to_string(),
        }
    }

    pub fn bad_param(name: &str, message: impl Into<String>) -> Self {
        EngineError::BadParam {
            name: name.to_string(),
            message: message.into(),
        }
    }

    pub fn missing(message: impl Into<String>, hint: impl Into<String>) -> Self {
        EngineError::MissingData {
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// A hint for the user, where the error has one.
    pub fn hint(&self) -> Option<String> {
        match self {
            EngineError::Import(e) => e.hint.clone(),
            EngineError::MissingData { hint, .. } => Some(hint.clone()),
            EngineError::Cluster { hint, .. } => Some(hint.clone()),
            EngineError::Memory { .. } => Some(
                "run it again when other analyses have finished, narrow it (a year, an authority, fewer fields), or raise --memory-limit".into(),
            ),
            EngineError::Rejected { .. } => Some(
                "fix the rows listed above, or pass --keep-going to import the valid rows and skip these".into(),
            ),
            EngineError::UnknownAnalysis(s) => Some(match crate::analysis::suggest(s) {
                Some(near) => format!("did you mean `{near}`? `innoscope analyze --list` shows the analyses"),
                None => "`innoscope analyze --list` shows the analyses".into(),
            }),
            _ => None,
        }
    }
}

pub type Result<T, E = EngineError> = std::result::Result<T, E>;
