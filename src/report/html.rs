//! The report as one self-contained HTML file: the diagrams inline as SVG,
//! the style in the page, no script and nothing fetched.

use super::{Report, name, say};
use crate::answer::{Link, Style};
use crate::export::Lang;
use std::fmt::Write as _;

/// The page's style: readable on screen, sober on paper.
const CSS: &str = "body{font-family:'Noto Sans CJK SC','Noto Sans',sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}\
h1{font-size:1.6rem}h2{border-bottom:1px solid #ccc;margin-top:2rem}\
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}th,td{border:1px solid #ccc;padding:.2rem .4rem;text-align:left;vertical-align:top}\
th{background:#f3f3f3}td.n{text-align:right}figure{margin:1rem 0}figure svg{max-width:100%;height:auto}\
figcaption{font-size:.9rem;color:#555}.evidence{font-size:.8rem;color:#555}\
@page{size:A4;margin:15mm 12mm}\
@media print{body{margin:0;max-width:none;font-size:10pt}section{break-inside:auto}figure{break-inside:avoid}\
figure svg{max-height:220mm;width:auto;max-width:100%}tr{break-inside:avoid}thead{display:table-header-group}h2,h3{break-after:avoid}}";

/// `text` with the characters HTML gives a meaning escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The report as an HTML page.
pub fn write(report: &Report) -> String {
    let lang = report.lang;
    let t = |zh: &str, en: &str| escape(&say(lang, zh, en));
    let mut h = String::new();
    let html_lang = if lang == Lang::En { "en" } else { "zh-Hans" };
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{html_lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        escape(&report.title()),
        escape(&report.title())
    );

    // The source.
    let _ = writeln!(
        h,
        "<section id=\"source\">\n<h2>{}</h2>",
        t("来源", "The source")
    );
    for letter in &report.letters {
        let _ = writeln!(h, "<table>");
        let row = |h: &mut String, key: String, value: String| {
            let _ = writeln!(h, "<tr><th>{key}</th><td>{}</td></tr>", escape(&value));
        };
        if let Some(number) = &letter.number {
            row(&mut h, t("文号", "Number"), number.clone());
        }
        row(&mut h, t("标题", "Title"), name(lang, &letter.entity));
        if let Some(date) = &letter.date {
            row(&mut h, t("日期", "Date"), date.clone());
        }
        let names = |list: &[crate::answer::EntityRef]| {
            list.iter()
                .map(|e| name(lang, e))
                .collect::<Vec<_>>()
                .join("; ")
        };
        if !letter.issuers.is_empty() {
            row(&mut h, t("发文机关", "Issued by"), names(&letter.issuers));
        }
        if !letter.addressees.is_empty() {
            row(&mut h, t("主送", "Addressed to"), names(&letter.addressees));
        }
        let _ = writeln!(h, "</table>");
    }
    for sentence in &report.summary {
        let _ = writeln!(h, "<p>{}</p>", escape(sentence));
    }
    let _ = writeln!(h, "</section>");

    // Counts by kind.
    let _ = writeln!(
        h,
        "<section id=\"counts\">\n<h2>{}</h2>\n<table>\n<tr><th>{}</th><th>{}</th></tr>",
        t("按类别计数", "Counts by kind"),
        t("类别", "Kind"),
        t("实体", "Entities")
    );
    for kind in &report.stats.kinds {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td></tr>",
            escape(&name_pair(lang, &kind.label_zh, &kind.label_en)),
            kind.entities
        );
    }
    let _ = writeln!(
        h,
        "<tr><th>{}</th><th class=\"n\">{}</th></tr>\n</table>\n</section>",
        t("合计", "Total"),
        report.stats.entities
    );

    // The overview.
    let _ = writeln!(
        h,
        "<section id=\"overview\">\n<h2>{}</h2>\n<p>{}</p>",
        t("总览图", "Overview diagram"),
        t(
            "只与同一实体相连、且在其同一侧的三个及以上实体合为一框，框内按关系列出名称与数量。",
            "Three or more entities linked to nothing but one entity, on the same side of it, are drawn as one box that lists them by relation with their count."
        )
    );
    figure(&mut h, &report.overview);
    let _ = writeln!(h, "</section>");

    // The sources section by section.
    if !report.sections.is_empty() {
        let _ = writeln!(
            h,
            "<section id=\"sections\">\n<h2>{}</h2>\n<p>{}</p>",
            t("逐节图", "Section by section"),
            t(
                "原文每一部分所述的关系各成一图，每图可印于一页。",
                "The relations each section of the source states, one diagram per section, each fit for a printed page."
            )
        );
        for diagram in &report.sections {
            figure(&mut h, diagram);
        }
        let _ = writeln!(h, "</section>");
    }

    // Universities.
    let _ = writeln!(
        h,
        "<section id=\"universities\">\n<h2>{}</h2>",
        t("高校及其平台", "Universities and their platforms")
    );
    for university in &report.universities {
        let platforms = &university.platforms;
        let _ = writeln!(h, "<h3>{}</h3>", escape(&name(lang, &platforms.university)));
        if platforms.platforms.is_empty() {
            let _ = writeln!(
                h,
                "<p>{}</p>",
                t(
                    "数据中没有与之直接相连的平台。",
                    "The data links no platform to it directly."
                )
            );
        } else {
            let _ = writeln!(h, "<ul>");
            for entry in &platforms.platforms {
                let _ = write!(h, "<li>{}", escape(&name(lang, &entry.platform)));
                for path in &entry.paths {
                    let _ = write!(h, " <span>{}</span>", escape(&Link::arrows(path)));
                    for link in path {
                        let _ = write!(
                            h,
                            "<br><span class=\"evidence\">{}</span>",
                            escape(&link.evidence_line(&Style::PLAIN))
                        );
                    }
                }
                let _ = writeln!(h, "</li>");
            }
            let _ = writeln!(h, "</ul>");
        }
        figure(&mut h, &university.diagram);
    }
    let _ = writeln!(h, "</section>");

    // Programmes and funds.
    let _ = writeln!(
        h,
        "<section id=\"programmes\">\n<h2>{}</h2>\n<table>\n<tr><th>{}</th><th>{}</th><th>{}</th></tr>",
        t("项目与基金", "Programmes and funds"),
        t("项目", "Programme"),
        t("由谁开展", "Run by"),
        t("服务对象与支持", "Serves and supports")
    );
    for programme in &report.programmes {
        let cell = |relations: &[super::Relation]| {
            relations
                .iter()
                .map(|r| {
                    format!(
                        "{} <i>({})</i><br><span class=\"evidence\">{}</span>",
                        escape(&name(lang, &r.other)),
                        escape(&r.label),
                        escape(&r.evidence.line(&Style::PLAIN))
                    )
                })
                .collect::<Vec<_>>()
                .join("<br>")
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&name(lang, &programme.entity)),
            cell(&programme.run_by),
            cell(&programme.serves)
        );
    }
    let _ = writeln!(h, "</table>\n</section>");

    // Figures.
    let _ = writeln!(
        h,
        "<section id=\"figures\">\n<h2>{}</h2>\n<table>\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
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
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{} {}</td><td>{}</td><td class=\"evidence\">{}</td></tr>",
            escape(&name(lang, entity)),
            escape(&figure.indicator),
            escape(&figure.as_written),
            escape(&figure.value),
            escape(&figure.unit),
            escape(figure.evidence.modality.as_str()),
            escape(&figure.evidence.line(&Style::PLAIN))
        );
    }
    let _ = writeln!(h, "</table>\n</section>");

    // Achieved and planned.
    let m = &report.modality;
    let _ = writeln!(
        h,
        "<section id=\"modality\">\n<h2>{}</h2>\n<table>\n<tr><th></th><th>{}</th><th>{}</th></tr>\n<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n</table>",
        t("已完成与规划", "Achieved and planned"),
        t("已完成", "Achieved"),
        t("规划", "Planned"),
        t("关系", "Relations"),
        m.achieved_relations,
        m.planned_relations,
        t("数字", "Figures"),
        m.achieved_figures,
        m.planned_figures
    );
    facts(&mut h, &report.planned);
    let _ = writeln!(h, "</section>");

    // Inferred facts.
    let _ = writeln!(
        h,
        "<section id=\"inferred\">\n<h2>{}</h2>\n<p>{}</p>",
        t("附录：推断的事实", "Appendix: inferred facts"),
        t(
            "原文未直接陈述、由整理者推断的事实，各附理由。",
            "Facts the source does not state in so many words, inferred by the curators, each with its reason."
        )
    );
    facts(&mut h, &report.inferred);
    let _ = writeln!(h, "</section>");

    // Citations.
    let _ = writeln!(
        h,
        "<section id=\"citations\">\n<h2>{}</h2>",
        t("引用", "Citations")
    );
    for citation in &report.citations {
        let _ = writeln!(
            h,
            "<h3>{}</h3>\n<p>{}</p>",
            escape(&citation.citation),
            t("各节所引事实数：", "Facts drawn from each section:")
        );
        let _ = writeln!(
            h,
            "<table>\n<tr><th>{}</th><th>{}</th></tr>",
            t("节", "Section"),
            t("事实", "Facts")
        );
        for (section, count) in &citation.sections {
            let _ = writeln!(
                h,
                "<tr><td>{} {}</td><td class=\"n\">{count}</td></tr>",
                escape(&citation.citation),
                escape(section)
            );
        }
        let _ = writeln!(h, "</table>");
    }
    let _ = writeln!(h, "</section>\n</body>\n</html>");
    h
}

/// `中文 (English)` or one of them.
fn name_pair(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_owned(),
        Lang::En => en.to_owned(),
        Lang::Both if zh == en => zh.to_owned(),
        Lang::Both => format!("{zh} ({en})"),
    }
}

fn figure(h: &mut String, diagram: &super::Diagram) {
    let _ = writeln!(
        h,
        "<figure id=\"diagram-{}\">\n{}\n<figcaption>{}</figcaption>\n</figure>",
        escape(&diagram.slug),
        diagram.svg,
        escape(&diagram.title)
    );
}

fn facts(h: &mut String, facts: &[super::Fact]) {
    let _ = writeln!(h, "<ul>");
    for fact in facts {
        let _ = writeln!(
            h,
            "<li>{}<br><span class=\"evidence\">{}</span></li>",
            escape(&fact.fact),
            escape(&fact.evidence.line(&Style::PLAIN))
        );
    }
    let _ = writeln!(h, "</ul>");
}
