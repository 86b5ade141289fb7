//! The explorer as one file: the page `innograph serve` shows at `/`, with
//! its scripts inline and every answer it can ask for computed ahead of
//! time, so that it opens from `file://` with no server and no network
//! (see [`crate::serve::explorer`]).

use super::{Context, Exporter};
use crate::error::Error;
use crate::serve::explorer;
use std::collections::BTreeMap;
use std::io::Write;

/// The explorer exporter.
#[derive(Debug, Clone, Copy, Default)]
pub struct Html;

impl Exporter for Html {
    fn write(&self, context: &Context<'_>, out: &mut dyn Write) -> Result<(), Error> {
        if !context.selection.is_whole() {
            return Err(Error::Usage(
                "--format html writes the explorer of the whole graph; --focus, --kinds and --relations do not apply to it (open an entity in the page instead)".to_owned(),
            ));
        }
        let mut answers = BTreeMap::new();
        for request in explorer::requests(context.view) {
            let value = explorer::answer_request(context.source, context.view, &request)
                .map_err(|(_, message)| Error::Store(format!("{request}: {message}")))?;
            answers.insert(request, value);
        }
        out.write_all(explorer::file_page(&answers).as_bytes())?;
        Ok(())
    }
}
