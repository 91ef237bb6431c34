//! Licence and vintage strings in the reader's language.
//!
//! A dataset's licence and vintage are written once, in English, by its
//! importer or manifest ("Public domain (US Government work)", "WDI as of
//! 2026-07-01", "accessed July 2023"). A Chinese page shows them in Chinese:
//! known phrases from a table, dates and "as of"/"accessed" by rule, and
//! full-width punctuation. What is left is a name or a code (CC BY 4.0,
//! MIT OR Apache-2.0, SEI 2024, PATSTAT), which stays as written. The source
//! citation itself (a publication's title) is a proper name and is not
//! translated.

use crate::Lang;

/// Whole phrases, longest first where one contains another.
const PHRASES: &[(&str, &str)] = &[
    (
        "not stated; company, date, industry and economy used as facts",
        "未声明；仅将公司、日期、行业和经济体作为事实使用",
    ),
    (
        "not stated; rank, name and economy used as facts, QS content is QS's",
        "未声明；仅将排名、名称和经济体作为事实使用，QS内容归QS所有",
    ),
    (
        "Public domain (US Government work)",
        "公有领域（美国政府作品）",
    ),
    (
        "Public domain (ODC-PDDL-1.0 as packaged)",
        "公有领域（按ODC-PDDL-1.0打包）",
    ),
    (
        "UNCTAD (free use with attribution)",
        "UNCTAD（注明出处即可免费使用）",
    ),
    ("WIPO terms: not redistributable", "WIPO条款：不得再分发"),
    (
        "OECD terms (CC BY 4.0 for most datasets)",
        "OECD条款（多数数据集为CC BY 4.0）",
    ),
    ("not redistributable", "不得再分发"),
    ("World Investment Report", "世界投资报告"),
    ("synthetic demo data", "合成演示数据"),
    ("no licence needed", "无需许可"),
    ("visas issued", "签证发放数"),
    (
        "curation MIT OR Apache-2.0; cite the report",
        "整理：MIT OR Apache-2.0；引用时请注明报告",
    ),
    ("the user's", "用户所有"),
    ("not stated", "未声明"),
    ("generated", "程序生成"),
    ("fixture", "测试样例"),
    (" vintage", "版"),
    ("list as of ", "名单截至"),
    (" as of ", "，截至"),
    (" via ", "，经"),
];

/// "accessed X" → "X访问": a word and what its object reads as after it,
/// the object running to the next separator.
const AFTER: &[(&str, &str)] = &[
    ("accessed ", "访问"),
    ("imported ", "导入"),
    ("scraped ", "年采集"),
];

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Sources innoscope itself wrote (fixtures, generated data): these are
/// descriptions, not citations, and read in the page's language.
const OWN_SOURCES: &[(&str, &str)] = &[
    (
        "innoscope fixture: invented values in the layout of ",
        "innoscope测试样例：按以下格式虚构的数值：",
    ),
    (
        "innoscope fixture (invented values shaped like consular statistics)",
        "innoscope测试样例（仿照领事统计虚构的数值）",
    ),
    (
        " (synthetic demo data, PATSTAT layout)",
        "（合成演示数据，PATSTAT格式）",
    ),
];

/// A source as cited: a publisher's citation stays as written in every
/// language (it is a title); one innoscope wrote itself is translated.
pub fn source_in(text: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return text.to_string();
    }
    // A citation with innoscope's translation noted after it.
    if let Some(cite) = text.strip_suffix("; English by innoscope") {
        return format!("{cite}；英文由innoscope翻译");
    }
    if text == "the user's entries" {
        return "用户条目".into();
    }
    if !text.starts_with("innoscope") {
        return text.to_string();
    }
    let mut s = text.to_string();
    for (en, zh) in OWN_SOURCES {
        s = s.replace(en, zh);
    }
    s
}

/// `text` (a licence or a vintage) for a reader of `lang`.
pub fn in_lang(text: &str, lang: Lang) -> String {
    match lang {
        Lang::En => text.to_string(),
        Lang::Zh => zh(text),
    }
}

