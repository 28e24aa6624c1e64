//! The README's `console` examples are real: each `$ capacity-plan …` line, run through the
//! binary, prints exactly the lines pasted under it.

mod common;

#[test]
fn readme_console_examples_match_the_binary() {
    let readme = include_str!("../README.md");
    let mut checked = 0;
    for block in readme.split("```console\n").skip(1) {
        let block = block.split("```").next().unwrap_or_default();
        for example in block.split("$ ").filter(|e| !e.is_empty()) {
            let (line, expected) = example.split_once('\n').unwrap();
            // `echo '…' | capacity-plan …` feeds the quoted text on stdin.
            let (stdin, command) = match line.split_once(" | ") {
                Some((echo, command)) => {
                    let text = echo
                        .strip_prefix("echo '")
                        .and_then(|e| e.strip_suffix('\''));
                    (format!("{}\n", text.unwrap()), command)
                }
                None => (String::new(), line),
            };
            let args: Vec<&str> = command
                .strip_prefix("capacity-plan ")
                .unwrap_or_else(|| panic!("not a capacity-plan command: {line}"))
                .split_whitespace()
                .collect();
            let (_, stdout, stderr) = common::run(&args, &stdin);
            assert_eq!(stdout + &stderr, expected, "README example `{line}`");
            checked += 1;
        }
    }
    assert!(checked >= 7, "only {checked} README examples found");
}
