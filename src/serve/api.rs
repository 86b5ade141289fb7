//! The domain questions over HTTP: `/platforms?university=` and
//! `/entities/{id}` write the same answers as `innograph platforms` and
//! `innograph show` (JSON unless `Accept` or `format=` asks for CSV or
//! text); `/export?format=` writes what `innograph export` writes; the
//! explorer's answers under `/api/` and its scripts under `/vendor/`.

use super::explorer;
use super::http::{Incoming, Reply};
use super::protocol;
use crate::answer::{self, Answer, Form};
use crate::export::{self, Format};
use crate::format::Described;
use crate::links;
use crate::resolve::{resolve, resolve_among};
use crate::source::GraphSource;
use crate::view::View;
use serde_json::json;

/// The form an answer is asked for in: `format=`, else `Accept` among the
/// forms' media types, JSON first.
fn form_of(incoming: &Incoming) -> Result<Form, Reply> {
    if let Some(name) = incoming.param("format") {
        return Form::from_name(name).ok_or_else(|| Reply::error(406, Form::unknown(name)));
    }
    let offers: Vec<(&str, Form)> = [Form::Json, Form::Csv, Form::Text]
        .into_iter()
        .map(|form| {
            let media = form.info().media_type;
            (media.split(';').next().unwrap_or(media), form)
        })
        .collect();
    protocol::negotiate(incoming.accept(), &offers).ok_or_else(|| {
        Reply::error(
            406,
            "this answer can be given as application/json, text/csv or text/plain (ask with Accept or format=)",
        )
    })
}

/// An answer in the form asked for.
fn reply<A: Answer>(answer: &A, form: Form) -> Reply {
    match answer::to_bytes(answer, form) {
        Ok(bytes) => Reply::new(200, form.info().media_type, bytes).with_header("Vary", "Accept"),
        Err(e) => Reply::error(500, e),
    }
}

/// A JSON error.
fn error(status: u16, message: impl std::fmt::Display) -> Reply {
    Reply::json(status, &json!({"error": message.to_string()}))
}

/// `/platforms?university=NAME[&depth=N]`: the answer of `innograph
/// platforms NAME --depth N`.
pub fn platforms(view: &View, incoming: &Incoming) -> Reply {
    let form = match form_of(incoming) {
        Ok(form) => form,
        Err(reply) => return reply,
    };
    let Some(name) = incoming.param("university") else {
        return error(
            400,
            "give the university: /platforms?university=NAME (an id, a name, an alias or a unique part of one)",
        );
    };
    let depth = match incoming.param("depth").map(str::parse::<usize>) {
        None => 1,
        Some(Ok(depth @ 1..=10)) => depth,
        Some(_) => return error(400, "depth is a number from 1 to 10"),
    };
    match resolve_among(view, name, links::UNIVERSITY) {
        Ok(start) => reply(&answer::Platforms::ask(view, start, depth), form),
        Err(e) => error(404, e),
    }
}

/// `/entities/{id}`: the entity card of `innograph show`.
pub fn entity(source: &dyn GraphSource, view: &View, incoming: &Incoming, name: &str) -> Reply {
    let form = match form_of(incoming) {
        Ok(form) => form,
        Err(reply) => return reply,
    };
    let name = protocol::form(&format!("x={name}"))
        .and_then(|pairs| pairs.into_iter().next())
        .map(|(_, v)| v)
        .unwrap_or_default();
    let node = match resolve(view, &name) {
        Ok(node) => node,
        Err(e) => return error(404, e),
    };
    match answer::Card::ask(source, view, node) {
        Ok(card) => reply(&card, form),
        Err(e) => error(500, e),
    }
}

/// `/export?format=dot[&focus=NAME&depth=N]`: what `innograph export` writes.
pub fn export(source: &dyn GraphSource, view: &View, incoming: &Incoming) -> Reply {
    let name = incoming.param("format").unwrap_or("dot");
    let Some(format) = Format::from_name(name) else {
        return Reply::error(400, Format::unknown(name));
    };
    let focus = match incoming.param("focus").map(|f| resolve(view, f)) {
        None => None,
        Some(Ok(node)) => Some(node),
        Some(Err(e)) => return error(404, e),
    };
    let depth = incoming
        .param("depth")
        .and_then(|d| d.parse().ok())
        .unwrap_or(1usize)
        .clamp(1, 10);
    let written = export::Selection::new(view, focus, depth, true, &[], &[])
        .and_then(|selection| {
            export::Context::new(source, view, selection, export::Options::default())
        })
        .and_then(|context| {
            let mut bytes = Vec::new();
            export::write(format, &context, &mut bytes).map(|()| bytes)
        });
    match written {
        Ok(bytes) => Reply::new(200, format.media_type(), bytes),
        Err(e) => Reply::error(500, e),
    }
}

/// `/api/...`: the explorer's answers (JSON).
pub fn explorer(source: &dyn GraphSource, view: &View, incoming: &Incoming) -> Reply {
    match explorer::answer(source, view, &incoming.path, &incoming.params) {
        Ok(value) => Reply::json(200, &value),
        Err((status, message)) => error(status, message),
    }
}

/// `/vendor/{name}`: a vendored script or style sheet of the explorer.
pub fn vendor(name: &str) -> Reply {
    let media = if explorer::is_style(name) {
        "text/css; charset=utf-8"
    } else {
        "text/javascript; charset=utf-8"
    };
    match explorer::vendored(name) {
        Some(text) => Reply::new(200, media, text).with_header("Cache-Control", "max-age=86400"),
        None => Reply::error(404, format!("no script {name} here")),
    }
}
