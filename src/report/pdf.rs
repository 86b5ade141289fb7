//! The report as PDF: the one-file HTML report printed by a headless
//! Chromium (or Chrome) found on PATH, with the page size and margins its
//! print style sheet asks for. Nothing else draws HTML with SVG and Chinese
//! text as faithfully, and the HTML report is what the tests check most.
//! A browser that does not start, hangs or prints nothing is reported as an
//! error; the caller writes no file then.

use crate::error::Error;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The browsers tried, in turn, by the names they have on PATH.
pub const BROWSERS: [&str; 4] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// How long one print may take before the browser is stopped.
const TIMEOUT: Duration = Duration::from_secs(120);

/// How often a print that gave no PDF is tried (a browser starting on a
/// loaded machine sometimes exits without one).
const ATTEMPTS: usize = 3;

/// `html` (a whole page with everything inline) printed to PDF.
pub fn print(html: &str) -> Result<Vec<u8>, Error> {
    let dir = scratch()?;
    let result = print_in(html, &dir);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// A new folder of its own under the temporary folder.
fn scratch() -> Result<PathBuf, Error> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let dir = std::env::temp_dir().join(format!("innograph-pdf-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn print_in(html: &str, dir: &Path) -> Result<Vec<u8>, Error> {
    let page = dir.join("report.html");
    std::fs::write(&page, html)?;
    let pdf = dir.join("report.pdf");
    let mut failures = Vec::new();
    for browser in BROWSERS {
        for attempt in 0..ATTEMPTS {
            let profile = dir.join(format!("profile-{browser}-{attempt}"));
            match run(browser, &page, &pdf, &profile) {
                Err(e) if e.kind() == ErrorKind::NotFound => break,
                Err(e) => failures.push(format!("{browser}: {e}")),
                Ok(()) => match std::fs::read(&pdf) {
                    Ok(bytes) if bytes.starts_with(b"%PDF-") => return Ok(bytes),
                    _ => failures.push(format!("{browser} printed no PDF")),
                },
            }
        }
        if !failures.is_empty() {
            return Err(Error::Program {
                program: format!("{browser} --headless --print-to-pdf"),
                message: failures.join("; "),
            });
        }
    }
    Err(Error::MissingProgram {
        program: BROWSERS.join(" or "),
        help: "the PDF report is the HTML report printed by headless Chromium; install it (Debian or Ubuntu: apt-get install chromium fonts-noto-cjk), or write -o report.html and print that from a browser".to_owned(),
    })
}

/// One headless print of `page` to `pdf`, stopped after [`TIMEOUT`].
fn run(browser: &str, page: &Path, pdf: &Path, profile: &Path) -> std::io::Result<()> {
    let _ = std::fs::remove_file(pdf);
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait()? {
            return if status.success() {
                Ok(())
            } else {
                Err(std::io::Error::other(format!("exited with {status}")))
            };
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(std::io::Error::other(format!(
                "no PDF after {} s; stopped",
                TIMEOUT.as_secs()
            )));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