fn zh(text: &str) -> String {
    let mut s = text.to_string();
    // "accessed July 2023" → "2023年7月访问"; "March 2025" → "2025年3月".
    for (i, m) in MONTHS.iter().enumerate() {
        while let Some(at) = s.find(m) {
            let rest = &s[at + m.len()..];
            let year: String = rest
                .strip_prefix(' ')
                .unwrap_or("")
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            if year.len() != 4 {
                break;
            }
            let end = at + m.len() + 1 + year.len();
            s.replace_range(at..end, &format!("{year}年{}月", i + 1));
        }
    }
    for (word, zh) in AFTER {
        while let Some(at) = s.find(word) {
            let from = at + word.len();
            let len = s[from..]
                .find([')', ',', ';', '）', '，'])
                .unwrap_or(s.len() - from);
            let what = s[from..from + len].to_string();
            s.replace_range(at..from + len, &format!("{what}{zh}"));
        }
    }
    for (en, zh) in PHRASES {
        s = s.replace(en, zh);
    }
    s.replace(" (", "（")
        .replace('(', "（")
        .replace(')', "）")
        .replace(", ", "，")
        .replace("; ", "；")
        .replace(": ", "：")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundle_s_licences_and_vintages_read_in_chinese() {
        let cases = [
            (
                "Public domain (US Government work)",
                "公有领域（美国政府作品）",
            ),
            ("CC BY 4.0", "CC BY 4.0"),
            ("WDI as of 2026-07-01", "WDI，截至2026-07-01"),
            ("H.10 as of 2026-07-21", "H.10，截至2026-07-21"),
            ("list as of 2022-04-05", "名单截至2022-04-05"),
            ("SEI 2024 (accessed July 2023)", "SEI 2024（2023年7月访问）"),
            (
                "SEI 2024 (PatentsView, accessed June 2023)",
                "SEI 2024（PatentsView，2023年6月访问）",
            ),
            (
                "SEI 2020 (PitchBook, accessed 2019-09-21)",
                "SEI 2020（PitchBook，2019-09-21访问）",
            ),
            (
                "SEI 2022 (OECD MSTI 2021 vintage)",
                "SEI 2022（OECD MSTI 2021版）",
            ),
            (
                "SEI 2022 (PATSTAT via Science-Metrix)",
                "SEI 2022（PATSTAT，经Science-Metrix）",
            ),
            (
                "QS WUR 2017–2022 (scraped 2022)",
                "QS WUR 2017–2022（2022年采集）",
            ),
            ("World Investment Report 2022", "世界投资报告 2022"),
            ("March 2025", "2025年3月"),
            ("fixture: MIT OR Apache-2.0", "测试样例：MIT OR Apache-2.0"),
            (
                "MIT OR Apache-2.0 (innoscope)",
                "MIT OR Apache-2.0（innoscope）",
            ),
            ("WIPO terms: not redistributable", "WIPO条款：不得再分发"),
            (
                "OECD terms (CC BY 4.0 for most datasets)",
                "OECD条款（多数数据集为CC BY 4.0）",
            ),
            (
                "generated; no licence needed, imported 2026-05-28",
                "程序生成；无需许可，2026-05-28导入",
            ),
            (
                "UNCTAD (free use with attribution)",
                "UNCTAD（注明出处即可免费使用）",
            ),
        ];
        for (en, want) in cases {
            assert_eq!(in_lang(en, Lang::Zh), want, "{en}");
            assert_eq!(in_lang(en, Lang::En), en);
        }
    }

    #[test]
    fn citations_stay_and_innoscope_s_own_descriptions_translate() {
        let cite = "NCSES SEI 2024, Tables SINV-11..16 (EP Bibliographic Data; 1790 Analytics)";
        assert_eq!(source_in(cite, Lang::Zh), cite);
        assert_eq!(
            source_in(
                "innoscope synth patstat (synthetic demo data, PATSTAT layout)",
                Lang::Zh
            ),
            "innoscope synth patstat（合成演示数据，PATSTAT格式）"
        );
        let fixture =
            "innoscope fixture: invented values in the layout of innoscope ranked list (rank,name)";
        assert_eq!(
            source_in(fixture, Lang::Zh),
            "innoscope测试样例：按以下格式虚构的数值：innoscope ranked list (rank,name)"
        );
        assert_eq!(source_in(fixture, Lang::En), fixture);
    }
}
