//! Shell completions and the manual page, generated from the same command
//! line description as `--help`.

use crate::common::innograph;
use std::process::Command;

#[test]
fn completions_name_every_subcommand_and_bash_reads_them() {
    let script = innograph(["completions", "bash"]).ok().stdout;
    for sub in ["platforms", "query", "show", "stats", "export", "serve"] {
        assert!(script.contains(sub), "no `{sub}` in the bash completions");
    }
    let path = std::env::temp_dir().join(format!(
        "innograph-test-{}-completions.bash",
        std::process::id()
    ));
    std::fs::write(&path, &script).expect("write the script");
    let checked = Command::new("bash").arg("-n").arg(&path).output();
    let _ = std::fs::remove_file(&path);
    if let Ok(checked) = checked {
        assert!(
            checked.status.success(),
            "bash -n: {}",
            String::from_utf8_lossy(&checked.stderr)
        );
    }
    for shell in ["zsh", "Fish", "elvish", "powershell"] {
        assert!(!innograph(["completions", shell]).ok().stdout.is_empty());
    }
    assert_eq!(innograph(["completions", "tcsh"]).code, 2);
}

#[test]
fn the_manual_page_has_every_subcommand() {
    let page = innograph(["manpage"]).ok().stdout;
    assert!(page.contains(".TH innograph 1"), "{page}");
    for sub in ["platforms", "neighbors", "validate", "push"] {
        assert!(page.contains(sub), "no `{sub}` in the manual page");
    }
}
