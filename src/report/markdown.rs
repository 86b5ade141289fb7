//! The report as Markdown: the same sections as the HTML page, the
//! diagrams as SVG files beside it, linked by the names the caller gives.

use super::{Diagram, Fact, Relation, Report, name, say};
use crate::answer::{Link, Style};
use crate::export::Lang;
use std::fmt::Write as _;

/// `text` safe in a Markdown table cell or paragraph: pipes, brackets,
/// emphasis marks and line breaks neutralised.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' | '*' | '_' | '[' | ']' | '<' | '>' | '`' | '\\' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The report as Markdown; `file` names the SVG file of a diagram, as the
/// Markdown links it.
pub fn write(report: &Report, file: &dyn Fn(&Diagram) -> String) -> String {
    let lang = report.lang;
    let t = |zh: &str, en: &str| say(lang, zh, en);
    let mut m = String::new();
    let _ = writeln!(m, "# {}\n", escape(&report.title()));

    let _ = writeln!(m, "## {}\n", t("来源", "The source"));
    for letter in &report.letters {
        let _ = writeln!(m, "| | |\n|---|---|");
        if let Some(number) = &letter.number {
            let _ = writeln!(m, "| {} | {} |", t("文号", "Number"), escape(number));
        }
        let _ = writeln!(
            m,
            "| {} | {} |",
            t("标题", "Title"),
            escape(&name(lang, &letter.entity))
        );
        if let Some(date) = &letter.date {
            let _ = writeln!(m, "| {} | {} |", t("日期", "Date"), escape(date));
        }
        let names = |list: &[crate::answer::EntityRef]| {
            escape(
                &list
                    .iter()
                    .map(|e| name(lang, e))
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        };
        if !letter.issuers.is_empty() {
            let _ = writeln!(
                m,
                "| {} | {} |",
                t("发文机关", "Issued by"),
                names(&letter.issuers)
            );
        }
        if !letter.addressees.is_empty() {
            let _ = writeln!(
                m,
                "| {} | {} |",
                t("主送", "Addressed to"),
                names(&letter.addressees)
            );
        }
        let _ = writeln!(m);
    }
    for sentence in &report.summary {
        let _ = writeln!(m, "{}\n", escape(sentence));
    }

    let _ = writeln!(
        m,
        "## {}\n\n| {} | {} |\n|---|---:|",
        t("按类别计数", "Counts by kind"),
        t("类别", "Kind"),
        t("实体", "Entities")
    );
    for kind in &report.stats.kinds {
        let label = match lang {
            Lang::Zh => kind.label_zh.clone(),
            Lang::En => kind.label_en.clone(),
            Lang::Both => format!("{} ({})", kind.label_zh, kind.label_en),
        };
        let _ = writeln!(m, "| {} | {} |", escape(&label), kind.entities);
    }
    let _ = writeln!(
        m,
        "| **{}** | **{}** |\n",
        t("合计", "Total"),
        report.stats.entities
    );

    let _ = writeln!(
        m,
        "## {}\n\n{}\n",
        t("总览图", "Overview diagram"),
        t(
            "只与同一实体相连、且在其同一侧的三个及以上实体合为一框，框内按关系列出名称与数量。",
            "Three or more entities linked to nothing but one entity, on the same side of it, are drawn as one box that lists them by relation with their count."
        )
    );
    figure(&mut m, &report.overview, file);

    if !report.sections.is_empty() {
        let _ = writeln!(
            m,
            "## {}\n\n{}\n",
            t("逐节图", "Section by section"),
            t(
                "原文每一部分所述的关系各成一图，每图可印于一页。",
                "The relations each section of the source states, one diagram per section, each fit for a printed page."
            )
        );
        for diagram in &report.sections {
            figure(&mut m, diagram, file);
        }
    }

    let _ = writeln!(
        m,
        "## {}\n",
        t("高校及其平台", "Universities and their platforms")
    );
    for university in &report.universities {
        let platforms = &university.platforms;
        let _ = writeln!(m, "### {}\n", escape(&name(lang, &platforms.university)));
        if platforms.platforms.is_empty() {
            let _ = writeln!(
                m,
                "{}\n",
                t(
                    "数据中没有与之直接相连的平台。",
                    "The data links no platform to it directly."
                )
            );
        }
        for entry in &platforms.platforms {
            let _ = writeln!(m, "- {}", escape(&name(lang, &entry.platform)));
            for path in &entry.paths {
                let _ = writeln!(m, "  - {}", escape(&Link::arrows(path)));
                for link in path {
                    let _ = writeln!(m, "    - {}", escape(&link.evidence_line(&Style::PLAIN)));
                }
            }
        }
        let _ = writeln!(m);
        figure(&mut m, &university.diagram, file);
    }

    let _ = writeln!(
        m,
        "## {}\n\n| {} | {} | {} |\n|---|---|---|",
        t("项目与基金", "Programmes and funds"),
        t("项目", "Programme"),
        t("由谁开展", "Run by"),
        t("服务对象与支持", "Serves and supports")
    );
    let cell = |relations: &[Relation]| {
        relations
            .iter()
            .map(|r| {
                format!(
                    "{} ({}): {}",
                    escape(&name(lang, &r.other)),
                    escape(&r.label),
                    escape(&r.evidence.line(&Style::PLAIN))
                )
            })
            .collect::<Vec<_>>()
            .join("<br>")
    };
    for programme in &report.programmes {
        let _ = writeln!(
            m,
            "| {} | {} | {} |",
            escape(&name(lang, &programme.entity)),
            cell(&programme.run_by),
            cell(&programme.serves)
        );
    }
    let _ = writeln!(m);

    let _ = writeln!(
        m,
        "## {}\n\n| {} | {} | {} | {} | {} | {} |\n|---|---|---|---:|---|---|",
        t("数字", "Figures"),
        t("对象", "About"),
        t("指标", "Indicator"),
        t("原文", "As written"),
        t("数值", "Value"),
        t("完成或规划", "Achieved or planned"),
        t("出处", "Evidence")
    );
    for (entity, figure) in &report.figures {
        let _ = writeln!(
            m,
            "| {} | {} | {} | {} {} | {} | {} |",
            escape(&name(lang, entity)),
            escape(&figure.indicator),
            escape(&figure.as_written),
            escape(&figure.value),
            escape(&figure.unit),
            figure.evidence.modality.as_str(),
            escape(&figure.evidence.line(&Style::PLAIN))
        );
    }
    let _ = writeln!(m);

    let c = &report.modality;
    let _ = writeln!(
        m,
        "## {}\n\n| | {} | {} |\n|---|---:|---:|\n| {} | {} | {} |\n| {} | {} | {} |\n",
        t("已完成与规划", "Achieved and planned"),
        t("已完成", "Achieved"),
        t("规划", "Planned"),
        t("关系", "Relations"),
        c.achieved_relations,
        c.planned_relations,
        t("数字", "Figures"),
        c.achieved_figures,
        c.planned_figures
    );
    facts(&mut m, &report.planned);

    let _ = writeln!(
        m,
        "## {}\n\n{}\n",
        t("附录：推断的事实", "Appendix: inferred facts"),
        t(
            "原文未直接陈述、由整理者推断的事实，各附理由。",
            "Facts the source does not state in so many words, inferred by the curators, each with its reason."
        )
    );
    facts(&mut m, &report.inferred);

    let _ = writeln!(m, "## {}\n", t("引用", "Citations"));
    for citation in &report.citations {
        let _ = writeln!(
            m,
            "### {}\n\n| {} | {} |\n|---|---:|",
            escape(&citation.citation),
            t("节", "Section"),
            t("事实", "Facts")
        );
        for (section, count) in &citation.sections {
            let _ = writeln!(
                m,
                "| {} {} | {count} |",
                escape(&citation.citation),
                escape(section)
            );
        }
        let _ = writeln!(m);
    }
    m
}

fn figure(m: &mut String, diagram: &Diagram, file: &dyn Fn(&Diagram) -> String) {
    let _ = writeln!(m, "![{}]({})\n", escape(&diagram.title), file(diagram));
}

fn facts(m: &mut String, facts: &[Fact]) {
    for fact in facts {
        let _ = writeln!(
            m,
            "- {}  \n  {}",
            escape(&fact.fact),
            escape(&fact.evidence.line(&Style::PLAIN))
        );
    }
    let _ = writeln!(m);
}
