//! Bilingual text. Every label, title, note and finding is carried in both
//! Chinese and English so any renderer can pick a language late.

use serde::{Deserialize, Serialize};

/// Output language of a rendering.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "zh" | "cn" | "zh-cn" | "chinese" => Ok(Lang::Zh),
            "en" | "english" => Ok(Lang::En),
            other => Err(format!("unknown language `{other}` (expected zh or en)")),
        }
    }
}

/// A piece of text in English and Chinese.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord, Hash)]
pub struct Text {
    pub en: String,
    pub zh: String,
}

impl Text {
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Self {
        Text {
            en: en.into(),
            zh: zh.into(),
        }
    }

    /// The same string in both languages (codes, numbers, proper names).
    pub fn same(s: impl Into<String>) -> Self {
        let s = s.into();
        Text {
            en: s.clone(),
            zh: s,
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}
